import { expect } from 'vitest';
import { Tidepool, type DatabaseOptions } from '../src/index.js';

/** Opens a database whose tables turn ACTIVE on the next macrotask. */
export async function openDb(options: DatabaseOptions = {}): Promise<Tidepool> {
  return Tidepool.open(options);
}

export const settle = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Asserts that `promise` rejects with exactly this DynamoDB error type and message. */
export async function expectError(promise: Promise<unknown>, name: string, message: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected the request to fail').toBeInstanceOf(Error);
  expect({ name: (error as Error).name, message: (error as Error).message }).toEqual({ name, message });
}

export const hashTable = (TableName = 'hashes') => ({
  TableName,
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
});

export const compositeTable = (TableName = 'composite', skType = 'N') => ({
  TableName,
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: skType },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
});

/** Opens a database with the given tables created and ACTIVE. */
export async function withTables(tables: object[], options: DatabaseOptions = {}): Promise<Tidepool> {
  const db = await openDb(options);
  for (const table of tables) await db.send('CreateTable', table);
  await settle();
  return db;
}
