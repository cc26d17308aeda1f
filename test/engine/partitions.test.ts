import { mulberry32 as random } from '../support/random.js';
import { afterEach, describe, expect, it } from 'vitest';
import { Core } from '../../src/core/wasm.js';
import { Database } from '../../src/engine/database.js';
import { dispatch } from '../../src/actions/index.js';
import type { Item } from '../../src/model/index.js';


let db: Database;
afterEach(() => db?.close());

async function open(partitionMaxBytes: number): Promise<Database> {
  db = new Database(await Core.load(), { partitionMaxBytes });
  dispatch(db, 'CreateTable', {
    TableName: 'model',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'N' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  });
  await new Promise((resolve) => setTimeout(resolve, 0));
  return db;
}

function scanAll(limit?: number): Item[] {
  const items: Item[] = [];
  let start: unknown;
  do {
    const page = dispatch(db, 'Scan', { TableName: 'model', Limit: limit, ExclusiveStartKey: start }) as { Items: Item[]; LastEvaluatedKey?: Item };
    items.push(...page.Items);
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

describe('partitions', () => {
  it('split as the table grows without changing any result', async () => {
    const next = random(42);
    // Same operations against a tiny partition bound (many splits) and a huge one (no splits).
    const small = await open(2048);
    const model = new Map<string, Item>();
    for (let step = 0; step < 3000; step++) {
      const pk = `p${Math.floor(next() * 40)}`;
      const sk = String(Math.floor(next() * 50) - 25);
      const id = `${pk}/${Number(sk)}`;
      if (next() < 0.7) {
        const item = { pk: { S: pk }, sk: { N: sk }, v: { S: 'x'.repeat(Math.floor(next() * 100)) } };
        dispatch(small, 'PutItem', { TableName: 'model', Item: item });
        model.set(id, item);
      } else {
        dispatch(small, 'DeleteItem', { TableName: 'model', Key: { pk: { S: pk }, sk: { N: sk } } });
        model.delete(id);
      }
      if (step % 500 === 0) expect(small.describe('model').checkValid()).toBeUndefined();
    }
    const table = small.describe('model');
    expect(table.checkValid()).toBeUndefined();
    expect(table.partitionCount).toBeGreaterThan(10);
    expect(table.itemCount).toBe(model.size);
    for (const [id, item] of model) {
      const [pk, sk] = id.split('/');
      expect(dispatch(small, 'GetItem', { TableName: 'model', Key: { pk: { S: pk }, sk: { N: sk } } })).toEqual({ Item: item });
    }
    const order = scanAll();
    expect(order.length).toBe(model.size);
    expect(scanAll(13)).toEqual(order);
    small.close();

    const big = await open(1 << 30);
    for (const item of model.values()) dispatch(big, 'PutItem', { TableName: 'model', Item: item });
    expect(big.describe('model').partitionCount).toBe(1);
    expect(scanAll()).toEqual(order);
  });
});

describe('the change log', () => {
  it('keeps recent records in memory, in order, and trims the oldest', async () => {
    db = new Database(await Core.load(), { retainChanges: 3 });
    dispatch(db, 'CreateTable', {
      TableName: 'log',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    for (let i = 0; i < 7; i++) dispatch(db, 'PutItem', { TableName: 'log', Item: { pk: { S: `k${i}` } } });
    const kept = db.changes.since(0);
    // Trimming happens in halves: at least the newest three are always there.
    expect(kept.map((r) => r.sequenceNumber)).toEqual([4, 5, 6, 7]);
    expect(db.changes.since(5).map((r) => [r.eventName, r.keys])).toEqual([
      ['INSERT', { pk: { S: 'k5' } }],
      ['INSERT', { pk: { S: 'k6' } }],
    ]);
    expect(kept.every((r, i) => i === 0 || r.timestamp > kept[i - 1].timestamp)).toBe(true);
  });
});
