/**
 * The AWS SDK for JavaScript v3, unchanged, against Tidepool: every action through the HTTP server
 * and through the in-process request handler, with the same expectations for both.
 */
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeLimitsCommand,
  DescribeTimeToLiveCommand,
  ListTagsOfResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateTimeToLiveCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  QueryCommand,
  ResourceNotFoundException,
  ScanCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
  UpdateItemCommand,
  UpdateTableCommand,
  paginateListTables,
  waitUntilTableExists,
  waitUntilTableNotExists,
  ExecuteStatementCommand,
  ExecuteTransactionCommand,
  BatchExecuteStatementCommand,
} from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand as DocQueryCommand, UpdateCommand, paginateQuery, paginateScan } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Tidepool, type DatabaseOptions } from '../../src/index.js';
import { serve, type Server } from '../../src/hosts/server.js';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

interface Transport {
  name: string;
  connect(db: Tidepool): Promise<{ client: DynamoDBClient; streamsConfig: object; close(): Promise<void> }>;
}

const transports: Transport[] = [
  {
    name: 'tidepool serve',
    async connect(db) {
      const server: Server = await serve(db, { port: 0 });
      const client = new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', credentials });
      return {
        client,
        streamsConfig: { endpoint: server.url, region: 'us-east-1', credentials },
        close: async () => {
          client.destroy();
          await server.close();
        },
      };
    },
  },
  {
    name: 'db.requestHandler()',
    async connect(db) {
      const client = new DynamoDBClient({ region: 'us-east-1', credentials, requestHandler: db.requestHandler() });
      return { client, streamsConfig: { region: 'us-east-1', credentials, requestHandler: db.requestHandler() }, close: async () => client.destroy() };
    },
  },
];

const musicTable = {
  TableName: 'Music',
  AttributeDefinitions: [
    { AttributeName: 'Artist', AttributeType: 'S' as const },
    { AttributeName: 'Song', AttributeType: 'S' as const },
    { AttributeName: 'Year', AttributeType: 'N' as const },
  ],
  KeySchema: [
    { AttributeName: 'Artist', KeyType: 'HASH' as const },
    { AttributeName: 'Song', KeyType: 'RANGE' as const },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: 'by-year',
      KeySchema: [
        { AttributeName: 'Year', KeyType: 'HASH' as const },
        { AttributeName: 'Song', KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'KEYS_ONLY' as const },
    },
  ],
  BillingMode: 'PAY_PER_REQUEST' as const,
};

