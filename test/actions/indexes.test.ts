import { afterEach, describe, expect, it } from 'vitest';
import type { Tidepool } from '../../src/index.js';
import { expectError, settle, withTables } from '../helpers.js';
import { mulberry32 } from '../support/random.js';

let db: Tidepool;
afterEach(async () => db?.close());

const ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/orders';
const ordersTable = (extra: Record<string, unknown> = {}) => ({
  TableName: 'orders',
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'N' },
    { AttributeName: 'status', AttributeType: 'S' },
    { AttributeName: 'total', AttributeType: 'N' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  BillingMode: 'PAY_PER_REQUEST',
  GlobalSecondaryIndexes: [
    { IndexName: 'byStatus', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }, { AttributeName: 'total', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
    { IndexName: 'byStatusAll', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
  ],
  LocalSecondaryIndexes: [
    { IndexName: 'byTotal', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'total', KeyType: 'RANGE' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['note'] } },
  ],
  ...extra,
});

const order = (pk: string, sk: number, status: string | undefined, total: number, note = 'n') => ({
  pk: { S: pk },
  sk: { N: String(sk) },
  ...(status === undefined ? {} : { status: { S: status } }),
  total: { N: String(total) },
  note: { S: note },
  extra: { S: 'x' },
});

async function fill() {
  for (const item of [order('a', 1, 'open', 30), order('a', 2, 'shipped', 10), order('b', 1, 'open', 20), order('b', 2, undefined, 5), order('c', 1, 'open', 40)]) {
    await db.send('PutItem', { TableName: 'orders', Item: item });
  }
}

describe('secondary indexes', () => {
  it('are described by DescribeTable', async () => {
    db = await withTables([ordersTable()]);
    await fill();
    const { Table } = await db.send('DescribeTable', { TableName: 'orders' });
    expect(Table.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'byStatus',
        KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }, { AttributeName: 'total', KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'KEYS_ONLY' },
        IndexStatus: 'ACTIVE',
        ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
        // KEYS_ONLY: pk, sk, status and total of each item (24 + 27 + 24 + 24 bytes).
        IndexSizeBytes: 99,
        ItemCount: 4,
        IndexArn: `${ARN}/index/byStatus`,
      },
      {
        IndexName: 'byStatusAll',
        KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'ALL' },
        IndexStatus: 'ACTIVE',
        ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
        // ALL: the four items with a status, whole (35 + 38 + 35 + 35 bytes).
        IndexSizeBytes: 143,
        ItemCount: 4,
        IndexArn: `${ARN}/index/byStatusAll`,
      },
    ]);
    expect(Table.LocalSecondaryIndexes).toEqual([
      {
        IndexName: 'byTotal',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'total', KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['note'] },
        // INCLUDE note: pk, sk, total and note of all five items (19 bytes each).
        IndexSizeBytes: 95,
        ItemCount: 5,
        IndexArn: `${ARN}/index/byTotal`,
      },
    ]);
  });

  it('answer Query and Scan with their projections, sparse, in index order', async () => {
    db = await withTables([ordersTable()]);
    await fill();
    const open = await db.send('Query', { TableName: 'orders', IndexName: 'byStatus', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'open' } } });
    expect(open).toEqual({
      Items: [
        { pk: { S: 'b' }, sk: { N: '1' }, status: { S: 'open' }, total: { N: '20' } },
        { pk: { S: 'a' }, sk: { N: '1' }, status: { S: 'open' }, total: { N: '30' } },
        { pk: { S: 'c' }, sk: { N: '1' }, status: { S: 'open' }, total: { N: '40' } },
      ],
      Count: 3,
      ScannedCount: 3,
    });
    const page = await db.send('Query', {
      TableName: 'orders',
      IndexName: 'byStatus',
      KeyConditionExpression: '#s = :s AND #t > :t',
      ExpressionAttributeNames: { '#s': 'status', '#t': 'total' },
      ExpressionAttributeValues: { ':s': { S: 'open' }, ':t': { N: '20' } },
      ScanIndexForward: false,
      Limit: 1,
    });
    expect(page.Items).toEqual([{ pk: { S: 'c' }, sk: { N: '1' }, status: { S: 'open' }, total: { N: '40' } }]);
    expect(page.LastEvaluatedKey).toEqual({ pk: { S: 'c' }, sk: { N: '1' }, status: { S: 'open' }, total: { N: '40' } });
    const next = await db.send('Query', {
      TableName: 'orders',
      IndexName: 'byStatus',
      KeyConditionExpression: '#s = :s AND #t > :t',
      ExpressionAttributeNames: { '#s': 'status', '#t': 'total' },
      ExpressionAttributeValues: { ':s': { S: 'open' }, ':t': { N: '20' } },
      ScanIndexForward: false,
      ExclusiveStartKey: page.LastEvaluatedKey,
    });
    expect(next.Items.map((item: any) => item.total.N)).toEqual(['30']);

    const local = await db.send('Query', { TableName: 'orders', IndexName: 'byTotal', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'b' } } });
    expect(local.Items).toEqual([
      { pk: { S: 'b' }, sk: { N: '2' }, total: { N: '5' }, note: { S: 'n' } },
      { pk: { S: 'b' }, sk: { N: '1' }, status: { S: 'open' }, total: { N: '20' }, note: { S: 'n' } },
    ].map(({ status: _, ...rest }) => rest));
    const localAll = await db.send('Query', { TableName: 'orders', IndexName: 'byTotal', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'b' } }, Select: 'ALL_ATTRIBUTES' });
    expect(localAll.Items).toEqual([order('b', 2, undefined, 5), order('b', 1, 'open', 20)]);

    const scan = await db.send('Scan', { TableName: 'orders', IndexName: 'byStatusAll' });
    expect([scan.Count, scan.Items.every((item: any) => item.extra?.S === 'x')]).toEqual([4, true]);
  });

  it('follow every write: updates that move index keys, deletes, sparse items', async () => {
    db = await withTables([ordersTable()]);
    await fill();
    await db.send('UpdateItem', { TableName: 'orders', Key: { pk: { S: 'a' }, sk: { N: '1' } }, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'shipped' } } });
    await db.send('UpdateItem', { TableName: 'orders', Key: { pk: { S: 'b' }, sk: { N: '2' } }, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'open' } } });
    await db.send('UpdateItem', { TableName: 'orders', Key: { pk: { S: 'c' }, sk: { N: '1' } }, UpdateExpression: 'REMOVE #s', ExpressionAttributeNames: { '#s': 'status' } });
    await db.send('DeleteItem', { TableName: 'orders', Key: { pk: { S: 'b' }, sk: { N: '1' } } });
    const byStatus = async (status: string) =>
      (await db.send('Query', { TableName: 'orders', IndexName: 'byStatus', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: status } } })).Items.map(
        (item: any) => `${item.pk.S}${item.sk.N}`,
      );
    expect([await byStatus('open'), await byStatus('shipped')]).toEqual([['b2'], ['a2', 'a1']]);
  });

  it('check index keys on every write and refuse what DynamoDB refuses', async () => {
    db = await withTables([ordersTable({ BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 }, GlobalSecondaryIndexes: [{ ...ordersTable().GlobalSecondaryIndexes[0], ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }] })]);
    await expectError(
      db.send('PutItem', { TableName: 'orders', Item: { ...order('a', 1, 'open', 1), status: { N: '1' } } }),
      'ValidationException',
      'One or more parameter values were invalid: Type mismatch for Index Key status Expected: S Actual: N IndexName: byStatus',
    );
    await expectError(
      db.send('PutItem', { TableName: 'orders', Item: order('a', 1, '', 1) }),
      'ValidationException',
      'One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: byStatus, IndexKey: status',
    );
    await db.send('PutItem', { TableName: 'orders', Item: order('a', 1, 'open', 1) });
    await expectError(
      db.send('UpdateItem', { TableName: 'orders', Key: { pk: { S: 'a' }, sk: { N: '1' } }, UpdateExpression: 'SET #t = :t', ExpressionAttributeNames: { '#t': 'total' }, ExpressionAttributeValues: { ':t': { S: 'x' } } }),
      'ValidationException',
      'One or more parameter values were invalid: Type mismatch for Index Key total Expected: N Actual: S IndexName: byStatus',
    );
    expect((await db.send('GetItem', { TableName: 'orders', Key: { pk: { S: 'a' }, sk: { N: '1' } } })).Item).toEqual(order('a', 1, 'open', 1));
    const query = (input: Record<string, unknown>) => db.send('Query', { TableName: 'orders', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'open' } }, ...input });
    await expectError(query({ IndexName: 'byStatus', ConsistentRead: true }), 'ValidationException', 'Consistent reads are not supported on global secondary indexes');
    await expectError(
      query({ IndexName: 'byStatus', Select: 'ALL_ATTRIBUTES' }),
      'ValidationException',
      'One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index byStatus because its projection type is not ALL',
    );
    await expectError(query({ IndexName: 'nope' }), 'ValidationException', 'The table does not have the specified index: nope');
  });

  it('are validated at CreateTable', async () => {
    db = await withTables([]);
    const base = ordersTable();
    const lsi = base.LocalSecondaryIndexes[0];
    const gsi = base.GlobalSecondaryIndexes[0];
    const cases: [Record<string, unknown>, string][] = [
      [{ LocalSecondaryIndexes: [] }, 'One or more parameter values were invalid: List of LocalSecondaryIndexes is empty'],
      [{ GlobalSecondaryIndexes: [] }, 'One or more parameter values were invalid: List of GlobalSecondaryIndexes is empty'],
      [{ LocalSecondaryIndexes: [lsi, lsi] }, 'One or more parameter values were invalid: Duplicate index name: byTotal'],
      [{ LocalSecondaryIndexes: [{ ...lsi, KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }, { AttributeName: 'total', KeyType: 'RANGE' }] }] }, 'One or more parameter values were invalid: Index KeySchema does not have the same leading hash key as table KeySchema for index: byTotal. index hash key: status, table hash key: pk'],
      [{ LocalSecondaryIndexes: [{ ...lsi, KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }] }, 'One or more parameter values were invalid: Index KeySchema does not have a range key for index: byTotal'],
      [{ GlobalSecondaryIndexes: [{ ...gsi, KeySchema: [{ AttributeName: 'missing', KeyType: 'HASH' }] }] }, 'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [missing], AttributeDefinitions: [pk, sk, status, total]'],
      [{ GlobalSecondaryIndexes: [{ ...gsi, Projection: { ProjectionType: 'ALL', NonKeyAttributes: ['a'] } }] }, 'One or more parameter values were invalid: ProjectionType is ALL, but NonKeyAttributes is specified'],
      [{ GlobalSecondaryIndexes: [{ ...gsi, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }] }, 'One or more parameter values were invalid: ProvisionedThroughput should not be specified for index: byStatus when BillingMode is PAY_PER_REQUEST'],
      [{ GlobalSecondaryIndexes: [{ ...gsi, Projection: {} }] }, 'One or more parameter values were invalid: Unknown ProjectionType: null'],
    ];
    for (const [change, message] of cases) await expectError(db.send('CreateTable', { ...base, ...change }), 'ValidationException', message);
    await expectError(
      db.send('CreateTable', { ...base, KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: base.AttributeDefinitions.filter((d) => d.AttributeName !== 'sk') }),
      'ValidationException',
      'One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex',
    );
    expect(await db.send('ListTables', {})).toEqual({ TableNames: [] });
  });

  it('can be added to a table with data (backfilled) and deleted', async () => {
    db = await withTables([{ ...ordersTable(), GlobalSecondaryIndexes: undefined }], { updateTableMs: 20 });
    await fill();
    const { TableDescription } = await db.send('UpdateTable', {
      TableName: 'orders',
      AttributeDefinitions: [{ AttributeName: 'status', AttributeType: 'S' }],
      GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'late', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }],
    });
    expect([TableDescription.TableStatus, TableDescription.GlobalSecondaryIndexes[0].IndexStatus, TableDescription.GlobalSecondaryIndexes[0].Backfilling]).toEqual(['UPDATING', 'CREATING', true]);
    await settle(40);
    let { Table } = await db.send('DescribeTable', { TableName: 'orders' });
    expect([Table.TableStatus, Table.GlobalSecondaryIndexes[0].IndexStatus, Table.GlobalSecondaryIndexes[0].Backfilling, Table.GlobalSecondaryIndexes[0].ItemCount]).toEqual(['ACTIVE', 'ACTIVE', undefined, 4]);
    const shipped = await db.send('Query', { TableName: 'orders', IndexName: 'late', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'shipped' } } });
    expect(shipped.Items).toEqual([order('a', 2, 'shipped', 10)]);
    await expectError(
      db.send('UpdateTable', { TableName: 'orders', AttributeDefinitions: [{ AttributeName: 'status', AttributeType: 'S' }], GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'late', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }] }),
      'ValidationException',
      'One or more parameter values were invalid: Index already exists: late',
    );
    await db.send('UpdateTable', { TableName: 'orders', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'late' } }] });
    await settle(40);
    ({ Table } = await db.send('DescribeTable', { TableName: 'orders' }));
    expect(Table.GlobalSecondaryIndexes).toBeUndefined();
  });

  it('always equal the index recomputed from the table, through thousands of random writes and transactions', async () => {
    db = await withTables([ordersTable()], { partitionMaxBytes: 1024 });
    const next = mulberry32(99);
    const statuses = ['open', 'shipped', 'lost', undefined];
    const key = () => ({ pk: { S: `p${Math.floor(next() * 8)}` }, sk: { N: String(Math.floor(next() * 10)) } });
    const scanAll = async (IndexName?: string) => {
      const items: any[] = [];
      let start: unknown;
      do {
        const page = await db.send('Scan', { TableName: 'orders', ...(IndexName ? { IndexName, Select: 'ALL_PROJECTED_ATTRIBUTES' } : {}), Limit: 7, ExclusiveStartKey: start });
        items.push(...page.Items);
        start = page.LastEvaluatedKey;
      } while (start);
      return items;
    };
    const id = (item: any) => `${item.pk.S}/${item.sk.N}`;
    for (let step = 0; step < 1500; step++) {
      const r = next();
      const k = key();
      const status = statuses[Math.floor(next() * statuses.length)];
      if (r < 0.4) {
        await db.send('PutItem', { TableName: 'orders', Item: { ...k, ...(status ? { status: { S: status } } : {}), total: { N: String(Math.floor(next() * 50)) }, note: { S: 'n' } } });
      } else if (r < 0.75) {
        const update = status ? 'SET #s = :s, #t = :t' : 'REMOVE #s SET #t = :t';
        await db.send('UpdateItem', { TableName: 'orders', Key: k, UpdateExpression: update, ExpressionAttributeNames: { '#s': 'status', '#t': 'total' }, ExpressionAttributeValues: { ...(status ? { ':s': { S: status } } : {}), ':t': { N: String(Math.floor(next() * 50)) } } });
      } else if (r < 0.9) {
        await db.send('DeleteItem', { TableName: 'orders', Key: k });
      } else if (r < 0.95) {
        // A transaction that moves index keys, and fails its condition about half the time.
        const before = await scanAll();
        const other = key();
        const items = [k, other].map((itemKey) => ({ ...itemKey, status: { S: statuses[Math.floor(next() * 3)]! }, total: { N: String(Math.floor(next() * 50)) } }));
        if (items[0].pk.S === items[1].pk.S && items[0].sk.N === items[1].sk.N) continue;
        const cancelled = await db
          .send('TransactWriteItems', {
            TransactItems: [
              { Put: { TableName: 'orders', Item: items[0] } },
              { Put: { TableName: 'orders', Item: items[1], ConditionExpression: '#t < :limit OR attribute_not_exists(pk)', ExpressionAttributeNames: { '#t': 'total' }, ExpressionAttributeValues: { ':limit': { N: '25' } } } },
            ],
          })
          .then(
            () => false,
            (e: Error) => {
              expect(e.name).toBe('TransactionCanceledException');
              return true;
            },
          );
        if (cancelled) expect((await scanAll()).map((item) => JSON.stringify(item)).sort()).toEqual(before.map((item) => JSON.stringify(item)).sort());
      } else {
        await db.send('PutItem', { TableName: 'orders', Item: { ...k, total: { N: '1' } }, ConditionExpression: 'attribute_not_exists(pk)' }).catch((e: Error) => expect(e.name).toBe('ConditionalCheckFailedException'));
      }
      if (step % 100 === 99) {
        const items = await scanAll();
        const expected = (hasStatus: boolean) => items.filter((item) => (hasStatus ? item.status : true)).map(id).sort();
        expect((await scanAll('byStatus')).map(id).sort()).toEqual(expected(true));
        expect((await scanAll('byStatusAll')).map(id).sort()).toEqual(expected(true));
        expect((await scanAll('byTotal')).map(id).sort()).toEqual(expected(false));
        // Index order: status, then total, then the table key.
        const byStatus = await scanAll('byStatus');
        for (const status of ['open', 'shipped', 'lost']) {
          const totals = byStatus.filter((item) => item.status.S === status).map((item) => Number(item.total.N));
          expect(totals).toEqual([...totals].sort((a, b) => a - b));
        }
      }
    }
  });
});

