/**
 * Checkpoints of partition pages and lazy loading: opening reads the manifest and the log after
 * it and no page; a request reads the pages of the partitions it touches, once; splits, table
 * changes and the log tail survive reopening; a checkpoint written while writes go on loses
 * nothing; a page that fails its checksum is reported, never used.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/engine/database.js';
import { MemoryStore, type OpenOptions, type Store, Tidepool } from '../../src/index.js';
import { FileStore } from '../../src/storage/file.js';
import type { Checkpoint } from '../../src/storage/store.js';
import { settle } from '../helpers.js';
import { mulberry32, randomInt } from '../support/random.js';

/** A store that counts the pages read, by id. */
class Counting implements Store {
  reads: number[] = [];
  checkpoints = 0;
  constructor(readonly inner: Store) {}
  load() {
    return this.inner.load();
  }
  append(frame: Uint8Array) {
    return this.inner.append(frame);
  }
  cut() {
    return this.inner.cut();
  }
  readPage(id: number) {
    this.reads.push(id);
    return this.inner.readPage(id);
  }
  async checkpoint(checkpoint: Checkpoint) {
    await this.inner.checkpoint(checkpoint);
    this.checkpoints++;
  }
  close() {
    return this.inner.close();
  }
}

const TABLE = {
  TableName: 'big',
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'N' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  BillingMode: 'PAY_PER_REQUEST',
};

const item = (i: number, v = 'x'.repeat(100)) => ({ pk: { S: `p${i % 500}` }, sk: { N: String(i) }, v: { S: v } });
const key = (i: number) => ({ pk: { S: `p${i % 500}` }, sk: { N: String(i) } });
/** Waits for a background checkpoint, so that a database left without closing (a crash) no longer touches its store. */
const quiesce = (db: Tidepool) => (db as unknown as { durable: { checkpointing?: Promise<void> } }).durable.checkpointing;
/** The engine behind a Tidepool (tests look at its partitions). */
const engine = (db: Tidepool): Database => (db as unknown as { db: Database }).db;
const folder = () => mkdtempSync(join(tmpdir(), 'tidepool-lazy-'));

async function load(db: Tidepool, count: number, first = 0): Promise<void> {
  for (let at = first; at < first + count; at += 25) {
    const puts = Array.from({ length: Math.min(25, first + count - at) }, (_, k) => ({ PutRequest: { Item: item(at + k) } }));
    await db.send('BatchWriteItem', { RequestItems: { big: puts } });
  }
}

