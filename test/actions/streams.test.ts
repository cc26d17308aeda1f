import { afterEach, describe, expect, it } from 'vitest';
import type { Tidepool } from '../../src/index.js';
import { compositeTable, expectError, hashTable, openDb, settle, withTables } from '../helpers.js';

let db: Tidepool;
afterEach(async () => db?.close());

const T0 = Date.UTC(2026, 10, 25, 18, 0, 0);
let now = T0;
const clock = { now: () => now };

const TABLE_ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/hashes';
const LABEL = '2026-11-25T18:00:00.000';
const STREAM_ARN = `${TABLE_ARN}/stream/${LABEL}`;
const SHARD_ID = 'shardId-00000001795629600000-dee8f9dc';
const seq = (n: number) => String(n).padStart(21, '0');

const streamed = (viewType = 'NEW_AND_OLD_IMAGES', table = hashTable()) => ({ ...table, StreamSpecification: { StreamEnabled: true, StreamViewType: viewType } });

/** A database on the test clock, at T0, with `hashes` streaming with this view type. */
async function streaming(viewType = 'NEW_AND_OLD_IMAGES'): Promise<Tidepool> {
  now = T0;
  return withTables([streamed(viewType)], clock);
}

async function iterator(type = 'TRIM_HORIZON', extra: Record<string, string> = {}): Promise<string> {
  const { ShardIterator } = await db.send('GetShardIterator', { StreamArn: STREAM_ARN, ShardId: SHARD_ID, ShardIteratorType: type, ...extra });
  return ShardIterator;
}

/** Every record the stream holds, read from TRIM_HORIZON. */
async function allRecords(): Promise<Record<string, any>[]> {
  const { Records } = await db.send('GetRecords', { ShardIterator: await iterator() });
  return Records;
}

const summary = (records: Record<string, any>[]) => records.map((r) => [r.eventName, r.dynamodb.Keys, r.dynamodb.OldImage, r.dynamodb.NewImage]);