describe('index key checks in batches', () => {
  it('refuse the whole BatchWriteItem before writing anything', async () => {
    db = await withTables([ordersTable()]);
    await expectError(
      db.send('BatchWriteItem', {
        RequestItems: { orders: [{ PutRequest: { Item: order('a', 1, 'open', 1) } }, { PutRequest: { Item: { ...order('a', 2, 'open', 1), status: { N: '5' } } } }] },
      }),
      'ValidationException',
      'One or more parameter values were invalid: Type mismatch for Index Key status Expected: S Actual: N IndexName: byStatus',
    );
    expect((await db.send('Scan', { TableName: 'orders' })).Count).toBe(0);
  });
});

describe('item collections of tables with local indexes', () => {
  it('are capped (10 GB in DynamoDB, configurable here), per partition key', async () => {
    db = await withTables([{ ...ordersTable(), GlobalSecondaryIndexes: undefined }], { itemCollectionMaxBytes: 120 });
    // Each order is 35 bytes: three fit in 120, a fourth does not; another partition key has its own budget.
    for (let sk = 1; sk <= 3; sk++) await db.send('PutItem', { TableName: 'orders', Item: order('a', sk, 'open', 30) });
    await expectError(
      db.send('PutItem', { TableName: 'orders', Item: order('a', 4, 'open', 30) }),
      'ItemCollectionSizeLimitExceededException',
      'An item collection is too large. This exception is only returned for tables that have one or more local secondary indexes.',
    );
    await db.send('PutItem', { TableName: 'orders', Item: order('b', 4, 'open', 30) });
    await db.send('DeleteItem', { TableName: 'orders', Key: { pk: { S: 'a' }, sk: { N: '1' } } });
    await db.send('PutItem', { TableName: 'orders', Item: order('a', 4, 'open', 30) });
    expect((await db.send('Query', { TableName: 'orders', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'a' } }, Select: 'COUNT' })).Count).toBe(3);
    // A batch or a transaction that would cross the cap part-way writes nothing at all.
    const fresh = [5, 6, 7, 8].map((sk) => order('c', sk, 'open', 30));
    await expectError(
      db.send('BatchWriteItem', { RequestItems: { orders: fresh.map((Item) => ({ PutRequest: { Item } })) } }),
      'ItemCollectionSizeLimitExceededException',
      'An item collection is too large. This exception is only returned for tables that have one or more local secondary indexes.',
    );
    await expectError(
      db.send('TransactWriteItems', { TransactItems: fresh.map((Item) => ({ Put: { TableName: 'orders', Item } })) }),
      'ItemCollectionSizeLimitExceededException',
      'An item collection is too large. This exception is only returned for tables that have one or more local secondary indexes.',
    );
    expect((await db.send('Query', { TableName: 'orders', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'c' } }, Select: 'COUNT' })).Count).toBe(0);
    await db.send('BatchWriteItem', { RequestItems: { orders: fresh.slice(0, 3).map((Item) => ({ PutRequest: { Item } })) } });
  });
});