async function scanAll(db: Tidepool, TableName = 'big'): Promise<unknown[]> {
  const items: unknown[] = [];
  let ExclusiveStartKey: unknown;
  do {
    const page = await db.send('Scan', { TableName, ExclusiveStartKey });
    items.push(...page.Items);
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

const OPTIONS: OpenOptions = { partitionMaxBytes: 16 * 1024 };

describe('lazy loading', () => {
  it('opens a large table reading no page; a GetItem reads one, once; a Scan reads the rest', async () => {
    const store = new Counting(new MemoryStore());
    const db = await Tidepool.open({ store, ...OPTIONS });
    await db.send('CreateTable', TABLE);
    await settle();
    await load(db, 3000);
    const partitions = engine(db).describe('big').partitionCount;
    const before = await scanAll(db);
    await db.close();
    expect(partitions).toBeGreaterThan(20);

    const reopened = await Tidepool.open({ store, ...OPTIONS });
    expect(store.reads).toEqual([]);
    // A table without indexes is described from its manifest.
    const { Table } = await reopened.send('DescribeTable', { TableName: 'big' });
    expect([Table.ItemCount, store.reads]).toEqual([3000, []]);
    expect((await reopened.send('GetItem', { TableName: 'big', Key: key(1234) })).Item).toEqual(item(1234));
    expect(store.reads).toHaveLength(1);
    expect((await reopened.send('GetItem', { TableName: 'big', Key: key(1234) })).Item).toEqual(item(1234));
    expect(store.reads).toHaveLength(1);
    expect((await reopened.send('GetItem', { TableName: 'big', Key: { pk: { S: 'nobody' }, sk: { N: '1' } } })).Item).toBeUndefined();
    expect(await scanAll(reopened)).toEqual(before);
    expect(store.reads).toHaveLength(partitions);
    expect(new Set(store.reads).size).toBe(partitions);
    const table = engine(reopened).describe('big');
    expect([table.partitionCount, table.itemCount, table.checkValid()]).toEqual([partitions, 3000, undefined]);
    await reopened.close();
  });

  it('replays the log tail without reading pages, and applies it to a partition when it loads', async () => {
    const store = new Counting(new MemoryStore());
    const db = await Tidepool.open({ store, ...OPTIONS });
    await db.send('CreateTable', TABLE);
    await settle();
    await load(db, 2000);
    await db.close();

    // Writes after the checkpoint, then the process dies: they are only in the log.
    const crashed = await Tidepool.open({ store, ...OPTIONS });
    await crashed.send('PutItem', { TableName: 'big', Item: item(7, 'changed') });
    await crashed.send('DeleteItem', { TableName: 'big', Key: key(8) });
    await crashed.send('TransactWriteItems', {
      TransactItems: [{ Put: { TableName: 'big', Item: item(5000, 'new') } }, { Delete: { TableName: 'big', Key: key(9) } }],
    });
    await quiesce(crashed);
    const expected = await scanAll(crashed);
    store.reads = [];

    const reopened = await Tidepool.open({ store, ...OPTIONS });
    expect(store.reads).toEqual([]);
    expect((await reopened.send('GetItem', { TableName: 'big', Key: key(7) })).Item).toEqual(item(7, 'changed'));
    expect((await reopened.send('BatchGetItem', { RequestItems: { big: { Keys: [key(8), key(9), key(5000)] } } })).Responses.big).toEqual([item(5000, 'new')]);
    expect(store.reads.length).toBeLessThanOrEqual(4);
    expect(await scanAll(reopened)).toEqual(expected);
    expect(engine(reopened).describe('big').checkValid()).toBeUndefined();
    await reopened.close();
  });

  it('keeps splits, and splits after reopening, across checkpoints', async () => {
    const store = new MemoryStore();
    let db = await Tidepool.open({ store, ...OPTIONS });
    await db.send('CreateTable', TABLE);
    await settle();
    const counts: number[] = [];
    for (let round = 0; round < 3; round++) {
      await load(db, 1000, round * 1000);
      counts.push(engine(db).describe('big').partitionCount);
      await db.close();
      db = await Tidepool.open({ store, ...OPTIONS });
      expect(engine(db).describe('big').partitionCount).toBe(counts[round]);
      expect(engine(db).describe('big').itemCount).toBe((round + 1) * 1000);
    }
    expect(counts[0]).toBeLessThan(counts[1]);
    expect(counts[1]).toBeLessThan(counts[2]);
    expect(await scanAll(db)).toHaveLength(3000);
    expect(engine(db).describe('big').checkValid()).toBeUndefined();
    await db.close();
    // Every page the last manifest names is there, and no other.
    expect(store.pageIds()).toHaveLength(counts[2]);
  });

  it('loads the whole table before a write to a table with indexes, and rebuilds the indexes', async () => {
    const store = new Counting(new MemoryStore());
    const indexed = {
      ...TABLE,
      AttributeDefinitions: [...TABLE.AttributeDefinitions, { AttributeName: 'v', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [{ IndexName: 'by-v', KeySchema: [{ AttributeName: 'v', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
    };
    const db = await Tidepool.open({ store, ...OPTIONS });
    await db.send('CreateTable', indexed);
    await settle();
    for (let i = 0; i < 1000; i += 25) {
      const puts = Array.from({ length: 25 }, (_, k) => ({ PutRequest: { Item: item(i + k, `v${(i + k) % 7}`) } }));
      await db.send('BatchWriteItem', { RequestItems: { big: puts } });
    }
    await db.close();
    expect(store.reads).toEqual([]);

    const reopened = await Tidepool.open({ store, ...OPTIONS });
    expect((await reopened.send('GetItem', { TableName: 'big', Key: key(3) })).Item).toEqual(item(3, 'v3'));
    expect(store.reads).toHaveLength(1);
    await reopened.send('PutItem', { TableName: 'big', Item: item(3, 'v4') });
    expect(store.reads).toHaveLength(engine(reopened).describe('big').partitionCount);
    const query = async (v: string) =>
      (await reopened.send('Query', { TableName: 'big', IndexName: 'by-v', KeyConditionExpression: 'v = :v', ExpressionAttributeValues: { ':v': { S: v } }, Select: 'COUNT' })).Count;
    expect([await query('v3'), await query('v4')]).toEqual([142, 144]);
    expect(engine(reopened).describe('big').checkValid()).toBeUndefined();
    await reopened.close();
  });

  it('persists table deletion and re-creation over tables that were never loaded', async () => {
    const store = new Counting(new MemoryStore());
    const db = await Tidepool.open({ store, ...OPTIONS });
    await db.send('CreateTable', TABLE);
    await db.send('CreateTable', { ...TABLE, TableName: 'kept' });
    await settle();
    await load(db, 500);
    await db.send('PutItem', { TableName: 'kept', Item: item(1) });
    await db.close();

    const second = await Tidepool.open({ store, ...OPTIONS });
    await second.send('DeleteTable', { TableName: 'big' });
    await settle();
    await second.send('CreateTable', TABLE);
    await settle();
    await second.send('PutItem', { TableName: 'big', Item: item(2) });
    // Dies: the deletion and re-creation are in the log only.

    const third = await Tidepool.open({ store, ...OPTIONS });
    expect(await scanAll(third)).toEqual([item(2)]);
    expect(await scanAll(third, 'kept')).toEqual([item(1)]);
    await third.close();
    const fourth = await Tidepool.open({ store, ...OPTIONS });
    expect(await scanAll(fourth)).toEqual([item(2)]);
    await fourth.close();
    // The kept table's one page, and the re-created table's after its first checkpoint: never the deleted table's.
    expect(store.reads.length).toBe(2);
  });
});

describe('checkpoints while writes go on', () => {
  for (const kind of ['memory', 'file'] as const) {
    it(`lose nothing (${kind} store): seeded random writes against a model, across crashes and reopening`, async () => {
      const random = mulberry32(kind === 'memory' ? 11 : 12);
      const dir = folder();
      const memory = new MemoryStore();
      const open = async () => {
        const store = new Counting(kind === 'memory' ? memory : await FileStore.open(dir));
        return { store, db: await Tidepool.open({ store, partitionMaxBytes: 8 * 1024, checkpointBytes: 4 * 1024 }) };
      };
      let { store, db } = await open();
      await db.send('CreateTable', TABLE);
      await settle();
      const model = new Map<number, unknown>();
      let checkpoints = 0;
      for (let round = 0; round < 6; round++) {
        // 40 requests in flight at a time: puts, deletes, updates and two-item transactions.
        for (let wave = 0; wave < 15; wave++) {
          const requests: Promise<unknown>[] = [];
          for (let n = 0; n < 40; n++) {
            const i = randomInt(random, 0, 1500);
            const roll = random();
            if (roll < 0.5) {
              const value = item(i, `r${round}w${wave}n${n}`.padEnd(randomInt(random, 10, 300), '.'));
              model.set(i, value);
              requests.push(db.send('PutItem', { TableName: 'big', Item: value }));
            } else if (roll < 0.7) {
              model.delete(i);
              requests.push(db.send('DeleteItem', { TableName: 'big', Key: key(i) }));
            } else if (roll < 0.85) {
              const before = model.get(i) as ReturnType<typeof item> | undefined;
              model.set(i, { ...(before ?? key(i)), n: { N: String(round) } });
              requests.push(db.send('UpdateItem', { TableName: 'big', Key: key(i), UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: String(round) } } }));
            } else {
              const j = 2000 + randomInt(random, 0, 300);
              const [a, b] = [item(j, `t${round}-${wave}-${n}`), item(j + 1000, `t${round}-${wave}-${n}`)];
              if (model.has(j) || model.has(j + 1000)) continue;
              model.set(j, a);
              model.set(j + 1000, b);
              requests.push(db.send('TransactWriteItems', { TransactItems: [{ Put: { TableName: 'big', Item: a } }, { Put: { TableName: 'big', Item: b } }] }));
            }
          }
          await Promise.all(requests);
          // Now and then a macrotask: background checkpoints make progress between the waves.
          if (wave % 5 === 4) await settle();
        }
        await quiesce(db);
        checkpoints += store.checkpoints;
        // Half the rounds end in a crash (no close), half in a close.
        if (round % 2 === 0) {
          await db.close();
        } else if (kind === 'file') {
          await store.inner.close();
        }
        ({ store, db } = await open());
        const expected = [...model.values()].sort((x: any, y: any) => x.pk.S.localeCompare(y.pk.S) || Number(x.sk.N) - Number(y.sk.N));
        const found = (await scanAll(db)).sort((x: any, y: any) => x.pk.S.localeCompare(y.pk.S) || Number(x.sk.N) - Number(y.sk.N));
        expect(found, `round ${round}`).toEqual(expected);
        expect(engine(db).describe('big').checkValid()).toBeUndefined();
      }
      await db.close();
      expect(checkpoints).toBeGreaterThanOrEqual(3);
    }, 60_000);
  }
});

describe('a page that fails its checksum', () => {
  it('fails the first request that needs it with InternalServerError (cause StorageCorruptionError), never used; the rest of the database works', async () => {
    const dir = folder();
    const db = await Tidepool.open({ path: dir, ...OPTIONS });
    await db.send('CreateTable', TABLE);
    await settle();
    await load(db, 1000);
    await db.close();

    const store = new Counting(await FileStore.open(dir));
    const reopened = await Tidepool.open({ store, ...OPTIONS });
    await reopened.send('GetItem', { TableName: 'big', Key: key(1) });
    const [page] = store.reads;
    // Another partition's key, found by trying.
    let other = 2;
    for (; store.reads.length === 1; other++) await reopened.send('GetItem', { TableName: 'big', Key: key(other) });
    await reopened.close();
    const file = join(dir, `page-${page}`);
    const bytes = readFileSync(file);
    bytes[bytes.length >> 1] ^= 0x20;
    writeFileSync(file, bytes);

    const damaged = await Tidepool.open({ path: dir, ...OPTIONS });
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = (await damaged.send('GetItem', { TableName: 'big', Key: key(1) }).catch((e: Error) => e)) as Error;
      expect([error.name, error.message, (error.cause as Error).name, (error.cause as Error).message]).toEqual([
        'InternalServerError',
        'Internal server error',
        'StorageCorruptionError',
        `Tidepool: page-${page} is corrupt: the frame at byte 0 fails its checksum`,
      ]);
    }
    expect((await damaged.send('GetItem', { TableName: 'big', Key: key(other - 1) })).Item).toEqual(item(other - 1));
    await damaged.send('PutItem', { TableName: 'big', Item: item(other - 1, 'after') });
    expect((await damaged.send('Scan', { TableName: 'big' }).catch((e: Error) => e.name))).toBe('InternalServerError');
    await damaged.close();
    expect(readdirSync(dir)).toContain(`page-${page}`);
  });
});

describe('requests on a table not loaded yet', () => {
  it('answer exactly as on a table in memory, for random and malformed keys', async () => {
    const store = new MemoryStore();
    const db = await Tidepool.open({ store, ...OPTIONS });
    const twin = await Tidepool.open(OPTIONS);
    for (const target of [db, twin]) {
      await target.send('CreateTable', TABLE);
      await settle();
      await load(target, 1500);
    }
    await db.close();
    const next = mulberry32(5);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
    const values = [null, 7, 'p1', [], {}, { S: 'p3' }, { N: '12' }, { N: 'x' }, { S: 3 }, { B: 'AQID' }, { NULL: true }];
    const randomKey = (): unknown => {
      const i = randomInt(next, 0, 1600);
      if (next() < 0.6) return key(i);
      const k: Record<string, unknown> = { ...key(i) };
      k[pick(['pk', 'sk', 'other'])] = pick(values);
      if (next() < 0.2) delete k.pk;
      return next() < 0.1 ? pick(values) : k;
    };
    const request = (): [string, unknown] => {
      const k = randomKey();
      const asItem = typeof k === 'object' && k !== null && !Array.isArray(k) ? { ...k, v: { S: 'w' } } : k;
      switch (randomInt(next, 0, 5)) {
        case 0:
          return ['GetItem', { TableName: 'big', Key: k }];
        case 1:
          return ['PutItem', { TableName: 'big', Item: asItem }];
        case 2:
          return ['DeleteItem', { TableName: 'big', Key: k, ReturnValues: 'ALL_OLD' }];
        case 3:
          return ['BatchGetItem', { RequestItems: { big: { Keys: [k, randomKey()] } } }];
        case 4:
          return ['BatchWriteItem', { RequestItems: { big: [{ PutRequest: { Item: asItem } }, { DeleteRequest: { Key: randomKey() } }] } }];
        default:
          return ['TransactWriteItems', { TransactItems: [{ Update: { TableName: 'big', Key: k, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { S: 'u' } } } }, { ConditionCheck: { TableName: 'big', Key: randomKey(), ConditionExpression: 'attribute_exists(pk)' } }] }];
      }
    };
    const reopened = await Tidepool.open({ store, ...OPTIONS });
    const answer = (target: Tidepool, [action, input]: [string, unknown]) =>
      target.send(action, input).then(
        (output) => ({ output }),
        (error: Error) => ({ error: error.name, message: error.message }),
      );
    for (let i = 0; i < 600; i++) {
      const r = request();
      expect(await answer(reopened, r), JSON.stringify(r)).toEqual(await answer(twin, r));
    }
    expect(await scanAll(reopened)).toEqual(await scanAll(twin));
    await reopened.close();
    await twin.close();
  });
});

describe('Time to Live on a table not loaded yet', () => {
  it('loads the table in the background after opening, so that the sweep sees every item', async () => {
    const store = new MemoryStore();
    let now = 1_000_000;
    const options = { store, ...OPTIONS, now: () => now };
    const db = await Tidepool.open(options);
    await db.send('CreateTable', TABLE);
    await settle();
    await db.send('UpdateTimeToLive', { TableName: 'big', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } });
    for (let i = 0; i < 1000; i += 25) {
      const puts = Array.from({ length: 25 }, (_, k) => ({ PutRequest: { Item: { ...item(i + k), expires: { N: String(1000 + ((i + k) % 4)) } } } }));
      await db.send('BatchWriteItem', { RequestItems: { big: puts } });
    }
    await db.close();

    now = 1_002_500;
    const reopened = await Tidepool.open(options);
    await settle();
    expect(engine(reopened).describe('big').stubs).toBe(0);
    // Expiry times 1000..1003 s; now 1002.5 s: those at 1000, 1001 and 1002 expired.
    expect(engine(reopened).expireItems()).toBe(750);
    await reopened.close();
  });
});
