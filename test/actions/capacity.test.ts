import { afterEach, describe, expect, it } from 'vitest';
import type { Tidepool } from '../../src/index.js';
import { expectError, hashTable, settle, withTables } from '../helpers.js';

let db: Tidepool;
afterEach(async () => db?.close());

const TABLE_THROTTLED =
  'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.';
const INDEX_THROTTLED =
  'The level of configured provisioned throughput for one or more global secondary indexes of the table was exceeded. Consider increasing your provisioning level for the under-provisioned global secondary indexes with the UpdateTable API';

/** A clock the test moves by hand. */
function clock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const provisioned = (read: number, write: number, extra: Record<string, unknown> = {}) => ({
  ...hashTable('prov'),
  BillingMode: 'PROVISIONED',
  ProvisionedThroughput: { ReadCapacityUnits: read, WriteCapacityUnits: write },
  ...extra,
});

const indexed = (gsiWrite: number) =>
  provisioned(100, 100, {
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'g', AttributeType: 'S' },
    ],
    GlobalSecondaryIndexes: [
      { IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' }, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: gsiWrite } },
    ],
  });

describe('provisioned throughput', () => {
  it('allows 300 seconds of banked burst, then throttles until capacity refills', async () => {
    const time = clock();
    db = await withTables([provisioned(1, 1)], { now: time.now });
    const put = (i: number) => db.send('PutItem', { TableName: 'prov', Item: { pk: { S: `k${i}` } } });
    for (let i = 0; i < 300; i++) await put(i);
    await expectError(put(300), 'ProvisionedThroughputExceededException', TABLE_THROTTLED);
    time.advance(1000);
    await put(301);
    await expectError(put(302), 'ProvisionedThroughputExceededException', TABLE_THROTTLED);
    // Reads have their own rate: 1 unit/s, a 0.5-unit eventually consistent read each.
    for (let i = 0; i < 600; i++) await db.send('GetItem', { TableName: 'prov', Key: { pk: { S: 'k1' } } });
    await expectError(db.send('GetItem', { TableName: 'prov', Key: { pk: { S: 'k1' } } }), 'ProvisionedThroughputExceededException', TABLE_THROTTLED);
    // A throttled write wrote nothing.
    time.advance(10_000);
    expect((await db.send('GetItem', { TableName: 'prov', Key: { pk: { S: 'k300' } } })).Item).toBeUndefined();
  });

  it('follows UpdateTable', async () => {
    const time = clock();
    db = await withTables([provisioned(1, 1)], { now: time.now });
    for (let i = 0; i < 300; i++) await db.send('PutItem', { TableName: 'prov', Item: { pk: { S: `k${i}` } } });
    await db.send('UpdateTable', { TableName: 'prov', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 10 } });
    await settle();
    time.advance(1000);
    for (let i = 0; i < 10; i++) await db.send('PutItem', { TableName: 'prov', Item: { pk: { S: `n${i}` } } });
    await expectError(db.send('PutItem', { TableName: 'prov', Item: { pk: { S: 'x' } } }), 'ProvisionedThroughputExceededException', TABLE_THROTTLED);
    await db.send('UpdateTable', { TableName: 'prov', BillingMode: 'PAY_PER_REQUEST' });
    await settle();
    for (let i = 0; i < 500; i++) await db.send('PutItem', { TableName: 'prov', Item: { pk: { S: `d${i}` } } });
  });

  it('throttles writes when a global index runs out, and leaves batches unprocessed', async () => {
    const time = clock();
    db = await withTables([indexed(1)], { now: time.now });
    for (let i = 0; i < 300; i++) await db.send('PutItem', { TableName: 'prov', Item: { pk: { S: `k${i}` }, g: { S: 'x' } } });
    await expectError(db.send('PutItem', { TableName: 'prov', Item: { pk: { S: 'y' } } }), 'ProvisionedThroughputExceededException', INDEX_THROTTLED);
    const request = { prov: [{ PutRequest: { Item: { pk: { S: 'z' } } } }] };
    expect(await db.send('BatchWriteItem', { RequestItems: request })).toEqual({ UnprocessedItems: request });
    expect((await db.send('GetItem', { TableName: 'prov', Key: { pk: { S: 'z' } } })).Item).toBeUndefined();
  });

  it('cancels transactions on a table out of capacity, naming it in the reasons', async () => {
    const time = clock();
    db = await withTables([provisioned(1, 1), hashTable()], { now: time.now });
    for (let i = 0; i < 300; i++) await db.send('PutItem', { TableName: 'prov', Item: { pk: { S: `k${i}` } } });
    const error = await db
      .send('TransactWriteItems', {
        TransactItems: [{ Put: { TableName: 'hashes', Item: { pk: { S: 'a' } } } }, { Put: { TableName: 'prov', Item: { pk: { S: 'b' } } } }],
      })
      .catch((e: unknown) => e as Error & { CancellationReasons?: unknown });
    expect([error.name, error.message, error.CancellationReasons]).toEqual([
      'TransactionCanceledException',
      'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ProvisionedThroughputExceeded]',
      [{ Code: 'None' }, { Code: 'ProvisionedThroughputExceeded', Message: TABLE_THROTTLED }],
    ]);
    expect((await db.send('GetItem', { TableName: 'hashes', Key: { pk: { S: 'a' } } })).Item).toBeUndefined();
  });

  it('never throttles an on-demand table', async () => {
    db = await withTables([hashTable()]);
    for (let i = 0; i < 2000; i++) await db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: `k${i}` }, v: { S: 'x'.repeat(2000) } } });
  });
});