describe('ReturnItemCollectionMetrics', () => {
  it('reports the collection size of tables with local indexes, and nothing for others', async () => {
    db = await withTables([{ ...ordersTable(), GlobalSecondaryIndexes: undefined }, { ...ordersTable(), TableName: 'plain', LocalSecondaryIndexes: undefined, GlobalSecondaryIndexes: undefined, AttributeDefinitions: ordersTable().AttributeDefinitions.slice(0, 2) }]);
    const gb = (bytes: number) => bytes / 1024 ** 3;
    expect(await db.send('PutItem', { TableName: 'orders', Item: order('a', 1, 'open', 30), ReturnItemCollectionMetrics: 'SIZE' })).toEqual({
      ItemCollectionMetrics: { ItemCollectionKey: { pk: { S: 'a' } }, SizeEstimateRangeGB: [gb(35), gb(35)] },
    });
    expect(
      await db.send('UpdateItem', { TableName: 'orders', Key: { pk: { S: 'a' }, sk: { N: '2' } }, UpdateExpression: 'SET note = :n', ExpressionAttributeValues: { ':n': { S: 'x' } }, ReturnItemCollectionMetrics: 'SIZE' }),
    ).toEqual({ ItemCollectionMetrics: { ItemCollectionKey: { pk: { S: 'a' } }, SizeEstimateRangeGB: [gb(35 + 12), gb(35 + 12)] } });
    expect(await db.send('DeleteItem', { TableName: 'orders', Key: { pk: { S: 'a' }, sk: { N: '1' } }, ReturnItemCollectionMetrics: 'SIZE' })).toEqual({
      ItemCollectionMetrics: { ItemCollectionKey: { pk: { S: 'a' } }, SizeEstimateRangeGB: [gb(12), gb(12)] },
    });
    expect(await db.send('PutItem', { TableName: 'plain', Item: order('a', 1, 'open', 30), ReturnItemCollectionMetrics: 'SIZE' })).toEqual({});
    // BatchWriteItem: one entry per collection written, after the whole batch.
    expect(
      await db.send('BatchWriteItem', {
        RequestItems: { orders: [order('b', 1, 'open', 1), order('b', 2, 'open', 1), order('c', 1, 'open', 1)].map((Item) => ({ PutRequest: { Item } })), plain: [{ PutRequest: { Item: order('z', 1, 'open', 1) } }] },
        ReturnItemCollectionMetrics: 'SIZE',
      }),
    ).toEqual({
      UnprocessedItems: {},
      ItemCollectionMetrics: {
        orders: [
          { ItemCollectionKey: { pk: { S: 'b' } }, SizeEstimateRangeGB: [gb(70), gb(70)] },
          { ItemCollectionKey: { pk: { S: 'c' } }, SizeEstimateRangeGB: [gb(35), gb(35)] },
        ],
      },
    });
  });
});