describe('CreateTable with StreamSpecification', () => {
  describe('validations', () => {
    it('requires StreamEnabled and a known StreamViewType', async () => {
      db = await openDb();
      await expectError(
        db.send('CreateTable', { ...hashTable(), StreamSpecification: { StreamViewType: 'NEW_IMAGE' } }),
        'ValidationException',
        "1 validation error detected: Value null at 'streamSpecification.streamEnabled' failed to satisfy constraint: Member must not be null",
      );
      await expectError(
        db.send('CreateTable', { ...hashTable(), StreamSpecification: { StreamEnabled: true, StreamViewType: 'ALL' } }),
        'ValidationException',
        "1 validation error detected: Value 'ALL' at 'streamSpecification.streamViewType' failed to satisfy constraint: Member must satisfy enum value set: [NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY]",
      );
      await expectError(db.send('CreateTable', { ...hashTable(), StreamSpecification: { StreamEnabled: 'on' } }), 'SerializationException', 'Unexpected token received from parser');
    });

    it('needs a view type exactly when the stream is enabled', async () => {
      db = await openDb();
      await expectError(
        db.send('CreateTable', { ...hashTable(), StreamSpecification: { StreamEnabled: true } }),
        'ValidationException',
        'One or more parameter values were invalid: Table is being created with a stream enabled, UpdateViewType is required',
      );
      await expectError(
        db.send('CreateTable', { ...hashTable(), StreamSpecification: { StreamEnabled: false, StreamViewType: 'KEYS_ONLY' } }),
        'ValidationException',
        'One or more parameter values were invalid: Table is being created with a stream disabled, UpdateViewType should not be specified',
      );
      expect(await db.send('ListTables', {})).toEqual({ TableNames: [] });
    });
  });

  describe('functionality', () => {
    it('describes the stream in the table description', async () => {
      now = T0;
      db = await openDb(clock);
      const { TableDescription } = await db.send('CreateTable', streamed('NEW_IMAGE'));
      const streamFields = { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' }, LatestStreamLabel: LABEL, LatestStreamArn: STREAM_ARN };
      expect(TableDescription).toMatchObject(streamFields);
      await settle();
      expect((await db.send('DescribeTable', { TableName: 'hashes' })).Table).toMatchObject(streamFields);
    });

    it('creates no stream for StreamEnabled false', async () => {
      db = await openDb();
      const { TableDescription } = await db.send('CreateTable', { ...hashTable(), StreamSpecification: { StreamEnabled: false } });
      expect([TableDescription.StreamSpecification, TableDescription.LatestStreamArn, TableDescription.LatestStreamLabel]).toEqual([undefined, undefined, undefined]);
      expect(await db.send('ListStreams', {})).toEqual({ Streams: [] });
    });
  });
});

describe('UpdateTable with StreamSpecification', () => {
  describe('validations', () => {
    it('needs a view type to enable and none to disable', async () => {
      db = await withTables([hashTable()]);
      await expectError(
        db.send('UpdateTable', { TableName: 'hashes', StreamSpecification: { StreamEnabled: true } }),
        'ValidationException',
        'One or more parameter values were invalid: If stream is being enabled then UpdateViewType is required',
      );
      await expectError(
        db.send('UpdateTable', { TableName: 'hashes', StreamSpecification: { StreamEnabled: false, StreamViewType: 'KEYS_ONLY' } }),
        'ValidationException',
        'One or more parameter values were invalid: If stream is being disabled, then UpdateViewType must not be specified',
      );
    });

    it('refuses index creation or deletion in the same request', async () => {
      db = await withTables([hashTable()]);
      await expectError(
        db.send('UpdateTable', {
          TableName: 'hashes',
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
          AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
          GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }],
        }),
        'ValidationException',
        'One or more parameter values were invalid: You cannot create or delete index while changing stream status',
      );
    });

    it('refuses to enable an enabled stream, whatever the view type, and to disable none', async () => {
      db = await streaming();
      for (const StreamViewType of ['NEW_AND_OLD_IMAGES', 'KEYS_ONLY']) {
        await expectError(
          db.send('UpdateTable', { TableName: 'hashes', StreamSpecification: { StreamEnabled: true, StreamViewType } }),
          'ValidationException',
          'Table already has an enabled stream: TableName: hashes',
        );
      }
      await db.send('CreateTable', compositeTable());
      await settle();
      await expectError(
        db.send('UpdateTable', { TableName: 'composite', StreamSpecification: { StreamEnabled: false } }),
        'ValidationException',
        'Table has no stream to disable: TableName: composite',
      );
    });

    it('changes nothing when the rest of the request is refused', async () => {
      db = await withTables([compositeTable()]);
      await expectError(
        db.send('UpdateTable', {
          TableName: 'composite',
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
          ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        }),
        'ValidationException',
        'The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: 5. Requested ReadCapacityUnits: 5. Current WriteCapacityUnits provisioned for the table: 5. Requested WriteCapacityUnits: 5. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.',
      );
      expect((await db.send('DescribeTable', { TableName: 'composite' })).Table.LatestStreamArn).toBeUndefined();
    });
  });

  describe('functionality', () => {
    it('enables, disables and re-enables: a new stream each time, the old one DISABLED', async () => {
      now = T0;
      db = await withTables([hashTable()], clock);
      const enabled = await db.send('UpdateTable', { TableName: 'hashes', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } });
      expect(enabled.TableDescription).toMatchObject({
        TableStatus: 'UPDATING',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
        LatestStreamLabel: LABEL,
        LatestStreamArn: STREAM_ARN,
      });
      await settle();

      now += 1000;
      const disabled = await db.send('UpdateTable', { TableName: 'hashes', StreamSpecification: { StreamEnabled: false } });
      expect(disabled.TableDescription.StreamSpecification).toBeUndefined();
      expect(disabled.TableDescription).toMatchObject({ TableStatus: 'UPDATING', LatestStreamLabel: LABEL, LatestStreamArn: STREAM_ARN });
      await settle();
      expect((await db.send('DescribeStream', { StreamArn: STREAM_ARN })).StreamDescription.StreamStatus).toBe('DISABLED');

      now += 1000;
      const again = await db.send('UpdateTable', { TableName: 'hashes', StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } });
      expect(again.TableDescription).toMatchObject({
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
        LatestStreamLabel: '2026-11-25T18:00:02.000',
        LatestStreamArn: `${TABLE_ARN}/stream/2026-11-25T18:00:02.000`,
      });
      await settle();
      expect((await db.send('ListStreams', {})).Streams.map((s: { StreamLabel: string }) => s.StreamLabel)).toEqual([LABEL, '2026-11-25T18:00:02.000']);
    });

    it('gives a stream re-enabled within the same millisecond the next label', async () => {
      now = T0;
      db = await withTables([hashTable()], clock);
      for (const StreamEnabled of [true, false, true]) {
        await db.send('UpdateTable', { TableName: 'hashes', StreamSpecification: { StreamEnabled, ...(StreamEnabled ? { StreamViewType: 'KEYS_ONLY' } : {}) } });
        await settle();
      }
      expect((await db.send('DescribeTable', { TableName: 'hashes' })).Table.LatestStreamLabel).toBe('2026-11-25T18:00:00.001');
    });
  });
});

