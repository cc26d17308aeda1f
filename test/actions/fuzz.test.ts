import { mulberry32 as random } from '../support/random.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoError, type Tidepool } from '../../src/index.js';
import { compositeTable, hashTable, withTables } from '../helpers.js';


const ACTIONS = ['CreateTable', 'DescribeTable', 'ListTables', 'UpdateTable', 'DeleteTable', 'PutItem', 'GetItem', 'DeleteItem', 'Scan'];
const NAMES = ['TableName', 'Item', 'Key', 'pk', 'sk', 'S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'BOOL', 'NULL', 'Limit', 'ExclusiveStartKey', 'Segment', 'TotalSegments', 'KeySchema', 'AttributeDefinitions', 'AttributeName', 'AttributeType', 'KeyType', 'BillingMode', 'ProvisionedThroughput', 'ReadCapacityUnits', 'WriteCapacityUnits', 'ReturnValues', 'Select', 'ConsistentRead', 'ReturnConsumedCapacity', 'ExclusiveStartTableName'];
const STRINGS = ['', 'hashes', 'composite', 'x', '1', '-1.5e3', 'abc', 'AQID', 'AQ=', 'HASH', 'RANGE', 'S', 'N', 'B', 'ALL_OLD', 'COUNT', 'PAY_PER_REQUEST', 'PROVISIONED', 'TOTAL', 'true', '1e999', '\u0000', '😀'];

function junk(next: () => number, depth: number): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  const r = next();
  if (depth > 4 || r < 0.3) {
    return pick<unknown>([null, undefined, true, false, 0, 1, -1, 1.5, 1e20, NaN, pick(STRINGS), pick(STRINGS), new Uint8Array([1, 2])]);
  }
  if (r < 0.5) return Array.from({ length: Math.floor(next() * 4) }, () => junk(next, depth + 1));
  const obj: Record<string, unknown> = {};
  for (let i = Math.floor(next() * 5); i > 0; i--) obj[pick(NAMES)] = junk(next, depth + 1);
  return obj;
}

/** JSON with the values JSON cannot show (undefined, NaN, bytes) spelled out, for failure messages. */
const show = (value: unknown) =>
  JSON.stringify(value, (_, v) => (v === undefined ? '<undefined>' : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v instanceof Uint8Array ? `<bytes ${v}>` : v));

let db: Tidepool;
beforeAll(async () => {
  db = await withTables([hashTable(), compositeTable()]);
});
afterAll(async () => db.close());

describe('dispatch under random input', () => {
  it('answers every request with a result or a DynamoDB client error, never a crash', async () => {
    const next = random(7);
    for (let i = 0; i < 20_000; i++) {
      const action = ACTIONS[Math.floor(next() * ACTIONS.length)];
      const input = junk(next, 0);
      if (action === 'DeleteTable' && next() < 0.9) continue; // keep the tables around most of the time
      try {
        await db.send(action, input);
      } catch (error) {
        expect(error, show({ action, input })).toBeInstanceOf(DynamoError);
        expect((error as DynamoError).name, show({ action, input })).not.toBe('InternalServerError');
      }
    }
  });

  it('answers random mutations of valid requests the same way', async () => {
    const next = random(11);
    const valid: [string, Record<string, unknown>][] = [
      ['PutItem', { TableName: 'composite', Item: { pk: { S: 'a' }, sk: { N: '1' }, v: { L: [{ M: { x: { SS: ['a'] } } }] } } }],
      ['GetItem', { TableName: 'composite', Key: { pk: { S: 'a' }, sk: { N: '1' } } }],
      ['Scan', { TableName: 'hashes', Limit: 2, Segment: 0, TotalSegments: 2 }],
      ['CreateTable', compositeTable('fuzzed')],
    ];
    const mutate = (value: unknown, depth: number): unknown => {
      if (next() < 0.15) return junk(next, depth);
      if (Array.isArray(value)) return value.map((v) => mutate(v, depth + 1));
      if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [next() < 0.05 ? 'zz' : k, mutate(v, depth + 1)]));
      }
      return value;
    };
    for (let i = 0; i < 20_000; i++) {
      const [action, input] = valid[Math.floor(next() * valid.length)];
      const request = mutate(input, 0);
      try {
        await db.send(action, request);
      } catch (error) {
        expect(error, show({ action, request })).toBeInstanceOf(DynamoError);
        expect((error as DynamoError).name, show({ action, request })).not.toBe('InternalServerError');
      }
      if (action === 'CreateTable') await db.send('DeleteTable', { TableName: 'fuzzed' }).catch(() => undefined);
    }
  });
});
