import { afterEach, describe, expect, it } from 'vitest';
import type { Tidepool } from '../../src/index.js';
import { compositeTable, expectError, hashTable, withTables } from '../helpers.js';

let db: Tidepool;
afterEach(async () => db?.close());

async function fill(count: number, table = 'hashes', extra: Record<string, unknown> = {}) {
  for (let i = 0; i < count; i++) {
    await db.send('PutItem', { TableName: table, Item: { pk: { S: `item-${String(i).padStart(3, '0')}` }, ...extra } });
  }
}

async function scanAll(input: Record<string, unknown>) {
  const pages: Record<string, any>[] = [];
  let start: unknown;
  do {
    const page = await db.send('Scan', { ...input, ...(start ? { ExclusiveStartKey: start } : {}) });
    pages.push(page);
    start = page.LastEvaluatedKey;
  } while (start);
  return pages;
}

describe('Scan', () => {
  describe('validations', () => {
    it('checks segments', async () => {
      db = await withTables([hashTable()]);
      await expectError(
        db.send('Scan', { TableName: 'hashes', Segment: 1 }),
        'ValidationException',
        'The TotalSegments parameter is required but was not present in the request when Segment parameter is present',
      );
      await expectError(
        db.send('Scan', { TableName: 'hashes', TotalSegments: 2 }),
        'ValidationException',
        'The Segment parameter is required but was not present in the request when parameter TotalSegments is present',
      );
      await expectError(
        db.send('Scan', { TableName: 'hashes', Segment: 5, TotalSegments: 5 }),
        'ValidationException',
        'The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 5 is not less than TotalSegments: 5',
      );
      await expectError(
        db.send('Scan', { TableName: 'hashes', Segment: 0, TotalSegments: 1_000_001 }),
        'ValidationException',
        "1 validation error detected: Value '1000001' at 'totalSegments' failed to satisfy constraint: Member must have value less than or equal to 1000000",
      );
    });

    it('checks Limit and the starting key', async () => {
      db = await withTables([hashTable(), compositeTable()]);
      await expectError(
        db.send('Scan', { TableName: 'hashes', Limit: 0 }),
        'ValidationException',
        "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
      );
      await expectError(
        db.send('Scan', { TableName: 'composite', ExclusiveStartKey: { pk: { S: 'a' } } }),
        'ValidationException',
        'The provided starting key is invalid: The provided key element does not match the schema',
      );
      await expectError(
        db.send('Scan', { TableName: 'hashes', ExclusiveStartKey: { pk: {} } }),
        'ValidationException',
        'The provided starting key is invalid: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes',
      );
      await expectError(db.send('Scan', { TableName: 'nosuch' }), 'ResourceNotFoundException', 'Requested resource not found');
    });

    it('refuses a starting key from another segment', async () => {
      db = await withTables([hashTable()]);
      await fill(40);
      const [first] = await scanAll({ TableName: 'hashes', Segment: 0, TotalSegments: 2 });
      const key = first.Items[0];
      await expectError(
        db.send('Scan', { TableName: 'hashes', Segment: 1, TotalSegments: 2, ExclusiveStartKey: key }),
        'ValidationException',
        'The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: 2 Segment: 1',
      );
    });
  });

  describe('functionality', () => {
    it('returns every item once, in a stable hash order, across pages', async () => {
      db = await withTables([hashTable()]);
      await fill(50);
      const [all] = await scanAll({ TableName: 'hashes' });
      expect(all.Count).toBe(50);
      expect(all.ScannedCount).toBe(50);
      expect(all.LastEvaluatedKey).toBeUndefined();
      const names = all.Items.map((item: any) => item.pk.S);
      expect([...names].sort()).toEqual(Array.from({ length: 50 }, (_, i) => `item-${String(i).padStart(3, '0')}`));
      // Hash order, not insertion or name order.
      expect(names).not.toEqual([...names].sort());

      const pages = await scanAll({ TableName: 'hashes', Limit: 7 });
      expect(pages.map((p) => p.Count)).toEqual([7, 7, 7, 7, 7, 7, 7, 1]);
      expect(pages.flatMap((p) => p.Items.map((item: any) => item.pk.S))).toEqual(names);
      expect(pages[0].LastEvaluatedKey).toEqual({ pk: pages[0].Items[6].pk });
    });

    it('reports a LastEvaluatedKey when the limit is reached exactly', async () => {
      db = await withTables([hashTable()]);
      await fill(3);
      const pages = await scanAll({ TableName: 'hashes', Limit: 3 });
      expect(pages.map((p) => p.Count)).toEqual([3, 0]);
    });

    it('stops a page after 1 MB of items', async () => {
      db = await withTables([hashTable()]);
      await fill(30, 'hashes', { blob: { S: 'x'.repeat(100_000) } });
      const pages = await scanAll({ TableName: 'hashes' });
      // Each item is 100,014 bytes: the 11th crosses 1 MB and ends the page.
      expect(pages.map((p) => p.Count)).toEqual([11, 11, 8]);
    });

    it('splits the table into disjoint parallel segments', async () => {
      db = await withTables([hashTable()]);
      await fill(60);
      const [all] = await scanAll({ TableName: 'hashes' });
      const seen: string[] = [];
      for (let segment = 0; segment < 4; segment++) {
        const pages = await scanAll({ TableName: 'hashes', Segment: segment, TotalSegments: 4, Limit: 5 });
        seen.push(...pages.flatMap((p) => p.Items.map((item: any) => item.pk.S)));
      }
      // Segments are consecutive ranges of the hash order.
      expect(seen).toEqual(all.Items.map((item: any) => item.pk.S));
    });

    it('counts with Select COUNT and reports capacity', async () => {
      db = await withTables([hashTable()]);
      await fill(10, 'hashes', { blob: { S: 'x'.repeat(1000) } });
      expect(await db.send('Scan', { TableName: 'hashes', Select: 'COUNT', ReturnConsumedCapacity: 'TOTAL' })).toEqual({
        Count: 10,
        ScannedCount: 10,
        // 10 items of 1,014 bytes = 10,140 bytes = 3 blocks of 4 KB, eventually consistent.
        ConsumedCapacity: { TableName: 'hashes', CapacityUnits: 1.5 },
      });
      expect((await db.send('Scan', { TableName: 'hashes', ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' })).ConsumedCapacity).toEqual({
        TableName: 'hashes',
        CapacityUnits: 3,
      });
    });

    it('orders an item collection by sort key', async () => {
      db = await withTables([compositeTable()]);
      for (const sk of ['10', '-1', '2.5', '1e2', '-100', '0']) {
        await db.send('PutItem', { TableName: 'composite', Item: { pk: { S: 'p' }, sk: { N: sk } } });
      }
      const { Items } = await db.send('Scan', { TableName: 'composite' });
      expect(Items.map((item: any) => item.sk.N)).toEqual(['-100', '-1', '0', '2.5', '10', '100']);
    });
  });
});