describe('ListStreams', () => {
  it('checks its parameters', async () => {
    db = await openDb();
    await expectError(
      db.send('ListStreams', { Limit: 0, TableName: 'ab' }),
      'ValidationException',
      "2 validation errors detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3; " +
        "Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    await expectError(
      db.send('ListStreams', { ExclusiveStartStreamArn: 'arn' }),
      'ValidationException',
      "1 validation error detected: Value 'arn' at 'exclusiveStartStreamArn' failed to satisfy constraint: Member must have length greater than or equal to 37",
    );
  });

  it('lists streams oldest first, by table, a page at a time', async () => {
    now = T0;
    db = await withTables([streamed(), streamed('KEYS_ONLY', hashTable('second')), hashTable('plain')], clock);
    const second = { StreamArn: `arn:aws:dynamodb:us-east-1:000000000000:table/second/stream/${LABEL}`, TableName: 'second', StreamLabel: LABEL };
    const first = { StreamArn: STREAM_ARN, TableName: 'hashes', StreamLabel: LABEL };
    expect(await db.send('ListStreams', {})).toEqual({ Streams: [first, second] });
    expect(await db.send('ListStreams', { TableName: 'second' })).toEqual({ Streams: [second] });
    expect(await db.send('ListStreams', { TableName: 'plain' })).toEqual({ Streams: [] });
    expect(await db.send('ListStreams', { TableName: 'nosuchtable' })).toEqual({ Streams: [] });
    expect(await db.send('ListStreams', { Limit: 1 })).toEqual({ Streams: [first], LastEvaluatedStreamArn: STREAM_ARN });
    expect(await db.send('ListStreams', { Limit: 1, ExclusiveStartStreamArn: STREAM_ARN })).toEqual({ Streams: [second] });
  });
});

describe('DescribeStream', () => {
  it('checks its parameters and the stream', async () => {
    db = await streaming();
    await expectError(db.send('DescribeStream', {}), 'ValidationException', "The parameter 'StreamArn' is required but was not present in the request");
    await expectError(
      db.send('DescribeStream', { StreamArn: STREAM_ARN, Limit: 101 }),
      'ValidationException',
      "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100",
    );
    const other = `${TABLE_ARN}/stream/2020-01-01T00:00:00.000`;
    await expectError(db.send('DescribeStream', { StreamArn: other }), 'ResourceNotFoundException', `Requested resource not found: Stream: ${other} not found`);
  });

  it('describes the stream and its one open shard', async () => {
    db = await streaming('OLD_IMAGE');
    const shard = { ShardId: SHARD_ID, SequenceNumberRange: { StartingSequenceNumber: seq(1) } };
    expect(await db.send('DescribeStream', { StreamArn: STREAM_ARN })).toEqual({
      StreamDescription: {
        StreamArn: STREAM_ARN,
        StreamLabel: LABEL,
        StreamStatus: 'ENABLED',
        StreamViewType: 'OLD_IMAGE',
        CreationRequestDateTime: T0 / 1000,
        TableName: 'hashes',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        Shards: [shard],
      },
    });
    expect((await db.send('DescribeStream', { StreamArn: STREAM_ARN, ExclusiveStartShardId: SHARD_ID })).StreamDescription.Shards).toEqual([]);
  });

  it('closes the shard when the table is deleted, and forgets the stream 24 hours later', async () => {
    db = await streaming();
    await db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'a' } } });
    await db.send('DeleteTable', { TableName: 'hashes' });
    await settle();
    const { StreamDescription } = await db.send('DescribeStream', { StreamArn: STREAM_ARN });
    expect([StreamDescription.StreamStatus, StreamDescription.Shards]).toEqual(['DISABLED', [{ ShardId: SHARD_ID, SequenceNumberRange: { StartingSequenceNumber: seq(1), EndingSequenceNumber: seq(1) } }]]);
    expect(summary(await allRecords())).toEqual([['INSERT', { pk: { S: 'a' } }, undefined, { pk: { S: 'a' } }]]);

    now += 24 * 60 * 60 * 1000 + 1;
    await expectError(db.send('DescribeStream', { StreamArn: STREAM_ARN }), 'ResourceNotFoundException', `Requested resource not found: Stream: ${STREAM_ARN} not found`);
    expect(await db.send('ListStreams', {})).toEqual({ Streams: [] });
  });
});

