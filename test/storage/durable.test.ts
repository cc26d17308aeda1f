/**
 * The durability layer over a MemoryStore: what is acknowledged is recovered exactly (items,
 * indexes, the catalog), group commit, checkpoints, and failing writes.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore, StorageCorruptionError, Tidepool } from '../../src/index.js';
import { settle } from '../helpers.js';

const TABLE = {
  TableName: 'orders',
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'N' },
    { AttributeName: 'status', AttributeType: 'S' },
    { AttributeName: 'placed', AttributeType: 'N' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  GlobalSecondaryIndexes: [
    { IndexName: 'by-status', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' }, ProvisionedThroughput: { ReadCapacityUnits: 7, WriteCapacityUnits: 8 } },
  ],
  LocalSecondaryIndexes: [{ IndexName: 'by-placed', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'placed', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
  ProvisionedThroughput: { ReadCapacityUnits: 50, WriteCapacityUnits: 50 },
  Tags: [{ Key: 'team', Value: 'shop' }],
};

const SIMPLE = {
  TableName: 'orders',
  AttributeDefinitions: TABLE.AttributeDefinitions.slice(0, 2),
  KeySchema: TABLE.KeySchema,
  BillingMode: 'PAY_PER_REQUEST',
};

async function everything(db: Tidepool) {
  const scan = await db.send('Scan', { TableName: 'orders' });
  const byStatus = await db.send('Query', { TableName: 'orders', IndexName: 'by-status', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'open' } } });
  const byPlaced = await db.send('Query', { TableName: 'orders', IndexName: 'by-placed', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'a' } } });
  const { Table } = await db.send('DescribeTable', { TableName: 'orders' });
  const tags = await db.send('ListTagsOfResource', { ResourceArn: Table.TableArn });
  const ttl = await db.send('DescribeTimeToLive', { TableName: 'orders' });
  return { items: scan.Items, byStatus: byStatus.Items, byPlaced: byPlaced.Items, table: Table, tags: tags.Tags, ttl: ttl.TimeToLiveDescription };
}

async function seed(db: Tidepool) {
  await db.send('CreateTable', TABLE);
  await settle();
  await db.send('UpdateTimeToLive', { TableName: 'orders', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } });
  for (let i = 0; i < 20; i++) {
    await db.send('PutItem', { TableName: 'orders', Item: { pk: { S: i % 2 ? 'a' : 'b' }, sk: { N: String(i) }, status: { S: i % 3 ? 'open' : 'closed' }, placed: { N: String(100 - i) }, blob: { B: 'AQID' } } });
  }
  await db.send('UpdateItem', { TableName: 'orders', Key: { pk: { S: 'a' }, sk: { N: '1' } }, UpdateExpression: 'SET #s = :c', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':c': { S: 'closed' } } });
  await db.send('DeleteItem', { TableName: 'orders', Key: { pk: { S: 'b' }, sk: { N: '2' } } });
  await db.send('TransactWriteItems', {
    TransactItems: [
      { Put: { TableName: 'orders', Item: { pk: { S: 'a' }, sk: { N: '99' }, status: { S: 'open' }, placed: { N: '1' } } } },
      { Delete: { TableName: 'orders', Key: { pk: { S: 'b' }, sk: { N: '4' } } } },
    ],
  });
}

describe('durable databases', () => {
  it('recover every acknowledged write, the indexes and the catalog exactly', async () => {
    const store = new MemoryStore();
    const db = await Tidepool.open({ store });
    await seed(db);
    const before = await everything(db);
    await db.close();

    const reopened = await Tidepool.open({ store });
    expect(await everything(reopened)).toEqual(before);
    expect(before.items).toHaveLength(19);
    await reopened.close();
  });

  it('recover the same state from a checkpoint plus the log after it', async () => {
    const store = new MemoryStore();
    const db = await Tidepool.open({ store, checkpointBytes: 2000 });
    await seed(db);
    const before = await everything(db);
    await db.close();
    const { manifest, log } = await store.load();
    expect(manifest).toBeDefined();
    expect(log.length).toBeLessThan(5);

    const reopened = await Tidepool.open({ store });
    expect(await everything(reopened)).toEqual(before);
    await reopened.close();
  });

  it('persist table deletion, re-creation and index changes', async () => {
    const store = new MemoryStore();
    const db = await Tidepool.open({ store });
    await seed(db);
    await db.send('DeleteTable', { TableName: 'orders' });
    await settle();
    await db.send('CreateTable', { ...TABLE, Tags: undefined, GlobalSecondaryIndexes: undefined, AttributeDefinitions: [...TABLE.AttributeDefinitions.slice(0, 2), TABLE.AttributeDefinitions[3]] });
    await settle();
    await db.send('PutItem', { TableName: 'orders', Item: { pk: { S: 'z' }, sk: { N: '1' }, status: { S: 'new' } } });
    await db.send('UpdateTable', {
      TableName: 'orders',
      GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'by-status', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } } }],
      AttributeDefinitions: TABLE.AttributeDefinitions,
    });
    await settle(5);
    const live = (await db.send('DescribeTable', { TableName: 'orders' })).Table;
    expect(live.AttributeDefinitions.map((d: { AttributeName: string }) => d.AttributeName)).toEqual(['pk', 'sk', 'placed', 'status']);
    await db.close();

    const reopened = await Tidepool.open({ store });
    expect((await reopened.send('Scan', { TableName: 'orders' })).Items).toEqual([{ pk: { S: 'z' }, sk: { N: '1' }, status: { S: 'new' } }]);
    const { Table } = await reopened.send('DescribeTable', { TableName: 'orders' });
    expect(Table.AttributeDefinitions).toEqual(live.AttributeDefinitions);
    expect(Table.GlobalSecondaryIndexes.map((i: { IndexName: string; IndexStatus: string; ItemCount: number }) => [i.IndexName, i.IndexStatus, i.ItemCount])).toEqual([['by-status', 'ACTIVE', 1]]);
    expect((await reopened.send('ListTagsOfResource', { ResourceArn: Table.TableArn })).Tags).toEqual([]);
    await reopened.close();
  });

  it('put concurrent writes into one frame and answer them together', async () => {
    const store = new MemoryStore();
    const db = await Tidepool.open({ store });
    await db.send('CreateTable', SIMPLE);
    await settle();
    const framesBefore = (await store.load()).log.length;
    await Promise.all(Array.from({ length: 50 }, (_, i) => db.send('PutItem', { TableName: 'orders', Item: { pk: { S: 'p' }, sk: { N: String(i) } } })));
    expect((await store.load()).log.length).toBe(framesBefore + 1);
    await db.close();
  });

  it('answer a write whose frame fails with InternalServerError and undo it, and those after it', async () => {
    const store = new MemoryStore();
    const db = await Tidepool.open({ store });
    await db.send('CreateTable', SIMPLE);
    await settle();
    const key = { pk: { S: 'k' }, sk: { N: '1' } };
    await db.send('PutItem', { TableName: 'orders', Item: { ...key, v: { S: 'durable' } } });
    store.fail = Object.assign(new Error('disk full'), { name: 'QuotaExceededError' });
    const failed = await db.send('PutItem', { TableName: 'orders', Item: { ...key, v: { S: 'lost' } } }).catch((e: Error) => e);
    expect([(failed as Error).name, (failed as Error).message, ((failed as Error).cause as Error).name]).toEqual(['InternalServerError', 'Internal server error', 'QuotaExceededError']);
    expect((await db.send('GetItem', { TableName: 'orders', Key: key })).Item).toEqual({ ...key, v: { S: 'durable' } });
    // The database stays usable, and what it says matches what survives a restart.
    await db.send('PutItem', { TableName: 'orders', Item: { ...key, v: { S: 'after' } } });
    await db.close();
    const reopened = await Tidepool.open({ store });
    expect((await reopened.send('GetItem', { TableName: 'orders', Key: key })).Item).toEqual({ ...key, v: { S: 'after' } });
    await reopened.close();
  });

  it('keep answering, without retrying in a loop, while a store keeps failing', async () => {
    const store = new MemoryStore();
    const db = await Tidepool.open({ store });
    await db.send('CreateTable', SIMPLE);
    await settle();
    let lost = true;
    let appends = 0;
    const append = store.append.bind(store);
    store.append = (frame) => {
      appends++;
      return lost ? Promise.reject(new Error('connection closed')) : append(frame);
    };
    const put = (v: string) => db.send('PutItem', { TableName: 'orders', Item: { pk: { S: 'a' }, sk: { N: '1' }, v: { S: v } } }).then(() => 'ok', (e: Error) => `${e.name}: ${(e.cause as Error).message}`);
    expect([await put('1'), await put('2'), await put('3')]).toEqual(Array(3).fill('InternalServerError: connection closed'));
    expect(appends).toBe(3);
    expect((await db.send('Scan', { TableName: 'orders' })).Items).toEqual([]);
    lost = false;
    expect(await put('4')).toBe('ok');
    await db.close();
    const reopened = await Tidepool.open({ store });
    expect((await reopened.send('Scan', { TableName: 'orders' })).Items).toEqual([{ pk: { S: 'a' }, sk: { N: '1' }, v: { S: '4' } }]);
    await reopened.close();
  });

  it('never answer a read later than it can', async () => {
    const store = new MemoryStore();
    const db = await Tidepool.open({ store });
    await db.send('CreateTable', SIMPLE);
    await settle();
    let appends = 0;
    const append = store.append.bind(store);
    store.append = (frame) => {
      appends++;
      return append(frame);
    };
    await db.send('GetItem', { TableName: 'orders', Key: { pk: { S: 'x' }, sk: { N: '1' } } });
    await db.send('PutItem', { TableName: 'orders', Item: { pk: { S: 'x' }, sk: { N: '1' } }, ConditionExpression: 'attribute_exists(pk)' }).catch(() => undefined);
    expect(appends).toBe(0);
    await db.close();
  });

  it('refuse to open a store whose log cannot be read back', async () => {
    const store = new MemoryStore();
    await store.append(new TextEncoder().encode('{"w":'));
    await expect(Tidepool.open({ store })).rejects.toThrow(new StorageCorruptionError('Tidepool: log frame 0 cannot be read back'));
  });
});

describe('flushed()', () => {
  /** A MemoryStore whose appends wait until released, so a test can act while a frame is being written. */
  class HeldStore extends MemoryStore {
    held: Array<() => void> = [];
    override async append(frame: Uint8Array): Promise<void> {
      await new Promise<void>((release) => this.held.push(release));
      return super.append(frame);
    }
  }

  it('waits for the frame being written, and rejects with its failure', async () => {
    const store = new HeldStore();
    const db = await Tidepool.open({ store });
    const created = db.send('CreateTable', SIMPLE);
    await settle();
    store.held.shift()!();
    await created;
    await settle();
    while (store.held.length > 0) store.held.shift()!();
    await settle();

    const put = db.send('PutItem', { TableName: 'orders', Item: { pk: { S: 'a' }, sk: { N: '1' } } });
    await settle();
    // The put's frame is being written: nothing is pending, and flushed() still waits for it.
    expect(store.held).toHaveLength(1);
    let flushed = false;
    const waiting = db.flushed().then(() => (flushed = true));
    await settle();
    expect(flushed).toBe(false);
    store.held.shift()!();
    await waiting;
    await put;
    expect(flushed).toBe(true);

    const failing = db.send('PutItem', { TableName: 'orders', Item: { pk: { S: 'a' }, sk: { N: '2' } } });
    await settle();
    const failed = db.flushed().catch((error: Error) => `${error.name}: ${(error.cause as Error).message}`);
    store.fail = new Error('disk gone');
    store.held.shift()!();
    expect(await failed).toBe('InternalServerError: disk gone');
    await expect(failing).rejects.toMatchObject({ name: 'InternalServerError' });
    expect(await db.send('GetItem', { TableName: 'orders', Key: { pk: { S: 'a' }, sk: { N: '2' } } })).toEqual({});
    await expect(db.flushed()).resolves.toBeUndefined();
    const closing = db.close();
    while (store.held.length > 0) store.held.shift()!();
    await closing;
  });
});
