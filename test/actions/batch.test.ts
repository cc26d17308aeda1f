import { afterEach, describe, expect, it } from 'vitest';
import type { Item, Tidepool } from '../../src/index.js';
import { compositeTable, expectError, hashTable, withTables } from '../helpers.js';

let db: Tidepool;
afterEach(async () => db?.close());

const tables = () => withTables([hashTable(), compositeTable()]);

const SCHEMA = 'The provided key element does not match the schema';
const DUPLICATES = 'Provided list of item keys contains duplicates';
const TABLE_NAMES =
  'Map keys must satisfy constraint: [Member must have length less than or equal to 255, ' +
  'Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]';
const WRITE_REQUESTS =
  'Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]';
const ONE_OF = 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes';

const keys = (n: number, prefix = 'k') => Array.from({ length: n }, (_, i) => ({ pk: { S: `${prefix}${i}` } }));
const puts = (n: number, prefix = 'k') => keys(n, prefix).map((Item) => ({ PutRequest: { Item } }));
const byPk = (a: Item, b: Item) => ((a.pk as { S: string }).S < (b.pk as { S: string }).S ? -1 : 1);

async function put(...items: [string, Item][]): Promise<void> {
  for (const [TableName, Item] of items) await db.send('PutItem', { TableName, Item });
}

async function scanAll(TableName: string): Promise<Item[]> {
  const { Items } = await db.send('Scan', { TableName });
  return (Items as Item[]).sort(byPk);
}