describe('GetShardIterator', () => {
  it('checks its parameters', async () => {
    db = await streaming();
    await expectError(db.send('GetShardIterator', { StreamArn: STREAM_ARN, ShardId: SHARD_ID }), 'ValidationException', "The parameter 'ShardIteratorType' is required but was not present in the request");
    await expectError(
      db.send('GetShardIterator', { StreamArn: STREAM_ARN, ShardId: 'shardId-1', ShardIteratorType: 'AT_TIMESTAMP', SequenceNumber: '1' }),
      'ValidationException',
      "3 validation errors detected: Value 'shardId-1' at 'shardId' failed to satisfy constraint: Member must have length greater than or equal to 28; " +
        "Value 'AT_TIMESTAMP' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER]; " +
        "Value '1' at 'sequenceNumber' failed to satisfy constraint: Member must have length greater than or equal to 21",
    );
    await expectError(
      db.send('GetShardIterator', { StreamArn: STREAM_ARN, ShardId: SHARD_ID, ShardIteratorType: 'AT_SEQUENCE_NUMBER' }),
      'ValidationException',
      'SequenceNumber is required for ShardIteratorType AT_SEQUENCE_NUMBER',
    );
    await expectError(
      db.send('GetShardIterator', { StreamArn: STREAM_ARN, ShardId: SHARD_ID, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: 'x'.repeat(21) }),
      'ValidationException',
      `Invalid SequenceNumber: ${'x'.repeat(21)}`,
    );
    await expectError(
      db.send('GetShardIterator', { StreamArn: STREAM_ARN, ShardId: SHARD_ID, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: seq(2) }),
      'ValidationException',
      `Invalid SequenceNumber: ${seq(2)}`,
    );
  });

  it('needs an existing stream and its shard', async () => {
    db = await streaming();
    const other = `${TABLE_ARN}/stream/2020-01-01T00:00:00.000`;
    await expectError(
      db.send('GetShardIterator', { StreamArn: other, ShardId: SHARD_ID, ShardIteratorType: 'LATEST' }),
      'ResourceNotFoundException',
      `Requested resource not found: Stream: ${other} not found`,
    );
    await expectError(
      db.send('GetShardIterator', { StreamArn: STREAM_ARN, ShardId: 'shardId-00000001795629600000-00000000', ShardIteratorType: 'LATEST' }),
      'ResourceNotFoundException',
      'Requested resource not found: Shard does not exist',
    );
  });

  it('starts at the oldest record, after the newest, at or after a sequence number', async () => {
    db = await streaming('KEYS_ONLY');
    for (const pk of ['a', 'b', 'c']) await db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: pk } } });
    const keys = async (ShardIterator: string) => (await db.send('GetRecords', { ShardIterator })).Records.map((r: any) => r.dynamodb.Keys.pk.S);
    expect(await iterator()).toBe(`${STREAM_ARN}|1|${btoa(`${SHARD_ID}|0|${T0}`)}`);
    expect(await keys(await iterator())).toEqual(['a', 'b', 'c']);
    expect(await keys(await iterator('AT_SEQUENCE_NUMBER', { SequenceNumber: seq(2) }))).toEqual(['b', 'c']);
    expect(await keys(await iterator('AFTER_SEQUENCE_NUMBER', { SequenceNumber: seq(2) }))).toEqual(['c']);
    const latest = await iterator('LATEST');
    expect(await keys(latest)).toEqual([]);
    await db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'd' } } });
    expect(await keys(latest)).toEqual(['d']);
  });
});

