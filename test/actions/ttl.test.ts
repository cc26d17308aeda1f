import { afterEach, describe, expect, it } from 'vitest';
import { Core } from '../../src/core/wasm.js';
import { Database } from '../../src/engine/database.js';
import { dispatch } from '../../src/actions/index.js';
import type { ChangeRecord, Tidepool } from '../../src/index.js';
import { expectError, hashTable, settle, withTables } from '../helpers.js';

let tp: Tidepool | undefined;
let db: Database | undefined;
afterEach(async () => {
  await tp?.close();
  db?.close();
  tp = db = undefined;
});

const spec = (Enabled: unknown, AttributeName: unknown = 'ttl') => ({ TableName: 'hashes', TimeToLiveSpecification: { Enabled, AttributeName } });
const describeTtl = async () => (await tp!.send('DescribeTimeToLive', { TableName: 'hashes' })).TimeToLiveDescription;

describe('UpdateTimeToLive', () => {
  describe('validations', () => {
    it('checks the request shape before the table', async () => {
      tp = await withTables([]);
      await expectError(tp.send('UpdateTimeToLive', { TimeToLiveSpecification: { Enabled: true, AttributeName: 'ttl' } }), 'ValidationException', "The parameter 'TableName' is required but was not present in the request");
      await expectError(
        tp.send('UpdateTimeToLive', { TableName: 'nope' }),
        'ValidationException',
        "1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null",
      );
      await expectError(
        tp.send('UpdateTimeToLive', { TableName: 'nope', TimeToLiveSpecification: {} }),
        'ValidationException',
        "2 validation errors detected: Value null at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must not be null; " +
          "Value null at 'timeToLiveSpecification.enabled' failed to satisfy constraint: Member must not be null",
      );
      await expectError(
        tp.send('UpdateTimeToLive', { ...spec(true, ''), TableName: 'nope' }),
        'ValidationException',
        "1 validation error detected: Value '' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length greater than or equal to 1",
      );
      await expectError(
        tp.send('UpdateTimeToLive', { ...spec(true, 'a'.repeat(256)), TableName: 'nope' }),
        'ValidationException',
        `1 validation error detected: Value '${'a'.repeat(256)}' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length less than or equal to 255`,
      );
      await expectError(tp.send('UpdateTimeToLive', { ...spec(true), TableName: 'nope' }), 'ResourceNotFoundException', 'Requested resource not found: Table: nope not found');
      await expectError(tp.send('UpdateTimeToLive', { ...spec(true), TableName: 'nope', TimeToLiveSpecification: { Enabled: 1, AttributeName: 'ttl' } }), 'SerializationException', 'NUMBER_VALUE cannot be converted to Boolean');
    });

    it('refuses a change that changes nothing, or another attribute while one is active', async () => {
      tp = await withTables([hashTable()]);
      await expectError(tp.send('UpdateTimeToLive', spec(false)), 'ValidationException', 'TimeToLive is already disabled');
      await tp.send('UpdateTimeToLive', spec(true));
      await expectError(tp.send('UpdateTimeToLive', spec(true)), 'ValidationException', 'TimeToLive is already enabled');
      await expectError(tp.send('UpdateTimeToLive', spec(true, 'other')), 'ValidationException', 'TimeToLive is active on a different AttributeName: current AttributeName is ttl');
      await expectError(tp.send('UpdateTimeToLive', spec(false, 'other')), 'ValidationException', 'TimeToLive is active on a different AttributeName: current AttributeName is ttl');
      expect(await describeTtl()).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'ttl' });
    });
  });

  describe('functionality', () => {
    it('enables and disables, answering with the specification', async () => {
      tp = await withTables([hashTable()]);
      expect(await tp.send('UpdateTimeToLive', spec(true, 'expiresAt'))).toEqual({ TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } });
      expect(await describeTtl()).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
      expect(await tp.send('UpdateTimeToLive', spec(false, 'expiresAt'))).toEqual({ TimeToLiveSpecification: { Enabled: false, AttributeName: 'expiresAt' } });
      expect(await describeTtl()).toEqual({ TimeToLiveStatus: 'DISABLED' });
      // Once disabled, another attribute may be enabled.
      await tp.send('UpdateTimeToLive', spec(true, 'other'));
      expect(await describeTtl()).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'other' });
    });

    it('takes Enabled as text, as the deserialiser does', async () => {
      tp = await withTables([hashTable()]);
      expect(await tp.send('UpdateTimeToLive', spec('true'))).toEqual({ TimeToLiveSpecification: { Enabled: true, AttributeName: 'ttl' } });
      expect(await tp.send('UpdateTimeToLive', spec('no'))).toEqual({ TimeToLiveSpecification: { Enabled: false, AttributeName: 'ttl' } });
    });
  });
});

describe('DescribeTimeToLive', () => {
  it('checks the table name and that the table exists', async () => {
    tp = await withTables([]);
    await expectError(tp.send('DescribeTimeToLive', {}), 'ValidationException', "The parameter 'TableName' is required but was not present in the request");
    await expectError(
      tp.send('DescribeTimeToLive', { TableName: 'ab' }),
      'ValidationException',
      "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
    );
    await expectError(tp.send('DescribeTimeToLive', { TableName: 'nope' }), 'ResourceNotFoundException', 'Requested resource not found: Table: nope not found');
  });

  it('answers DISABLED, with no attribute, for a table that never had TTL', async () => {
    tp = await withTables([hashTable()]);
    expect(await tp.send('DescribeTimeToLive', { TableName: 'hashes' })).toEqual({ TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } });
  });
});