describe('BatchGetItem', () => {
  describe('validations', () => {
    const get = (request: unknown) => db.send('BatchGetItem', request);

    it('requires RequestItems, and at least one table in it', async () => {
      db = await tables();
      await expectError(get({}), 'ValidationException', "1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: Member must not be null");
      await expectError(
        get({ ReturnConsumedCapacity: 'hi' }),
        'ValidationException',
        "2 validation errors detected: Value 'hi' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; " +
          "Value null at 'requestItems' failed to satisfy constraint: Member must not be null",
      );
      await expectError(get({ RequestItems: {} }), 'ValidationException', 'The requestItems parameter is required for BatchGetItem');
    });

    it('requires one to 100 keys in each table', async () => {
      db = await tables();
      await expectError(
        get({ RequestItems: { hashes: {} } }),
        'ValidationException',
        "1 validation error detected: Value null at 'requestItems.hashes.member.keys' failed to satisfy constraint: Member must not be null",
      );
      await expectError(
        get({ RequestItems: { hashes: { Keys: [] } } }),
        'ValidationException',
        "1 validation error detected: Value '[]' at 'requestItems.hashes.member.keys' failed to satisfy constraint: Member must have length greater than or equal to 1",
      );
      await expectError(
        get({ RequestItems: { hashes: { Keys: keys(101) } } }),
        'ValidationException',
        "1 validation error detected: Value at 'RequestItems.hashes.member.Keys' failed to satisfy constraint: Member must have length less than or equal to 100",
      );
    });

    it('allows 100 keys in all tables together', async () => {
      db = await tables();
      await expectError(
        get({ RequestItems: { hashes: { Keys: keys(60) }, composite: { Keys: keys(41).map((k, i) => ({ ...k, sk: { N: String(i) } })) } } }),
        'ValidationException',
        'Too many items requested for the BatchGetItem call',
      );
      // Exactly 100 gets as far as the table lookup.
      await expectError(get({ RequestItems: { nosuchtable: { Keys: keys(100) } } }), 'ResourceNotFoundException', 'Requested resource not found');
    });

    it('checks table names', async () => {
      db = await tables();
      await expectError(
        get({ RequestItems: { a: { Keys: [{ pk: { S: 'x' } }] } } }),
        'ValidationException',
        `1 validation error detected: Value '{a=KeysAndAttributes(keys=[{pk={"S":"x"}}])}' at 'requestItems' failed to satisfy constraint: ${TABLE_NAMES}`,
      );
      await expectError(
        get({ RequestItems: { 'bad name': { Keys: keys(1), ConsistentRead: true } } }),
        'ValidationException',
        `1 validation error detected: Value '{bad name=KeysAndAttributes(keys=[{pk={"S":"k0"}}], consistentRead=true)}' at 'requestItems' failed to satisfy constraint: ${TABLE_NAMES}`,
      );
    });

    it('rejects the same key twice in one table, however it is spelled', async () => {
      db = await tables();
      await expectError(get({ RequestItems: { hashes: { Keys: [{ pk: { S: 'a' } }, { pk: { S: 'a' } }] } } }), 'ValidationException', DUPLICATES);
      await expectError(
        get({ RequestItems: { composite: { Keys: [{ pk: { S: 'a' }, sk: { N: '1' } }, { sk: { N: '1.0' }, pk: { S: 'a' } }] } } }),
        'ValidationException',
        DUPLICATES,
      );
      // Before the table is looked up.
      await expectError(get({ RequestItems: { nosuchtable: { Keys: [{ pk: { S: 'a' } }, { pk: { S: 'a' } }] } } }), 'ValidationException', DUPLICATES);
      // One key in two tables is two items.
      expect(await get({ RequestItems: { hashes: { Keys: [{ pk: { S: 'a' } }] }, composite: { Keys: [{ pk: { S: 'a' }, sk: { N: '1' } }] } } })).toEqual({
        Responses: { hashes: [], composite: [] },
        UnprocessedKeys: {},
      });
    });

    it('checks key values', async () => {
      db = await tables();
      const key = (value: unknown) => get({ RequestItems: { hashes: { Keys: [{ pk: value }] } } });
      await expectError(key({}), 'ValidationException', 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
      await expectError(key({ S: 'a', N: '1' }), 'ValidationException', ONE_OF);
      await expectError(key({ NULL: false }), 'ValidationException', 'One or more parameter values were invalid: Null attribute value types must have the value of true');
      await expectError(key({ N: 'b' }), 'ValidationException', 'The parameter cannot be converted to a numeric value: b');
      await expectError(key({ SS: ['a', 'a'] }), 'ValidationException', 'One or more parameter values were invalid: Input collection [a, a] contains duplicates.');
      await expectError(key({ S: 5 }), 'SerializationException', 'NUMBER_VALUE cannot be converted to String');
    });

    it('checks keys against the key schema', async () => {
      db = await tables();
      const one = (TableName: string, key: unknown) => get({ RequestItems: { [TableName]: { Keys: [key] } } });
      for (const key of [{}, { other: { S: 'a' } }, { pk: { N: '1' } }, { pk: { S: 'a' }, other: { S: 'b' } }, { pk: { SS: ['a'] } }]) {
        await expectError(one('hashes', key), 'ValidationException', SCHEMA);
      }
      await expectError(one('composite', { pk: { S: 'a' } }), 'ValidationException', SCHEMA);
      await expectError(
        one('hashes', { pk: { S: '' } }),
        'ValidationException',
        'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk',
      );
      await expectError(
        one('hashes', { pk: { S: 'x'.repeat(2049) } }),
        'ValidationException',
        'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes',
      );
      // A missing table is reported before the keys in it.
      await expectError(one('nosuchtable', {}), 'ResourceNotFoundException', 'Requested resource not found');
      await expectError(
        get({ RequestItems: { hashes: { Keys: [{ pk: { S: 'a' } }] }, nosuchtable: { Keys: [{ pk: { S: 'a' } }] } } }),
        'ResourceNotFoundException',
        'Requested resource not found',
      );
    });

    it('checks projections', async () => {
      db = await tables();
      const mixed =
        'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}';
      await expectError(get({ RequestItems: { hashes: { Keys: keys(1), ProjectionExpression: 'a', AttributesToGet: ['a'] } } }), 'ValidationException', mixed);
      // Across tables too.
      await expectError(
        get({ RequestItems: { hashes: { Keys: keys(1), ProjectionExpression: 'a' }, composite: { Keys: [{ pk: { S: 'a' }, sk: { N: '1' } }], AttributesToGet: ['a'] } } }),
        'ValidationException',
        mixed,
      );
      await expectError(
        get({ RequestItems: { hashes: { Keys: keys(1), AttributesToGet: ['a', 'a'] } } }),
        'ValidationException',
        'One or more parameter values were invalid: Duplicate value in attribute name: a',
      );
      await expectError(
        get({ RequestItems: { hashes: { Keys: keys(1), ExpressionAttributeNames: { '#a': 'a' } } } }),
        'ValidationException',
        'ExpressionAttributeNames can only be specified when using expressions',
      );
      await expectError(
        get({ RequestItems: { hashes: { Keys: keys(1), ProjectionExpression: '' } } }),
        'ValidationException',
        'Invalid ProjectionExpression: The expression can not be empty;',
      );
      await expectError(
        get({ RequestItems: { hashes: { Keys: keys(1), ProjectionExpression: 'a', ExpressionAttributeNames: { '#b': 'b' } } } }),
        'ValidationException',
        'Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}',
      );
    });
  });

  describe('functionality', () => {
    it('returns the items found in each table, and an empty UnprocessedKeys', async () => {
      db = await tables();
      await put(
        ['hashes', { pk: { S: 'a' }, n: { N: '1.50' } }],
        ['hashes', { pk: { S: 'b' } }],
        ['hashes', { pk: { S: 'c' } }],
        ['composite', { pk: { S: 'a' }, sk: { N: '1' }, v: { S: 'x' } }],
      );
      const result = await db.send('BatchGetItem', {
        RequestItems: {
          hashes: { Keys: [{ pk: { S: 'c' } }, { pk: { S: 'missing' } }, { pk: { S: 'a' } }], ConsistentRead: true },
          composite: { Keys: [{ pk: { S: 'a' }, sk: { N: '1' } }, { pk: { S: 'a' }, sk: { N: '2' } }] },
        },
      });
      // DynamoDB returns the items of a table in no particular order.
      expect(result.Responses.hashes.sort(byPk)).toEqual([{ pk: { S: 'a' }, n: { N: '1.5' } }, { pk: { S: 'c' } }]);
      expect(result).toEqual({
        Responses: { hashes: expect.any(Array), composite: [{ pk: { S: 'a' }, sk: { N: '1' }, v: { S: 'x' } }] },
        UnprocessedKeys: {},
      });
      expect(await db.send('BatchGetItem', { RequestItems: { hashes: { Keys: [{ pk: { S: 'nothing' } }] } } })).toEqual({
        Responses: { hashes: [] },
        UnprocessedKeys: {},
      });
    });

    it('reads 100 keys in one call', async () => {
      db = await tables();
      const all = ['a', 'b', 'c', 'd'].flatMap((prefix) => keys(25, prefix));
      for (const prefix of ['a', 'b', 'c', 'd']) await db.send('BatchWriteItem', { RequestItems: { hashes: puts(25, prefix) } });
      const result = await db.send('BatchGetItem', { RequestItems: { hashes: { Keys: all } } });
      expect(result.Responses.hashes.sort(byPk)).toEqual([...all].sort(byPk));
      expect(result.UnprocessedKeys).toEqual({});
    });

    it('projects without adding the key attributes', async () => {
      db = await tables();
      await put(
        ['hashes', { pk: { S: 'p' }, a: { S: 'alpha' }, b: { S: 'beta' }, c: { M: { d: { N: '99' }, e: { N: '1' } } } }],
        ['composite', { pk: { S: 'p' }, sk: { N: '1' }, a: { S: 'alpha' }, b: { S: 'beta' } }],
      );
      expect(
        await db.send('BatchGetItem', {
          RequestItems: {
            hashes: { Keys: [{ pk: { S: 'p' } }], ProjectionExpression: 'a, #c.d', ExpressionAttributeNames: { '#c': 'c' } },
            composite: { Keys: [{ pk: { S: 'p' }, sk: { N: '1' } }], ProjectionExpression: 'b' },
          },
        }),
      ).toEqual({
        Responses: { hashes: [{ a: { S: 'alpha' }, c: { M: { d: { N: '99' } } } }], composite: [{ b: { S: 'beta' } }] },
        UnprocessedKeys: {},
      });
      expect(await db.send('BatchGetItem', { RequestItems: { hashes: { Keys: [{ pk: { S: 'p' } }], AttributesToGet: ['b', 'pk'] } } })).toEqual({
        Responses: { hashes: [{ pk: { S: 'p' }, b: { S: 'beta' } }] },
        UnprocessedKeys: {},
      });
    });

    it('reports capacity per table, each item rounded up to 4 KB by itself', async () => {
      db = await tables();
      const kb = (n: number) => 'x'.repeat(n * 1024 - 20);
      await put(
        ['hashes', { pk: { S: 'a' }, d: { S: kb(1) } }],
        ['hashes', { pk: { S: 'b' }, d: { S: kb(1) } }],
        ['hashes', { pk: { S: 'c' }, d: { S: kb(5) } }],
        ['composite', { pk: { S: 'a' }, sk: { N: '1' } }],
      );
      const request = (ReturnConsumedCapacity: string, ConsistentRead: boolean) =>
        db.send('BatchGetItem', {
          ReturnConsumedCapacity,
          RequestItems: {
            // 1 + 1 + 2 blocks, and a missing item costs a read too.
            hashes: { Keys: [{ pk: { S: 'a' } }, { pk: { S: 'b' } }, { pk: { S: 'c' } }, { pk: { S: 'missing' } }], ConsistentRead, ProjectionExpression: 'pk' },
            composite: { Keys: [{ pk: { S: 'a' }, sk: { N: '1' } }] },
          },
        });
      expect((await request('TOTAL', true)).ConsumedCapacity).toEqual([
        { TableName: 'hashes', CapacityUnits: 5 },
        { TableName: 'composite', CapacityUnits: 0.5 },
      ]);
      expect((await request('INDEXES', false)).ConsumedCapacity).toEqual([
        { TableName: 'hashes', CapacityUnits: 2.5, Table: { CapacityUnits: 2.5 } },
        { TableName: 'composite', CapacityUnits: 0.5, Table: { CapacityUnits: 0.5 } },
      ]);
      expect(await request('NONE', true)).not.toHaveProperty('ConsumedCapacity');
    });

    it('returns what fits in 16 MB and the rest as UnprocessedKeys, which can be sent again', async () => {
      db = await tables();
      // Items of 409,514 bytes: 40 fit in 16 MiB (16,380,560 bytes), 41 do not.
      const data = { S: 'x'.repeat(409_500) };
      const big = keys(45, 'big');
      for (const key of big) await db.send('PutItem', { TableName: 'hashes', Item: { ...key, data } });
      await put(['composite', { pk: { S: 'a' }, sk: { N: '1' } }]);
      const RequestItems = {
        hashes: { Keys: big, ProjectionExpression: 'pk' },
        composite: { Keys: [{ pk: { S: 'a' }, sk: { N: '1' } }], ConsistentRead: true },
      };
      const first = await db.send('BatchGetItem', { RequestItems, ReturnConsumedCapacity: 'TOTAL' });
      expect(first.Responses.hashes).toHaveLength(40);
      expect(first.Responses.composite).toEqual([]);
      expect(first.UnprocessedKeys).toEqual({
        hashes: { Keys: expect.any(Array), ProjectionExpression: 'pk' },
        composite: { Keys: [{ pk: { S: 'a' }, sk: { N: '1' } }], ConsistentRead: true },
      });
      expect([...first.Responses.hashes, ...first.UnprocessedKeys.hashes.Keys].sort(byPk)).toEqual([...big].sort(byPk));
      // Keys left unprocessed are not read, and cost nothing.
      expect(first.ConsumedCapacity).toEqual([
        { TableName: 'hashes', CapacityUnits: 40 * 50 },
        { TableName: 'composite', CapacityUnits: 0 },
      ]);

      const second = await db.send('BatchGetItem', { RequestItems: first.UnprocessedKeys });
      expect(second.Responses.hashes).toHaveLength(5);
      expect(second).toEqual({ Responses: { hashes: expect.any(Array), composite: [{ pk: { S: 'a' }, sk: { N: '1' } }] }, UnprocessedKeys: {} });
    });
  });
});

describe('BatchWriteItem', () => {
  describe('validations', () => {
    const write = (request: unknown) => db.send('BatchWriteItem', request);

    it('requires RequestItems, and at least one table in it', async () => {
      db = await tables();
      await expectError(write({}), 'ValidationException', "1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: Member must not be null");
      await expectError(
        write({ ReturnConsumedCapacity: 'hi', ReturnItemCollectionMetrics: 'hi' }),
        'ValidationException',
        "3 validation errors detected: Value 'hi' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; " +
          "Value 'hi' at 'returnItemCollectionMetrics' failed to satisfy constraint: Member must satisfy enum value set: [SIZE, NONE]; " +
          "Value null at 'requestItems' failed to satisfy constraint: Member must not be null",
      );
      await expectError(write({ RequestItems: {} }), 'ValidationException', 'The requestItems parameter is required for BatchWriteItem');
    });

    it('requires one to 25 requests in each table and in all', async () => {
      db = await tables();
      await expectError(
        write({ RequestItems: { hashes: [] } }),
        'ValidationException',
        `1 validation error detected: Value '{hashes=[]}' at 'requestItems' failed to satisfy constraint: ${WRITE_REQUESTS}`,
      );
      await expectError(
        write({ RequestItems: { a: [] } }),
        'ValidationException',
        `2 validation errors detected: Value '{a=[]}' at 'requestItems' failed to satisfy constraint: ${TABLE_NAMES}; ` +
          `Value '{a=[]}' at 'requestItems' failed to satisfy constraint: ${WRITE_REQUESTS}`,
      );
      // The conformance suite's pattern: the service echoes the whole map.
      const error = await write({ RequestItems: { hashes: puts(26) } }).catch((e: Error) => e);
      expect(error).toMatchObject({ name: 'ValidationException' });
      expect((error as Error).message).toMatch(
        new RegExp(`^1 validation error detected: Value '\\{hashes=\\[.+\\]\\}' at 'requestItems' failed to satisfy constraint: ${WRITE_REQUESTS.replace(/[[\]]/g, '\\$&')}$`),
      );
      await expectError(
        write({ RequestItems: { a: [{ PutRequest: { Item: { pk: { S: 'x' } } } }, { DeleteRequest: { Key: { pk: { N: '1' } } } }] } }),
        'ValidationException',
        `1 validation error detected: Value '{a=[WriteRequest(putRequest=PutRequest(item={pk={"S":"x"}})), WriteRequest(deleteRequest=DeleteRequest(key={pk={"N":"1"}}))]}' at 'requestItems' failed to satisfy constraint: ${TABLE_NAMES}`,
      );
      await expectError(
        write({ RequestItems: { hashes: puts(13), composite: puts(13).map(({ PutRequest }) => ({ PutRequest: { Item: { ...PutRequest.Item, sk: { N: '1' } } } })) } }),
        'ValidationException',
        'Too many items requested for the BatchWriteItem call',
      );
      // Exactly 25 gets as far as the table lookup.
      await expectError(write({ RequestItems: { nosuchtable: puts(25) } }), 'ResourceNotFoundException', 'Requested resource not found');
    });

    it('requires exactly one of PutRequest and DeleteRequest', async () => {
      db = await tables();
      await expectError(write({ RequestItems: { hashes: [{}] } }), 'ValidationException', ONE_OF);
      await expectError(write({ RequestItems: { hashes: [{ PutRequest: { Item: { pk: { S: 'a' } } }, DeleteRequest: { Key: { pk: { S: 'b' } } } }] } }), 'ValidationException', ONE_OF);
      await expectError(
        write({ RequestItems: { hashes: [{ PutRequest: {}, DeleteRequest: {} }] } }),
        'ValidationException',
        "2 validation errors detected: Value null at 'requestItems.hashes.member.1.member.deleteRequest.key' failed to satisfy constraint: Member must not be null; " +
          "Value null at 'requestItems.hashes.member.1.member.putRequest.item' failed to satisfy constraint: Member must not be null",
      );
      await expectError(
        write({ RequestItems: { hashes: [{ PutRequest: { Item: { pk: { S: 'a' } } } }, null] } }),
        'ValidationException',
        "1 validation error detected: Value null at 'requestItems.hashes.member.2.member' failed to satisfy constraint: Member must not be null",
      );
      await expectError(write({ RequestItems: { hashes: {} } }), 'SerializationException', 'Start of structure or map found where not expected');
    });

    it('rejects two requests on one item in one table', async () => {
      db = await tables();
      const item = { pk: { S: 'a' }, v: { S: 'x' } };
      await expectError(write({ RequestItems: { hashes: [{ PutRequest: { Item: item } }, { PutRequest: { Item: item } }] } }), 'ValidationException', DUPLICATES);
      await expectError(write({ RequestItems: { hashes: [{ PutRequest: { Item: item } }, { DeleteRequest: { Key: { pk: item.pk } } }] } }), 'ValidationException', DUPLICATES);
      await expectError(write({ RequestItems: { hashes: [{ DeleteRequest: { Key: { pk: item.pk } } }, { PutRequest: { Item: item } }] } }), 'ValidationException', DUPLICATES);
      await expectError(
        write({ RequestItems: { composite: [{ DeleteRequest: { Key: { pk: item.pk, sk: { N: '10' } } } }, { DeleteRequest: { Key: { sk: { N: '1E1' }, pk: item.pk } } }] } }),
        'ValidationException',
        DUPLICATES,
      );
      // The table is looked up first.
      await expectError(write({ RequestItems: { nosuchtable: [{ PutRequest: { Item: item } }, { PutRequest: { Item: item } }] } }), 'ResourceNotFoundException', 'Requested resource not found');
    });

    it('checks attribute values and item size before the tables', async () => {
      db = await tables();
      const putValue = (value: unknown) => write({ RequestItems: { nosuchtable: [{ PutRequest: { Item: { pk: { S: 'a' }, v: value } } }] } });
      await expectError(putValue({}), 'ValidationException', 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
      await expectError(putValue({ S: 'a', N: '1' }), 'ValidationException', ONE_OF);
      await expectError(putValue({ SS: [] }), 'ValidationException', 'One or more parameter values were invalid: An string set  may not be empty');
      await expectError(putValue({ N: '1e126' }), 'ValidationException', 'Number overflow. Attempting to store a number with magnitude larger than supported range');
      await expectError(
        write({ RequestItems: { nosuchtable: [{ DeleteRequest: { Key: { pk: { NS: ['1', '1'] } } } }] } }),
        'ValidationException',
        'Input collection contains duplicates',
      );
      // 400 KB is the limit: 'pk' + 'a' + 'v' + 409,597 bytes is one byte over.
      await expectError(putValue({ S: 'x'.repeat(409_597) }), 'ValidationException', 'Item size has exceeded the maximum allowed size');
      await expectError(putValue({ S: 'x'.repeat(409_596) }), 'ResourceNotFoundException', 'Requested resource not found');
    });

    it('checks keys against the key schema, in the words of a batch', async () => {
      db = await tables();
      const putItem = (TableName: string, Item: unknown) => write({ RequestItems: { [TableName]: [{ PutRequest: { Item } }] } });
      const deleteKey = (TableName: string, Key: unknown) => write({ RequestItems: { [TableName]: [{ DeleteRequest: { Key } }] } });
      // PutItem would say "Missing the key" and "Type mismatch" here.
      for (const item of [{}, { other: { S: 'a' } }, { pk: { N: '1' } }, { pk: { BOOL: true } }]) await expectError(putItem('hashes', item), 'ValidationException', SCHEMA);
      await expectError(putItem('composite', { pk: { S: 'a' } }), 'ValidationException', SCHEMA);
      await expectError(putItem('composite', { pk: { S: 'a' }, sk: { S: '1' } }), 'ValidationException', SCHEMA);
      for (const key of [{}, { pk: { N: '1' } }, { pk: { S: 'a' }, other: { S: 'b' } }]) await expectError(deleteKey('hashes', key), 'ValidationException', SCHEMA);
      await expectError(
        putItem('hashes', { pk: { S: '' } }),
        'ValidationException',
        'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk',
      );
      await expectError(
        deleteKey('hashes', { pk: { S: 'x'.repeat(2049) } }),
        'ValidationException',
        'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes',
      );
      await expectError(putItem('nosuchtable', {}), 'ResourceNotFoundException', 'Requested resource not found');
    });

    it('changes nothing in any table when the request fails', async () => {
      db = await tables();
      await put(['hashes', { pk: { S: 'keep' }, v: { N: '1' } }], ['composite', { pk: { S: 'keep' }, sk: { N: '1' } }]);
      const before = { hashes: await scanAll('hashes'), composite: await scanAll('composite') };
      const changes: unknown[] = [];
      const unsubscribe = db.onChange((record) => changes.push(record));
      const valid = {
        hashes: [{ PutRequest: { Item: { pk: { S: 'new' } } } }, { PutRequest: { Item: { pk: { S: 'keep' }, v: { N: '2' } } } }],
        composite: [{ DeleteRequest: { Key: { pk: { S: 'keep' }, sk: { N: '1' } } } }],
      };
      // Each failure is in the last table of the request, after writes that would have succeeded.
      await expectError(write({ RequestItems: { ...valid, nosuchtable: puts(1) } }), 'ResourceNotFoundException', 'Requested resource not found');
      await expectError(
        write({ RequestItems: { ...valid, composite: [...valid.composite, { PutRequest: { Item: { pk: { S: 'x' } } } }] } }),
        'ValidationException',
        SCHEMA,
      );
      await expectError(
        write({ RequestItems: { ...valid, composite: [...valid.composite, { PutRequest: { Item: { pk: { S: 'keep' }, sk: { N: '1.0' } } } }] } }),
        'ValidationException',
        DUPLICATES,
      );
      await expectError(
        write({ RequestItems: { ...valid, composite: [...valid.composite, { PutRequest: { Item: { pk: { S: 'x' }, sk: { N: '1' }, v: { S: 'x'.repeat(410_000) } } } }] } }),
        'ValidationException',
        'Item size has exceeded the maximum allowed size',
      );
      unsubscribe();
      expect(changes).toEqual([]);
      expect({ hashes: await scanAll('hashes'), composite: await scanAll('composite') }).toEqual(before);
    });
  });

  describe('functionality', () => {
    it('puts and deletes in several tables', async () => {
      db = await tables();
      await put(['hashes', { pk: { S: 'old' } }], ['composite', { pk: { S: 'old' }, sk: { N: '1' } }]);
      expect(
        await db.send('BatchWriteItem', {
          RequestItems: {
            hashes: [{ PutRequest: { Item: { pk: { S: 'a' }, n: { N: '1.50' }, s: { SS: ['y', 'x'] } } } }, { DeleteRequest: { Key: { pk: { S: 'old' } } } }],
            composite: [
              { PutRequest: { Item: { pk: { S: 'old' }, sk: { N: '2' }, v: { S: 'new' } } } },
              { DeleteRequest: { Key: { pk: { S: 'old' }, sk: { N: '1' } } } },
              // Deleting an item that is not there is no error.
              { DeleteRequest: { Key: { pk: { S: 'never' }, sk: { N: '1' } } } },
            ],
          },
        }),
      ).toEqual({ UnprocessedItems: {} });
      expect(await scanAll('hashes')).toEqual([{ pk: { S: 'a' }, n: { N: '1.5' }, s: { SS: ['y', 'x'] } }]);
      expect(await scanAll('composite')).toEqual([{ pk: { S: 'old' }, sk: { N: '2' }, v: { S: 'new' } }]);
    });

    it('writes 25 requests in one call, and replaces whole items', async () => {
      db = await tables();
      await put(['hashes', { pk: { S: 'k0' }, gone: { S: 'yes' } }]);
      const composite = puts(5).map(({ PutRequest }) => ({ PutRequest: { Item: { ...PutRequest.Item, sk: { N: '1' } } } }));
      expect(await db.send('BatchWriteItem', { RequestItems: { hashes: puts(20), composite } })).toEqual({ UnprocessedItems: {} });
      expect(await scanAll('hashes')).toEqual(keys(20).sort(byPk));
      expect(await scanAll('composite')).toHaveLength(5);
    });

    it('reports write capacity per table', async () => {
      db = await tables();
      const big = { pk: { S: 'big' }, d: { S: 'x'.repeat(2000) } };
      const request = (ReturnConsumedCapacity: string, hashes: unknown[], composite: unknown[]) =>
        db.send('BatchWriteItem', { ReturnConsumedCapacity, RequestItems: { hashes, composite } });
      // 2 KB and 1 KB; 1 KB.
      expect(await request('TOTAL', [{ PutRequest: { Item: big } }, { PutRequest: { Item: { pk: { S: 'small' } } } }], [{ PutRequest: { Item: { pk: { S: 'a' }, sk: { N: '1' } } } }])).toEqual({
        UnprocessedItems: {},
        ConsumedCapacity: [
          { TableName: 'hashes', CapacityUnits: 3 },
          { TableName: 'composite', CapacityUnits: 1 },
        ],
      });
      // A delete costs what the old item was, at least 1.
      expect(
        await request(
          'INDEXES',
          [{ DeleteRequest: { Key: { pk: { S: 'big' } } } }, { DeleteRequest: { Key: { pk: { S: 'missing' } } } }],
          [{ DeleteRequest: { Key: { pk: { S: 'a' }, sk: { N: '1' } } } }],
        ),
      ).toEqual({
        UnprocessedItems: {},
        ConsumedCapacity: [
          { TableName: 'hashes', CapacityUnits: 3, Table: { CapacityUnits: 3 } },
          { TableName: 'composite', CapacityUnits: 1, Table: { CapacityUnits: 1 } },
        ],
      });
      expect(await request('NONE', [{ PutRequest: { Item: big } }], [{ PutRequest: { Item: { pk: { S: 'a' }, sk: { N: '1' } } } }])).toEqual({ UnprocessedItems: {} });
    });
  });
});
