import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../src/actions/index.js';
import { Core } from '../../src/core/wasm.js';
import { Database } from '../../src/engine/database.js';
import { DynamoError } from '../../src/model/index.js';

let db: Database;
afterEach(() => db?.close());

const T0 = Date.UTC(2026, 10, 25, 18, 0, 0);
const DAY = 24 * 60 * 60 * 1000;
let now = T0;

const table = (TableName: string, stream: boolean) => ({
  TableName,
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
  ...(stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } } : {}),
});

/** A database keeping two records by count, with `streamed` (streaming) and `plain` tables. */
async function open(): Promise<{ arn: string; shardId: string }> {
  now = T0;
  db = new Database(await Core.load(), { retainChanges: 2, now: () => now });
  dispatch(db, 'CreateTable', table('streamed', true));
  dispatch(db, 'CreateTable', table('plain', false));
  await new Promise((resolve) => setTimeout(resolve, 0));
  const arn = (dispatch(db, 'DescribeTable', { TableName: 'streamed' }) as any).Table.LatestStreamArn;
  const shardId = (dispatch(db, 'DescribeStream', { StreamArn: arn }) as any).StreamDescription.Shards[0].ShardId;
  return { arn, shardId };
}

const put = (TableName: string, pk: string) => dispatch(db, 'PutItem', { TableName, Item: { pk: { S: pk } } });
const retained = () => db.changes.since(0).map((r) => `${r.table}:${(r.keys.pk as { S: string }).S}`);
const failure = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return [(error as DynamoError).name, (error as DynamoError).message];
  }
  return undefined;
};

describe('stream retention in the change log', () => {
  it('keeps a streamed table\'s records for 24 hours past the retained count, and only those', async () => {
    await open();
    for (const pk of ['a', 'b', 'c']) {
      put('streamed', pk);
      put('plain', pk);
    }
    // Trimmed at four records, to the newest two and what the stream holds: the plain table's oldest went.
    expect(retained()).toEqual(['streamed:a', 'streamed:b', 'plain:b', 'streamed:c', 'plain:c']);
  });

  it('drops them after 24 hours: reading from before them is TrimmedDataAccessException', async () => {
    const { arn, shardId } = await open();
    for (const pk of ['a', 'b', 'c', 'd']) put('streamed', pk);
    now += DAY + 1;
    const horizon = dispatch(db, 'GetShardIterator', { StreamArn: arn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }) as { ShardIterator: string };
    for (const pk of ['e', 'f', 'g', 'h']) put('streamed', pk);
    expect(retained()).toEqual(['streamed:e', 'streamed:f', 'streamed:g', 'streamed:h']);

    const trimmed = ['TrimmedDataAccessException', 'The data you are trying to access has been trimmed.'];
    expect(failure(() => dispatch(db, 'GetRecords', horizon))).toEqual(trimmed);
    expect(failure(() => dispatch(db, 'GetShardIterator', { StreamArn: arn, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: '1'.padStart(21, '0') }))).toEqual(trimmed);
    const fresh = dispatch(db, 'GetShardIterator', { StreamArn: arn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' });
    expect((dispatch(db, 'GetRecords', fresh) as any).Records.map((r: any) => r.dynamodb.Keys.pk.S)).toEqual(['e', 'f', 'g', 'h']);
  });

  it('lets records go that no stream holds: written after it was disabled, or past its 24 hours', async () => {
    await open();
    for (const pk of ['a', 'b']) put('streamed', pk);
    dispatch(db, 'UpdateTable', { TableName: 'streamed', StreamSpecification: { StreamEnabled: false } });
    await new Promise((resolve) => setTimeout(resolve, 0));
    for (const pk of ['c', 'd']) put('streamed', pk);
    expect(retained()).toEqual(['streamed:a', 'streamed:b', 'streamed:c', 'streamed:d']);
    now += DAY + 1;
    for (const pk of ['e', 'f', 'g', 'h']) put('streamed', pk);
    expect(retained()).toEqual(['streamed:g', 'streamed:h']);
  });
});