describe('ConsumedCapacity', () => {
  const table = {
    TableName: 'cap',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'g', AttributeType: 'S' },
      { AttributeName: 'l', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
    GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
    LocalSecondaryIndexes: [{ IndexName: 'byL', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'l', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
  };
  const key = { pk: { S: 'p' }, sk: { S: 's' } };

  it('breaks writes down by index with INDEXES', async () => {
    db = await withTables([table]);
    const put = (item: Record<string, unknown>) => db.send('PutItem', { TableName: 'cap', Item: { ...key, ...item }, ReturnConsumedCapacity: 'INDEXES' });
    expect(await put({ g: { S: 'a' }, l: { S: 'b' }, big: { S: 'x'.repeat(1500) } })).toEqual({
      ConsumedCapacity: {
        TableName: 'cap',
        CapacityUnits: 5,
        Table: { CapacityUnits: 2 },
        // KEYS_ONLY: the keys are far under 1 KB; ALL: the whole 1.5 KB item.
        GlobalSecondaryIndexes: { byG: { CapacityUnits: 1 } },
        LocalSecondaryIndexes: { byL: { CapacityUnits: 2 } },
      },
    });
    // Same index keys, a non-key attribute changed: the KEYS_ONLY index is not written.
    expect((await put({ g: { S: 'a' }, l: { S: 'b' }, big: { S: 'y' } })).ConsumedCapacity).toEqual({
      TableName: 'cap',
      CapacityUnits: 3,
      Table: { CapacityUnits: 2 },
      GlobalSecondaryIndexes: { byG: { CapacityUnits: 0 } },
      LocalSecondaryIndexes: { byL: { CapacityUnits: 1 } },
    });
    // The GSI key moved: a delete and a put. The LSI key went away: one delete.
    const moved = await db.send('UpdateItem', { TableName: 'cap', Key: key, UpdateExpression: 'SET g = :g REMOVE l', ExpressionAttributeValues: { ':g': { S: 'c' } }, ReturnConsumedCapacity: 'TOTAL' });
    expect(moved).toEqual({ ConsumedCapacity: { TableName: 'cap', CapacityUnits: 4 } });
    expect(await db.send('DeleteItem', { TableName: 'cap', Key: key, ReturnConsumedCapacity: 'INDEXES' })).toEqual({
      ConsumedCapacity: { TableName: 'cap', CapacityUnits: 2, Table: { CapacityUnits: 1 }, GlobalSecondaryIndexes: { byG: { CapacityUnits: 1 } }, LocalSecondaryIndexes: { byL: { CapacityUnits: 0 } } },
    });
  });

  it('charges index reads to the index', async () => {
    db = await withTables([table]);
    await db.send('PutItem', { TableName: 'cap', Item: { ...key, g: { S: 'a' }, l: { S: 'b' } } });
    expect(
      (await db.send('Query', { TableName: 'cap', IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'a' } }, ReturnConsumedCapacity: 'INDEXES' })).ConsumedCapacity,
    ).toEqual({ TableName: 'cap', CapacityUnits: 0.5, Table: { CapacityUnits: 0 }, GlobalSecondaryIndexes: { byG: { CapacityUnits: 0.5 } } });
    expect(
      (await db.send('Query', { TableName: 'cap', IndexName: 'byL', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, ConsistentRead: true, ReturnConsumedCapacity: 'INDEXES' })).ConsumedCapacity,
    ).toEqual({ TableName: 'cap', CapacityUnits: 1, Table: { CapacityUnits: 0 }, LocalSecondaryIndexes: { byL: { CapacityUnits: 1 } } });
  });
});