describe('GetRecords', () => {
  it('checks its parameters and the iterator', async () => {
    db = await streaming();
    await expectError(db.send('GetRecords', {}), 'ValidationException', "The parameter 'ShardIterator' is required but was not present in the request");
    await expectError(
      db.send('GetRecords', { ShardIterator: '', Limit: 0 }),
      'ValidationException',
      "2 validation errors detected: Value '' at 'shardIterator' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        "Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    await expectError(db.send('GetRecords', { ShardIterator: await iterator(), Limit: 1001 }), 'LimitExceededException', 'Too many operations for a given subscriber.');
    for (const forged of ['nonsense', `${STREAM_ARN}|1|%%%`, `${STREAM_ARN}|1|${btoa(`${SHARD_ID}|x|0`)}`, `${STREAM_ARN}|1|${btoa(`shardId-other|0|${T0}`)}`]) {
      await expectError(db.send('GetRecords', { ShardIterator: forged }), 'ValidationException', 'Invalid ShardIterator');
    }
    const other = `${TABLE_ARN}/stream/2020-01-01T00:00:00.000`;
    await expectError(db.send('GetRecords', { ShardIterator: `${other}|1|${btoa(`${SHARD_ID}|0|${T0}`)}` }), 'ResourceNotFoundException', `Requested resource not found: Stream: ${other} not found`);
  });

  it('refuses an iterator older than 15 minutes', async () => {
    db = await streaming();
    const shardIterator = await iterator();
    now += 15 * 60 * 1000;
    expect((await db.send('GetRecords', { ShardIterator: shardIterator })).Records).toEqual([]);
    now += 1;
    await expectError(db.send('GetRecords', { ShardIterator: shardIterator }), 'ExpiredIteratorException', 'The provided iterator exceeds the maximum age allowed.');
  });

  it('returns INSERT, MODIFY and REMOVE records with both images', async () => {
    db = await streaming();
    await db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'a' }, v: { N: '1' } } });
    await db.send('UpdateItem', { TableName: 'hashes', Key: { pk: { S: 'a' } }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { N: '2' } } });
    await db.send('DeleteItem', { TableName: 'hashes', Key: { pk: { S: 'a' } } });
    const { Records, NextShardIterator } = await db.send('GetRecords', { ShardIterator: await iterator() });
    const record = (n: number, eventName: string, images: object, SizeBytes: number) => ({
      awsRegion: 'us-east-1',
      dynamodb: { ApproximateCreationDateTime: T0 / 1000, Keys: { pk: { S: 'a' } }, SequenceNumber: seq(n), SizeBytes, StreamViewType: 'NEW_AND_OLD_IMAGES', ...images },
      eventID: `000001a213dd4d00${n.toString(16).padStart(16, '0')}`,
      eventName,
      eventSource: 'aws:dynamodb',
      eventVersion: '1.1',
    });
    const one = { pk: { S: 'a' }, v: { N: '1' } };
    const two = { pk: { S: 'a' }, v: { N: '2' } };
    expect(Records).toEqual([
      record(1, 'INSERT', { NewImage: one }, 9),
      record(2, 'MODIFY', { NewImage: two, OldImage: one }, 15),
      record(3, 'REMOVE', { OldImage: two }, 9),
    ]);
    expect(NextShardIterator).toBe(`${STREAM_ARN}|1|${btoa(`${SHARD_ID}|3|${T0}`)}`);
    expect(await db.send('GetRecords', { ShardIterator: NextShardIterator })).toEqual({ Records: [], NextShardIterator });
  });

  it('carries the images the view type asks for', async () => {
    const write = async () => {
      await db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'a' }, v: { N: '1' } } });
      await db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'a' }, v: { N: '2' } } });
      await db.send('DeleteItem', { TableName: 'hashes', Key: { pk: { S: 'a' } } });
      return (await allRecords()).map((r) => [r.eventName, r.dynamodb.OldImage?.v.N, r.dynamodb.NewImage?.v.N, r.dynamodb.SizeBytes]);
    };
    db = await streaming('KEYS_ONLY');
    expect(await write()).toEqual([['INSERT', undefined, undefined, 3], ['MODIFY', undefined, undefined, 3], ['REMOVE', undefined, undefined, 3]]);
    await db.close();
    db = await streaming('NEW_IMAGE');
    expect(await write()).toEqual([['INSERT', undefined, '1', 9], ['MODIFY', undefined, '2', 9], ['REMOVE', undefined, undefined, 3]]);
    await db.close();
    db = await streaming('OLD_IMAGE');
    expect(await write()).toEqual([['INSERT', undefined, undefined, 3], ['MODIFY', '1', undefined, 9], ['REMOVE', '2', undefined, 9]]);
  });

  it('holds only the writes to its table since it was enabled that changed an item', async () => {
    now = T0;
    db = await withTables([hashTable(), hashTable('other')], clock);
    await db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'before' } } });
    await db.send('UpdateTable', { TableName: 'hashes', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } });
    await settle();
    await db.send('PutItem', { TableName: 'other', Item: { pk: { S: 'elsewhere' } } });
    await db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'before' } } });
    await db.send('DeleteItem', { TableName: 'hashes', Key: { pk: { S: 'missing' } } });
    await db.send('TransactWriteItems', { TransactItems: [{ Put: { TableName: 'hashes', Item: { pk: { S: 'tx' } } } }, { Put: { TableName: 'other', Item: { pk: { S: 'tx' } } } }] });
    await db.send('BatchWriteItem', { RequestItems: { hashes: [{ DeleteRequest: { Key: { pk: { S: 'before' } } } }] } });
    expect((await allRecords()).map((r) => [r.eventName, r.dynamodb.Keys.pk.S, r.dynamodb.SequenceNumber])).toEqual([
      ['INSERT', 'tx', seq(3)],
      ['REMOVE', 'before', seq(5)],
    ]);
  });

  it('pages with Limit', async () => {
    db = await streaming('KEYS_ONLY');
    for (const pk of ['a', 'b', 'c']) await db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: pk } } });
    const first = await db.send('GetRecords', { ShardIterator: await iterator(), Limit: 2 });
    expect(first.Records.map((r: any) => r.dynamodb.Keys.pk.S)).toEqual(['a', 'b']);
    const second = await db.send('GetRecords', { ShardIterator: first.NextShardIterator, Limit: 2 });
    expect(second.Records.map((r: any) => r.dynamodb.Keys.pk.S)).toEqual(['c']);
  });

  it('ends a closed shard with no NextShardIterator', async () => {
    db = await streaming('KEYS_ONLY');
    await db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'a' } } });
    const open = await iterator();
    await db.send('UpdateTable', { TableName: 'hashes', StreamSpecification: { StreamEnabled: false } });
    await settle();
    await db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'after' } } });
    const read = await db.send('GetRecords', { ShardIterator: open });
    expect([read.Records.map((r: any) => r.dynamodb.Keys.pk.S), read.NextShardIterator]).toEqual([['a'], undefined]);
    expect(await db.send('GetRecords', { ShardIterator: await iterator('LATEST') })).toEqual({ Records: [] });
  });
});

describe('the Streams API on the wire', () => {
  const call = async (target: string, body: object) => {
    const response = await db.protocol()({
      method: 'POST',
      path: '/',
      query: {},
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target, 'x-amz-date': '20261125T180000Z', authorization: 'AWS4-HMAC-SHA256 Credential=x/20261125/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0' },
      body: new TextEncoder().encode(JSON.stringify(body)),
    });
    return [response.status, JSON.parse(new TextDecoder().decode(response.body))];
  };

  it('answers under its own target prefix only', async () => {
    db = await streaming();
    expect(await call('DynamoDBStreams_20120810.ListStreams', {})).toEqual([200, { Streams: [{ StreamArn: STREAM_ARN, TableName: 'hashes', StreamLabel: LABEL }] }]);
    expect(await call('DynamoDB_20120810.ListStreams', {})).toEqual([400, { __type: 'com.amazon.coral.service#UnknownOperationException' }]);
    expect(await call('DynamoDBStreams_20120810.GetRecords', { ShardIterator: 'nonsense' })).toEqual([
      400,
      { __type: 'com.amazon.coral.validate#ValidationException', message: 'Invalid ShardIterator' },
    ]);
  });
});