describe.each(transports)('AWS SDK v3 through $name', (transport) => {
  let db: Tidepool;
  let client: DynamoDBClient;
  let close: () => Promise<void>;
  let streamsConfig: object;

  async function open(options: DatabaseOptions = {}) {
    db = await Tidepool.open(options);
    ({ client, streamsConfig, close } = await transport.connect(db));
  }

  beforeEach(() => open());
  afterEach(async () => {
    await close();
    await db.close();
  });

  async function createMusic() {
    await client.send(new CreateTableCommand(musicTable));
    await waitUntilTableExists({ client, maxWaitTime: 5, minDelay: 0.05 } as never, { TableName: 'Music' });
  }

  it('creates, describes, lists, updates and deletes tables', async () => {
    const created = await client.send(new CreateTableCommand(musicTable));
    expect(created.TableDescription?.TableStatus).toBe('CREATING');
    expect(created.TableDescription?.TableArn).toBe('arn:aws:dynamodb:us-east-1:000000000000:table/Music');
    await waitUntilTableExists({ client, maxWaitTime: 5, minDelay: 0.05 } as never, { TableName: 'Music' });
    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'Music' }));
    expect([Table?.TableStatus, Table?.ItemCount, Table?.BillingModeSummary?.BillingMode, Table?.GlobalSecondaryIndexes?.[0].IndexStatus]).toEqual([
      'ACTIVE',
      0,
      'PAY_PER_REQUEST',
      'ACTIVE',
    ]);
    // The SDK turns epoch seconds into a Date.
    expect(Table?.CreationDateTime).toBeInstanceOf(Date);

    for (const name of ['Alpha', 'Beta', 'Gamma']) {
      await client.send(new CreateTableCommand({ ...musicTable, TableName: name, GlobalSecondaryIndexes: undefined, AttributeDefinitions: musicTable.AttributeDefinitions.slice(0, 2) }));
    }
    const names: string[] = [];
    for await (const page of paginateListTables({ client, pageSize: 2 }, {})) names.push(...(page.TableNames ?? []));
    expect(names).toEqual(['Alpha', 'Beta', 'Gamma', 'Music']);

    await waitUntilTableExists({ client, maxWaitTime: 5, minDelay: 0.05 } as never, { TableName: 'Gamma' });
    const updated = await client.send(new UpdateTableCommand({ TableName: 'Alpha', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 4 } }));
    expect(updated.TableDescription?.TableStatus).toBe('UPDATING');
    await waitUntilTableExists({ client, maxWaitTime: 5, minDelay: 0.05 } as never, { TableName: 'Alpha' });
    const alpha = await client.send(new DescribeTableCommand({ TableName: 'Alpha' }));
    expect(alpha.Table?.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 3, WriteCapacityUnits: 4 });

    const deleted = await client.send(new DeleteTableCommand({ TableName: 'Beta' }));
    expect(deleted.TableDescription?.TableStatus).toBe('DELETING');
    await waitUntilTableNotExists({ client, maxWaitTime: 5, minDelay: 0.05 } as never, { TableName: 'Beta' });
    const err = await client.send(new DescribeTableCommand({ TableName: 'Nope' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceNotFoundException);
    expect((err as Error).message).toBe('Requested resource not found: Table: Nope not found');
    const listed = await client.send(new ListTablesCommand({}));
    expect(listed.TableNames).toEqual(['Alpha', 'Gamma', 'Music']);
  });

  it('puts, gets, updates and deletes items with every attribute type', async () => {
    await createMusic();
    const item = {
      Artist: { S: 'Nina Simone' },
      Song: { S: 'Sinnerman' },
      Year: { N: '1965.0' },
      Cover: { B: new Uint8Array([0, 1, 254, 255]) },
      Tags: { SS: ['jazz', 'soul'] },
      Takes: { NS: ['1', '2.50'] },
      Masters: { BS: [new Uint8Array([7])] },
      Live: { BOOL: false },
      Label: { NULL: true },
      Credits: { L: [{ S: 'piano' }, { M: { who: { S: 'Nina' } } }] },
      Notes: { M: { tempo: { N: '-0.5e3' } } },
    };
    const put = await client.send(new PutItemCommand({ TableName: 'Music', Item: item, ReturnConsumedCapacity: 'TOTAL' }));
    expect(put.ConsumedCapacity).toEqual({ TableName: 'Music', CapacityUnits: 2 });
    const got = await client.send(new GetItemCommand({ TableName: 'Music', Key: { Artist: item.Artist, Song: item.Song } }));
    expect(got.Item).toEqual({
      ...item,
      Year: { N: '1965' },
      Takes: { NS: ['1', '2.5'] },
      Notes: { M: { tempo: { N: '-500' } } },
    });

    const updated = await client.send(
      new UpdateItemCommand({
        TableName: 'Music',
        Key: { Artist: item.Artist, Song: item.Song },
        UpdateExpression: 'SET Plays = if_not_exists(Plays, :zero) + :one REMOVE Label ADD Tags :t',
        ExpressionAttributeValues: { ':zero': { N: '0' }, ':one': { N: '1' }, ':t': { SS: ['blues'] } },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    expect(updated.Attributes?.Plays).toEqual({ N: '1' });
    expect(updated.Attributes?.Tags.SS?.sort()).toEqual(['blues', 'jazz', 'soul']);

    const failed = await client
      .send(
        new PutItemCommand({
          TableName: 'Music',
          Item: { Artist: item.Artist, Song: item.Song },
          ConditionExpression: 'attribute_not_exists(Song)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      )
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(ConditionalCheckFailedException);
    expect((failed as ConditionalCheckFailedException).message).toBe('The conditional request failed');
    expect((failed as ConditionalCheckFailedException).Item?.Plays).toEqual({ N: '1' });

    const deleted = await client.send(new DeleteItemCommand({ TableName: 'Music', Key: { Artist: item.Artist, Song: item.Song }, ReturnValues: 'ALL_OLD' }));
    expect(deleted.Attributes?.Plays).toEqual({ N: '1' });
    expect((await client.send(new GetItemCommand({ TableName: 'Music', Key: { Artist: item.Artist, Song: item.Song } }))).Item).toBeUndefined();
  });

  it('reports validation errors with the service type and text', async () => {
    await createMusic();
    const err = await client.send(new PutItemCommand({ TableName: 'Music', Item: { Artist: { N: '1' }, Song: { S: 'x' } } })).catch((e: unknown) => e);
    expect([(err as Error).name, (err as Error).message, (err as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode]).toEqual([
      'ValidationException',
      'One or more parameter values were invalid: Type mismatch for key Artist expected: S actual: N',
      400,
    ]);
  });

  it('queries and scans with paging, on the table and an index', async () => {
    await createMusic();
    const writes = Array.from({ length: 45 }, (_, i) => ({
      PutRequest: { Item: { Artist: { S: i % 3 === 0 ? 'A' : 'B' }, Song: { S: `song-${String(i).padStart(2, '0')}` }, Year: { N: String(1960 + (i % 5)) } } },
    }));
    for (let i = 0; i < writes.length; i += 25) {
      const result = await client.send(new BatchWriteItemCommand({ RequestItems: { Music: writes.slice(i, i + 25) } }));
      expect(result.UnprocessedItems).toEqual({});
    }
    const doc = DynamoDBDocumentClient.from(client);
    const songs: string[] = [];
    for await (const page of paginateQuery(
      { client: doc, pageSize: 4 },
      { TableName: 'Music', KeyConditionExpression: 'Artist = :a AND begins_with(Song, :p)', ExpressionAttributeValues: { ':a': 'A', ':p': 'song-' }, ScanIndexForward: false },
    )) {
      expect(page.Items!.length).toBeLessThanOrEqual(4);
      songs.push(...page.Items!.map((item) => item.Song as string));
    }
    expect(songs).toEqual(['song-42', 'song-39', 'song-36', 'song-33', 'song-30', 'song-27', 'song-24', 'song-21', 'song-18', 'song-15', 'song-12', 'song-09', 'song-06', 'song-03', 'song-00']);

    const byYear = await client.send(
      new QueryCommand({ TableName: 'Music', IndexName: 'by-year', KeyConditionExpression: '#y = :y', ExpressionAttributeNames: { '#y': 'Year' }, ExpressionAttributeValues: { ':y': { N: '1962' } }, Limit: 3 }),
    );
    expect(byYear.Items?.map((i) => i.Song.S)).toEqual(['song-02', 'song-07', 'song-12']);
    expect(byYear.LastEvaluatedKey).toEqual({ Year: { N: '1962' }, Song: { S: 'song-12' }, Artist: { S: 'A' } });

    let scanned = 0;
    let pages = 0;
    for await (const page of paginateScan({ client: doc, pageSize: 10 }, { TableName: 'Music', FilterExpression: 'Artist = :b', ExpressionAttributeValues: { ':b': 'B' } })) {
      scanned += page.Items!.length;
      pages++;
    }
    expect([scanned, pages]).toEqual([30, 5]);
    const counted = await client.send(new ScanCommand({ TableName: 'Music', Select: 'COUNT' }));
    expect([counted.Count, counted.ScannedCount, counted.Items]).toEqual([45, 45, undefined]);
  });

  it('reads and writes batches and transactions', async () => {
    await createMusic();
    const key = (song: string) => ({ Artist: { S: 'A' }, Song: { S: song } });
    await client.send(
      new BatchWriteItemCommand({
        RequestItems: { Music: ['one', 'two', 'three'].map((song) => ({ PutRequest: { Item: { ...key(song), Year: { N: '2000' } } } })) },
      }),
    );
    const batch = await client.send(new BatchGetItemCommand({ RequestItems: { Music: { Keys: [key('one'), key('three'), key('missing')], ProjectionExpression: 'Song' } } }));
    expect(batch.Responses?.Music.map((item) => item.Song.S).sort()).toEqual(['one', 'three']);
    expect(batch.UnprocessedKeys).toEqual({});

    await client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: 'Music', Item: { ...key('four'), Year: { N: '2001' } }, ConditionExpression: 'attribute_not_exists(Song)' } },
          { Update: { TableName: 'Music', Key: key('one'), UpdateExpression: 'SET Plays = :n', ExpressionAttributeValues: { ':n': { N: '5' } } } },
          { Delete: { TableName: 'Music', Key: key('two') } },
          { ConditionCheck: { TableName: 'Music', Key: key('three'), ConditionExpression: 'attribute_exists(Song)' } },
        ],
      }),
    );
    const read = await client.send(new TransactGetItemsCommand({ TransactItems: ['one', 'two', 'four'].map((song) => ({ Get: { TableName: 'Music', Key: key(song) } })) }));
    expect(read.Responses?.map((r) => r.Item?.Song?.S ?? null)).toEqual(['one', null, 'four']);
    expect(read.Responses?.[0].Item?.Plays).toEqual({ N: '5' });

    const cancelled = await client
      .send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'Music', Item: { ...key('five'), Year: { N: '2002' } } } },
            { ConditionCheck: { TableName: 'Music', Key: key('one'), ConditionExpression: 'Plays > :n', ExpressionAttributeValues: { ':n': { N: '5' } }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
          ],
        }),
      )
      .catch((e: unknown) => e);
    expect(cancelled).toBeInstanceOf(TransactionCanceledException);
    expect((cancelled as Error).message).toBe('Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]');
    expect((cancelled as TransactionCanceledException).CancellationReasons).toEqual([
      { Code: 'None' },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { ...key('one'), Year: { N: '2000' }, Plays: { N: '5' } } },
    ]);
    expect((await client.send(new GetItemCommand({ TableName: 'Music', Key: key('five') }))).Item).toBeUndefined();
  });

  it('runs the DocumentClient with native JavaScript values', async () => {
    await createMusic();
    const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    await doc.send(
      new PutCommand({ TableName: 'Music', Item: { Artist: 'Nina', Song: 'Feeling Good', Year: 1965, Moods: new Set(['hopeful']), Meta: { bpm: 72, live: false, gone: undefined } } }),
    );
    await doc.send(new UpdateCommand({ TableName: 'Music', Key: { Artist: 'Nina', Song: 'Feeling Good' }, UpdateExpression: 'SET Meta.bpm = Meta.bpm + :d', ExpressionAttributeValues: { ':d': 3 } }));
    const { Item } = await doc.send(new GetCommand({ TableName: 'Music', Key: { Artist: 'Nina', Song: 'Feeling Good' } }));
    expect(Item).toEqual({ Artist: 'Nina', Song: 'Feeling Good', Year: 1965, Moods: new Set(['hopeful']), Meta: { bpm: 75, live: false } });
    const { Items } = await doc.send(new DocQueryCommand({ TableName: 'Music', IndexName: 'by-year', KeyConditionExpression: '#y = :y', ExpressionAttributeNames: { '#y': 'Year' }, ExpressionAttributeValues: { ':y': 1965 } }));
    expect(Items).toEqual([{ Artist: 'Nina', Song: 'Feeling Good', Year: 1965 }]);
  });

  it('tags tables and sets their time to live', async () => {
    await createMusic();
    const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/Music';
    await client.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'team', Value: 'audio' }, { Key: 'env', Value: 'dev' }] }));
    await client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['env'] }));
    expect((await client.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags).toEqual([{ Key: 'team', Value: 'audio' }]);

    const ttl = await client.send(new UpdateTimeToLiveCommand({ TableName: 'Music', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }));
    expect(ttl.TimeToLiveSpecification).toEqual({ Enabled: true, AttributeName: 'expires' });
    expect((await client.send(new DescribeTimeToLiveCommand({ TableName: 'Music' }))).TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expires' });
    const limits = await client.send(new DescribeLimitsCommand({}));
    expect([limits.TableMaxReadCapacityUnits, limits.TableMaxWriteCapacityUnits]).toEqual([40000, 40000]);
  });

  it('runs PartiQL statements', async () => {
    await createMusic();
    await client.send(new ExecuteStatementCommand({ Statement: `INSERT INTO "Music" VALUE {'Artist': 'A', 'Song': ?, 'Year': 1999}`, Parameters: [{ S: 'one' }] }));
    const duplicate = await client.send(new ExecuteStatementCommand({ Statement: `INSERT INTO "Music" VALUE {'Artist': 'A', 'Song': 'one'}` })).catch((e: Error) => e);
    expect([(duplicate as Error).name, (duplicate as Error).message]).toEqual(['DuplicateItemException', 'Duplicate primary key exists in table']);
    await client.send(
      new ExecuteTransactionCommand({
        TransactStatements: [
          { Statement: `UPDATE "Music" SET Plays = 3 WHERE Artist = 'A' AND Song = 'one'` },
          { Statement: `INSERT INTO "Music" VALUE {'Artist': 'A', 'Song': 'two', 'Year': 2000}` },
        ],
      }),
    );
    const selected = await client.send(new ExecuteStatementCommand({ Statement: `SELECT Song, Plays FROM "Music" WHERE Artist = ?`, Parameters: [{ S: 'A' }] }));
    expect(selected.Items).toEqual([{ Song: { S: 'one' }, Plays: { N: '3' } }, { Song: { S: 'two' } }]);
    const batch = await client.send(
      new BatchExecuteStatementCommand({ Statements: [{ Statement: `SELECT Year FROM "Music" WHERE Artist = 'A' AND Song = 'two'` }, { Statement: `SELECT * FROM "Nope" WHERE Artist = 'A' AND Song = 'x'` }] }),
    );
    expect(batch.Responses?.[0].Item).toEqual({ Year: { N: '2000' } });
    expect(batch.Responses?.[1].Error?.Code).toBe('ResourceNotFound');
  });

  it('reads change records from a stream', async () => {
    await client.send(new CreateTableCommand({ ...musicTable, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } }));
    await waitUntilTableExists({ client, maxWaitTime: 5, minDelay: 0.05 } as never, { TableName: 'Music' });
    const key = { Artist: { S: 'A' }, Song: { S: 'one' } };
    await client.send(new PutItemCommand({ TableName: 'Music', Item: { ...key, Year: { N: '1' } } }));
    await client.send(new UpdateItemCommand({ TableName: 'Music', Key: key, UpdateExpression: 'SET #y = :y', ExpressionAttributeNames: { '#y': 'Year' }, ExpressionAttributeValues: { ':y': { N: '2' } } }));
    await client.send(new DeleteItemCommand({ TableName: 'Music', Key: key }));

    const streams = new DynamoDBStreamsClient(streamsConfig);
    try {
      const { Streams } = await streams.send(new ListStreamsCommand({ TableName: 'Music' }));
      expect(Streams).toHaveLength(1);
      const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: Streams![0].StreamArn }));
      expect([StreamDescription?.StreamStatus, StreamDescription?.StreamViewType, StreamDescription?.TableName]).toEqual(['ENABLED', 'NEW_AND_OLD_IMAGES', 'Music']);
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({ StreamArn: Streams![0].StreamArn, ShardId: StreamDescription!.Shards![0].ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
      );
      const { Records } = await streams.send(new GetRecordsCommand({ ShardIterator }));
      expect(Records?.map((r) => [r.eventName, r.dynamodb?.Keys, r.dynamodb?.OldImage?.Year, r.dynamodb?.NewImage?.Year])).toEqual([
        ['INSERT', key, undefined, { N: '1' }],
        ['MODIFY', key, { N: '1' }, { N: '2' }],
        ['REMOVE', key, { N: '2' }, undefined],
      ]);
    } finally {
      streams.destroy();
    }
  });

  it('retries throttled writes on a provisioned table until they succeed', async () => {
    await close();
    await db.close();
    let clock = Date.UTC(2026, 0, 1);
    await open({ now: () => clock });
    await client.send(
      new CreateTableCommand({
        TableName: 'Slow',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
      }),
    );
    await waitUntilTableExists({ client, maxWaitTime: 5, minDelay: 0.05 } as never, { TableName: 'Slow' });
    // Spend the second's unit and the banked burst without moving the clock.
    let spent = 0;
    for (;;) {
      const error = await db.send('PutItem', { TableName: 'Slow', Item: { pk: { S: `k${spent}` } } }).catch((e: Error) => e);
      if (error instanceof Error) {
        expect(error.name).toBe('ProvisionedThroughputExceededException');
        break;
      }
      spent++;
    }
    expect(spent).toBe(300);
    // Each attempt the SDK makes after the first finds a clock that moved on by a second.
    let attempts = 0;
    client.middlewareStack.add(
      (next) => (args) => {
        if (attempts++ > 0) clock += 1000;
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low' },
    );
    const result = await client.send(new PutItemCommand({ TableName: 'Slow', Item: { pk: { S: 'last' } } }));
    expect(result.$metadata.attempts).toBe(2);
  });
});