describe('expiry', () => {
  const NOW = 1_700_000_000;
  const indexed = {
    TableName: 'ttl',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'g', AttributeType: 'S' },
    ],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    BillingMode: 'PAY_PER_REQUEST',
  };
  const items: Record<string, unknown>[] = [
    { pk: { S: 'past' }, exp: { N: String(NOW - 1) } },
    { pk: { S: 'fraction' }, exp: { N: `${NOW - 1}.5` } },
    { pk: { S: 'zero' }, exp: { N: '0' } },
    { pk: { S: 'now' }, exp: { N: String(NOW) } },
    { pk: { S: 'future' }, exp: { N: String(NOW + 60) } },
    { pk: { S: 'millis' }, exp: { N: String(NOW * 1000) } },
    { pk: { S: 'string' }, exp: { S: String(NOW - 1) } },
    { pk: { S: 'set' }, exp: { NS: [String(NOW - 1)] } },
    { pk: { S: 'nested' }, m: { M: { exp: { N: String(NOW - 1) } } } },
    { pk: { S: 'none' } },
  ];

  /** Opens `db` on a clock at NOW with the items above; returns the clock's hand. */
  async function open(options: { deleteTableMs?: number } = {}): Promise<{ d: Database; advance: (seconds: number) => void }> {
    let now = NOW * 1000;
    const d = (db = new Database(await Core.load(), { ...options, now: () => now }));
    dispatch(d, 'CreateTable', indexed);
    await settle();
    for (const item of items) dispatch(d, 'PutItem', { TableName: 'ttl', Item: { ...item, g: { S: 'all' } } });
    return { d, advance: (seconds) => (now += seconds * 1000) };
  }
  const enable = (d: Database, Enabled = true) => dispatch(d, 'UpdateTimeToLive', { TableName: 'ttl', TimeToLiveSpecification: { Enabled, AttributeName: 'exp' } });
  const keys = (result: unknown) => (result as { Items: { pk: { S: string } }[] }).Items.map((item) => item.pk.S).sort();
  const scan = (d: Database) => keys(dispatch(d, 'Scan', { TableName: 'ttl' }));
  const byIndex = (d: Database) => keys(dispatch(d, 'Query', { TableName: 'ttl', IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'all' } } }));
  const STAYING = ['future', 'millis', 'nested', 'none', 'now', 'set', 'string'];

  it('deletes items whose TTL Number is below now, through the delete path', async () => {
    const { d } = await open();
    enable(d);
    const records: ChangeRecord[] = [];
    d.changes.subscribe((record) => records.push(record));
    expect(d.expireItems()).toBe(3);
    expect(scan(d)).toEqual(STAYING);
    expect(byIndex(d)).toEqual(STAYING);
    expect(d.describe('ttl').checkValid()).toBeUndefined();
    const service = { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' };
    // The sweep goes in hash order; compare by key.
    expect(records.map((r) => [r.eventName, (r.keys.pk as { S: string }).S, r.userIdentity, r.oldImage?.exp]).sort((a, b) => (a[1] as string).localeCompare(b[1] as string))).toEqual([
      ['REMOVE', 'fraction', service, { N: `${NOW - 1}.5` }],
      ['REMOVE', 'past', service, { N: String(NOW - 1) }],
      ['REMOVE', 'zero', service, { N: '0' }],
    ]);
    expect(dispatch(d, 'DescribeTable', { TableName: 'ttl' })).toMatchObject({ Table: { ItemCount: STAYING.length } });
  });

  it('leaves a caller\'s delete unmarked', async () => {
    const { d } = await open();
    const records: ChangeRecord[] = [];
    d.changes.subscribe((record) => records.push(record));
    dispatch(d, 'DeleteItem', { TableName: 'ttl', Key: { pk: { S: 'past' } } });
    expect(records.map((r) => [r.eventName, r.userIdentity])).toEqual([['REMOVE', undefined]]);
  });

  it('follows the clock, and stops when TTL is disabled', async () => {
    const { d, advance } = await open();
    enable(d);
    d.expireItems();
    advance(1);
    expect(d.expireItems()).toBe(1);
    expect(scan(d)).not.toContain('now');
    enable(d, false);
    advance(3600);
    expect(d.expireItems()).toBe(0);
    expect(scan(d)).toContain('future');
  });

  it('expires nothing while TTL is disabled', async () => {
    const { d } = await open();
    expect(d.expireItems()).toBe(0);
    expect(scan(d)).toHaveLength(items.length);
  });

  it('skips a table being deleted', async () => {
    const { d } = await open({ deleteTableMs: 1000 });
    enable(d);
    dispatch(d, 'DeleteTable', { TableName: 'ttl' });
    expect(d.expireItems()).toBe(0);
  });

  it('runs on a timer every ttlSweepMs once TTL is enabled', async () => {
    tp = await withTables([hashTable()], { now: () => NOW * 1000, ttlSweepMs: 0 });
    await tp.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'old' }, ttl: { N: String(NOW - 1) } } });
    await settle();
    expect((await tp.send('Scan', { TableName: 'hashes' })).Count).toBe(1);
    await tp.send('UpdateTimeToLive', spec(true));
    await settle();
    expect((await tp.send('Scan', { TableName: 'hashes' })).Count).toBe(0);
    // Later sweeps keep running while TTL stays enabled.
    await tp.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'older' }, ttl: { N: String(NOW - 2) } } });
    await settle();
    await settle();
    expect((await tp.send('Scan', { TableName: 'hashes' })).Count).toBe(0);
  });
});
