import { afterEach, describe, expect, it, vi } from 'vitest';
import { mulberry32 as random } from '../support/random.js';
import type { Item, Tidepool } from '../../src/index.js';
import { TOKEN_LIFETIME_MS, TokenStore, fingerprint } from '../../src/actions/transactions.js';
import { compositeTable, expectError, hashTable, withTables } from '../helpers.js';

let db: Tidepool;
afterEach(async () => {
  vi.useRealTimers();
  await db?.close();
});

const tables = () => withTables([hashTable(), compositeTable(), hashTable('other')]);

const CANCELLED = 'Transaction cancelled, please refer cancellation reasons for specific reasons';
const FAILED = { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' };
const NONE = { Code: 'None' };

/** The TransactionCanceledException a request fails with: its message and CancellationReasons. */
async function cancellation(promise: Promise<unknown>): Promise<{ message: string; reasons: unknown }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e as Error & { CancellationReasons?: unknown },
  );
  expect(error, 'expected the transaction to be cancelled').toBeInstanceOf(Error);
  expect(error!.name).toBe('TransactionCanceledException');
  return { message: error!.message, reasons: error!.CancellationReasons };
}

const put = (Item: Item, extra: object = {}, TableName = 'hashes') => ({ Put: { TableName, Item, ...extra } });
const del = (pk: string, extra: object = {}, TableName = 'hashes') => ({ Delete: { TableName, Key: { pk: { S: pk } }, ...extra } });
const check = (pk: string, ConditionExpression: string, extra: object = {}) => ({
  ConditionCheck: { TableName: 'hashes', Key: { pk: { S: pk } }, ConditionExpression, ...extra },
});
const update = (pk: string, UpdateExpression: string, extra: object = {}) => ({
  Update: { TableName: 'hashes', Key: { pk: { S: pk } }, UpdateExpression, ...extra },
});
const write = (TransactItems: object[], extra: object = {}) => db.send('TransactWriteItems', { TransactItems, ...extra });
const getItem = async (pk: string, TableName = 'hashes') => (await db.send('GetItem', { TableName, Key: { pk: { S: pk } } })).Item;
const scan = async (TableName: string) => (await db.send('Scan', { TableName })).Items;

describe('TransactWriteItems', () => {
  describe('validations', () => {
    it('checks TransactItems: present, 1 to 100 actions, each with exactly one action', async () => {
      db = await tables();
      await expectError(
        db.send('TransactWriteItems', {}),
        'ValidationException',
        "1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not be null",
      );
      await expectError(
        write([]),
        'ValidationException',
        "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1",
      );
      const items = (n: number) => Array.from({ length: n }, (_, i) => put({ pk: { S: `k${i}` }, i: { N: String(i) } }));
      const error = await write(items(101)).catch((e: Error) => e);
      expect((error as Error).name).toBe('ValidationException');
      // conformance tier3: the service echoes the list, then the constraint.
      expect((error as Error).message).toMatch(
        /^1 validation error detected: Value '\[.+\]' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100$/s,
      );
      expect(await scan('hashes')).toEqual([]);

      expect(await write(items(100))).toEqual({});
      expect(await scan('hashes')).toHaveLength(100);
      expect(await getItem('k99')).toEqual({ pk: { S: 'k99' }, i: { N: '99' } });

      await expectError(write([{}]), 'ValidationException', 'The action or operation requested is invalid. Verify that the action is typed correctly.');
      await expectError(
        write([{ ...put({ pk: { S: 'a' } }), ...del('a') }]),
        'ValidationException',
        'TransactItems can only contain one of Check, Put, Update or Delete',
      );
    });

    it('checks the members of each action', async () => {
      db = await tables();
      await expectError(
        write([{ ConditionCheck: { TableName: 'hashes', Key: { pk: { S: 'a' } } } }]),
        'ValidationException',
        "1 validation error detected: Value null at 'transactItems.1.member.conditionCheck.conditionExpression' failed to satisfy constraint: Member must not be null",
      );
      await expectError(
        write([put({ pk: { S: 'a' } }), { Update: { TableName: 'hashes', Key: { pk: { S: 'b' } } } }]),
        'ValidationException',
        "1 validation error detected: Value null at 'transactItems.2.member.update.updateExpression' failed to satisfy constraint: Member must not be null",
      );
      await expectError(
        write([put({ pk: { S: 'a' } }, { ReturnValuesOnConditionCheckFailure: 'ALL_NEW' })]),
        'ValidationException',
        "1 validation error detected: Value 'ALL_NEW' at 'transactItems.1.member.put.returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]",
      );
      // dynoxide: ClientRequestToken is at most 36 characters.
      await expectError(
        write([put({ pk: { S: 'a' } })], { ClientRequestToken: 'x'.repeat(37) }),
        'ValidationException',
        `1 validation error detected: Value '${'x'.repeat(37)}' at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36`,
      );
      await expectError(db.send('TransactWriteItems', { TransactItems: {} }), 'SerializationException', 'Start of structure or map found where not expected');
    });

    it('refuses the request for an invalid expression in any action, before looking at tables', async () => {
      db = await tables();
      await expectError(
        write([put({ pk: { S: 'a' } }), update('b', 'SET #v = ', { ExpressionAttributeNames: { '#v': 'v' } })]),
        'ValidationException',
        'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "="',
      );
      await expectError(
        write([put({ pk: { S: 'a' } }, { TableName: 'nosuchtable' }), check('b', 'attribute_exists(pk)', { ExpressionAttributeValues: { ':x': { S: 'x' } } })]),
        'ValidationException',
        'Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}',
      );
      await expectError(
        write([del('a', { ConditionExpression: '#s = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } })]),
        'ValidationException',
        'Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #s',
      );
      expect(await scan('hashes')).toEqual([]);
    });

    it('accepts ExpressionAttributeNames and Values on an action without an expression (ExtendDB #169)', async () => {
      db = await tables();
      await write([put({ pk: { S: 'a' } }, { ExpressionAttributeNames: { '#n': 'n' }, ExpressionAttributeValues: { ':v': { S: 'v' } } })]);
      expect(await getItem('a')).toEqual({ pk: { S: 'a' } });
    });

    it('fails the request on a missing table', async () => {
      db = await tables();
      await expectError(write([put({ pk: { S: 'a' } }), del('b', {}, 'nosuchtable')]), 'ResourceNotFoundException', 'Requested resource not found');
      await expectError(write([del('a', {}, 'nosuchtable'), put({ pk: { S: 'a' } }, {}, 'nosuchtable')]), 'ResourceNotFoundException', 'Requested resource not found');
      expect(await scan('hashes')).toEqual([]);
    });

    it('refuses two actions on one item, in one table', async () => {
      db = await tables();
      const twice = 'Transaction request cannot include multiple operations on one item';
      await expectError(write([put({ pk: { S: 'a' } }), put({ pk: { S: 'a' }, v: { S: 'second' } })]), 'ValidationException', twice);
      await expectError(write([check('a', 'attribute_not_exists(pk)'), update('a', 'SET v = :v', { ExpressionAttributeValues: { ':v': { S: 'v' } } })]), 'ValidationException', twice);
      // Keys compare by value: 1 and 1.0 are one number.
      await expectError(
        write([put({ pk: { S: 'a' }, sk: { N: '1' } }, {}, 'composite'), { Delete: { TableName: 'composite', Key: { pk: { S: 'a' }, sk: { N: '1.0' } } } }]),
        'ValidationException',
        twice,
      );
      expect(await scan('hashes')).toEqual([]);
      await write([put({ pk: { S: 'a' } }), put({ pk: { S: 'a' } }, {}, 'other'), put({ pk: { S: 'a' }, sk: { N: '1' } }, {}, 'composite')]);
      expect(await getItem('a', 'other')).toEqual({ pk: { S: 'a' } });
    });

    it('refuses a Put item over 400 KB and a transaction over 4 MB before evaluating anything', async () => {
      db = await tables();
      await expectError(
        write([check('x', 'attribute_exists(pk)'), put({ pk: { S: 'a' }, b: { S: 'x'.repeat(400 * 1024) } })]),
        'ValidationException',
        'Item size has exceeded the maximum allowed size',
      );
      // conformance tier3/limits: 12 items of 350,000 bytes fail, 10 succeed.
      const big = (n: number) => Array.from({ length: n }, (_, i) => put({ pk: { S: `big${i}` }, payload: { S: 'x'.repeat(350_000) } }));
      await expectError(
        write(big(12)),
        'ValidationException',
        'Collection size of items exceeded, which can also be caused by the aggregate size of the items in the transaction exceeding the 4MB limit',
      );
      expect(await scan('hashes')).toEqual([]);
      expect(await write(big(10))).toEqual({});
      expect((await getItem('big9'))?.payload).toEqual({ S: 'x'.repeat(350_000) });
    });

    it('cancels with a ValidationError reason for a key of the wrong type or shape (dynoxide, captured)', async () => {
      db = await tables();
      let result = await cancellation(write([put({ pk: { S: 'ok' } }), put({ pk: { N: '5' } })]));
      expect(result).toEqual({
        message: `${CANCELLED} [None, ValidationError]`,
        reasons: [NONE, { Code: 'ValidationError', Message: 'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N' }],
      });
      result = await cancellation(write([put({ other: { S: 'x' } })]));
      expect(result.reasons).toEqual([{ Code: 'ValidationError', Message: 'One or more parameter values were invalid: Missing the key pk in the item' }]);
      const mismatch = { Code: 'ValidationError', Message: 'The provided key element does not match the schema' };
      for (const action of [
        { Delete: { TableName: 'hashes', Key: { pk: { N: '5' } } } },
        { Update: { TableName: 'hashes', Key: { pk: { L: [{ S: 'x' }] } }, UpdateExpression: 'REMOVE v' } },
        { ConditionCheck: { TableName: 'hashes', Key: { pk: { S: 'a' }, extra: { S: 'b' } }, ConditionExpression: 'attribute_exists(pk)' } },
        // The count of key attributes is checked before their values (dynoxide).
        { Delete: { TableName: 'composite', Key: { pk: { S: '' } } } },
      ]) {
        expect(await cancellation(write([action]))).toEqual({ message: `${CANCELLED} [ValidationError]`, reasons: [mismatch] });
      }
      expect(await scan('hashes')).toEqual([]);
    });

    it('refuses the request for an empty key value anywhere, after the earlier actions were evaluated', async () => {
      db = await tables();
      await expectError(
        write([put({ pk: { S: 'a' } }, { ConditionExpression: 'attribute_exists(pk)' }), put({ pk: { S: '' } })]),
        'ValidationException',
        'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk',
      );
      await expectError(
        write([put({ pk: { S: 'a' } }), { Update: { TableName: 'composite', Key: { pk: { S: 'x' }, sk: { N: '1' } }, UpdateExpression: 'REMOVE v' } }, del('')]),
        'ValidationException',
        'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk',
      );
      expect(await scan('hashes')).toEqual([]);
      expect(await scan('composite')).toEqual([]);
    });

    it('cancels with a ValidationError reason for an invalid attribute value in an item', async () => {
      db = await tables();
      const result = await cancellation(write([put({ pk: { S: 'k1' }, tags: { SS: ['a', 'a'] } })]));
      // dynoxide: the bare message, as the cancellation reason.
      expect(result.reasons).toEqual([{ Code: 'ValidationError', Message: 'One or more parameter values were invalid: Input collection [a, a] contains duplicates.' }]);
    });

    it('cancels with a ValidationError reason for an update that fails on the stored item', async () => {
      db = await tables();
      await db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 's' }, str: { S: 'x' } } });
      const one = { ExpressionAttributeValues: { ':one': { N: '1' } } };
      const cases: [object, string][] = [
        [update('s', 'ADD str :one', one), 'An operand in the update expression has an incorrect data type'],
        [update('s', 'SET n = absent + :one', one), 'The provided expression refers to an attribute that does not exist in the item'],
        [update('s', 'SET pk = :one', one), 'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key'],
        // A transacted update is measured on the whole resulting item (dynoxide, captured).
        [update('new', 'SET b = :b', { ExpressionAttributeValues: { ':b': { S: 'x'.repeat(400 * 1024) } } }), 'Item size to update has exceeded the maximum allowed size'],
      ];
      for (const [action, Message] of cases) {
        expect(await cancellation(write([put({ pk: { S: 'p' } }), action]))).toEqual({
          message: `${CANCELLED} [None, ValidationError]`,
          reasons: [NONE, { Code: 'ValidationError', Message }],
        });
      }
      expect(await scan('hashes')).toEqual([{ pk: { S: 's' }, str: { S: 'x' } }]);
    });
  });

  describe('functionality', () => {
    it('applies Put, Update and Delete together and returns nothing', async () => {
      db = await tables();
      await db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'b' }, data: { S: 'before-update' }, n: { N: '1' } } });
      await db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'c' }, data: { S: 'to-delete' } } });
      const result = await write([
        put({ pk: { S: 'a' }, data: { S: 'created' }, n: { N: '01.50' } }),
        update('b', 'SET #d = :v ADD n :one', { ExpressionAttributeNames: { '#d': 'data' }, ExpressionAttributeValues: { ':v': { S: 'after-update' }, ':one': { N: '1' } } }),
        del('c'),
      ]);
      expect(result).toEqual({});
      expect(await getItem('a')).toEqual({ pk: { S: 'a' }, data: { S: 'created' }, n: { N: '1.5' } });
      expect(await getItem('b')).toEqual({ pk: { S: 'b' }, data: { S: 'after-update' }, n: { N: '2' } });
      expect(await getItem('c')).toBeUndefined();
    });

    it('writes across tables', async () => {
      db = await tables();
      await write([put({ pk: { S: 'h' }, data: { S: 'from-hash' } }), put({ pk: { S: 'c' }, sk: { N: '7' }, data: { S: 'from-composite' } }, {}, 'composite')]);
      expect(await scan('hashes')).toEqual([{ pk: { S: 'h' }, data: { S: 'from-hash' } }]);
      expect(await scan('composite')).toEqual([{ pk: { S: 'c' }, sk: { N: '7' }, data: { S: 'from-composite' } }]);
    });

    it('passes a ConditionCheck that holds and writes nothing for it', async () => {
      db = await tables();
      await db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'acct' }, status: { S: 'active' } } });
      await write([
        check('acct', '(attribute_exists(pk)) AND (#s = :v)', { ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':v': { S: 'active' } } }),
        put({ pk: { S: 'witness' } }),
      ]);
      expect(await scan('hashes')).toHaveLength(2);
      expect(await getItem('acct')).toEqual({ pk: { S: 'acct' }, status: { S: 'active' } });
    });

    it('leaves every table unchanged when a condition in the middle fails', async () => {
      db = await tables();
      await db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'keep' }, n: { N: '5' } } });
      await db.send('PutItem', { TableName: 'composite', Item: { pk: { S: 'c' }, sk: { N: '1' }, v: { S: 'old' } } });
      const before = { hashes: await scan('hashes'), composite: await scan('composite'), other: await scan('other') };
      const changes: unknown[] = [];
      const stop = db.onChange((record) => changes.push(record));
      const result = await cancellation(
        write([
          put({ pk: { S: 'new' }, v: { S: 'should-not-exist' } }),
          { Update: { TableName: 'composite', Key: { pk: { S: 'c' }, sk: { N: '1' } }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { S: 'new' } } } },
          update('keep', 'SET n = :v', { ConditionExpression: 'n > :min', ExpressionAttributeValues: { ':v': { N: '100' }, ':min': { N: '10' } } }),
          del('keep', {}, 'other'),
          put({ pk: { S: 'x' } }, {}, 'other'),
        ]),
      );
      stop();
      expect(result).toEqual({ message: `${CANCELLED} [None, None, ConditionalCheckFailed, None, None]`, reasons: [NONE, NONE, FAILED, NONE, NONE] });
      expect({ hashes: await scan('hashes'), composite: await scan('composite'), other: await scan('other') }).toEqual(before);
      expect(changes).toEqual([]);
    });

    it('reports every failing action, in order (conformance tier3)', async () => {
      db = await tables();
      await db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'm1' }, attr1: { S: 'exists' } } });
      await db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'm2' }, attr1: { S: 'exists' } } });
      const notExists = { ConditionExpression: 'attribute_not_exists(pk)' };
      expect(await cancellation(write([put({ pk: { S: 'm1' }, attr1: { S: 'over' } }, notExists), put({ pk: { S: 'm2' }, attr1: { S: 'over' } }, notExists)]))).toEqual({
        message: `${CANCELLED} [ConditionalCheckFailed, ConditionalCheckFailed]`,
        reasons: [FAILED, FAILED],
      });
      // A condition failure and a validation failure together.
      expect(await cancellation(write([put({ pk: { S: 'm1' } }, notExists), put({ pk: { N: '1' } })]))).toEqual({
        message: `${CANCELLED} [ConditionalCheckFailed, ValidationError]`,
        reasons: [FAILED, { Code: 'ValidationError', Message: 'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N' }],
      });
      expect(await getItem('m1')).toEqual({ pk: { S: 'm1' }, attr1: { S: 'exists' } });
    });

    it('puts the item in the reason with ReturnValuesOnConditionCheckFailure ALL_OLD, for every kind of action', async () => {
      db = await tables();
      const old = { pk: { S: 'o' }, data: { S: 'original' }, n: { N: '1' } };
      await db.send('PutItem', { TableName: 'hashes', Item: old });
      const allOld = { ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' };
      for (const action of [put({ pk: { S: 'o' }, data: { S: 'new' } }, allOld), update('o', 'REMOVE n', allOld), del('o', allOld), check('o', 'attribute_not_exists(pk)', { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })]) {
        expect(await cancellation(write([put({ pk: { S: 'side' } }), action]))).toEqual({
          message: `${CANCELLED} [None, ConditionalCheckFailed]`,
          reasons: [NONE, { ...FAILED, Item: old }],
        });
      }
      // NONE, or no item to return: no Item in the reason.
      expect((await cancellation(write([del('o', { ...allOld, ReturnValuesOnConditionCheckFailure: 'NONE' })]))).reasons).toEqual([FAILED]);
      expect((await cancellation(write([check('missing', 'attribute_exists(pk)', { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })]))).reasons).toEqual([FAILED]);
      expect(await scan('hashes')).toEqual([old]);
    });

    it('evaluates an Update condition against the item before the update creates it', async () => {
      db = await tables();
      // conformance tier2: attribute_exists on a missing key cancels and leaves no item; attribute_not_exists upserts.
      const hit = { ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':inc': { N: '1' } } };
      expect((await cancellation(write([update('ghost', 'ADD hit_count :inc', hit)]))).reasons).toEqual([FAILED]);
      expect(await getItem('ghost')).toBeUndefined();
      await write([
        update('fresh', 'SET #s = :new', { ConditionExpression: 'attribute_not_exists(pk)', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':new': { S: 'created' } } }),
      ]);
      expect(await getItem('fresh')).toEqual({ pk: { S: 'fresh' }, status: { S: 'created' } });
    });

    it('keeps secondary indexes in step, and checks index keys before writing anything', async () => {
      db = await withTables([
        {
          ...hashTable('indexed'),
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'status', AttributeType: 'S' },
          ],
          GlobalSecondaryIndexes: [{ IndexName: 'byStatus', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
        },
      ]);
      const byStatus = async (status: string) =>
        (await db.send('Query', { TableName: 'indexed', IndexName: 'byStatus', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: status } } })).Items;
      await write([put({ pk: { S: 'a' }, status: { S: 'open' } }, {}, 'indexed'), put({ pk: { S: 'b' }, status: { S: 'open' } }, {}, 'indexed')]);
      await write([
        { Update: { TableName: 'indexed', Key: { pk: { S: 'a' } }, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'done' } } } },
        del('b', {}, 'indexed'),
      ]);
      expect(await byStatus('open')).toEqual([]);
      expect(await byStatus('done')).toEqual([{ pk: { S: 'a' }, status: { S: 'done' } }]);

      // dynoxide (captured): a wrong-type index key is a cancellation reason, an empty one refuses the request.
      expect(await cancellation(write([put({ pk: { S: 'c' }, status: { S: 'open' } }, {}, 'indexed'), { Delete: { TableName: 'indexed', Key: { pk: { N: '1' } } } }, put({ pk: { S: 'd' }, status: { N: '1' } }, {}, 'indexed')]))).toEqual({
        message: `${CANCELLED} [None, ValidationError, ValidationError]`,
        reasons: [
          NONE,
          { Code: 'ValidationError', Message: 'The provided key element does not match the schema' },
          { Code: 'ValidationError', Message: 'One or more parameter values were invalid: Type mismatch for Index Key status Expected: S Actual: N IndexName: byStatus' },
        ],
      });
      await expectError(
        write([{ Update: { TableName: 'indexed', Key: { pk: { S: 'a' } }, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: '' } } } }]),
        'ValidationException',
        'One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: byStatus, IndexKey: status',
      );
      expect(await byStatus('open')).toEqual([]);
      expect(await byStatus('done')).toEqual([{ pk: { S: 'a' }, status: { S: 'done' } }]);
    });

    it('reports consumed capacity per table, writes doubled (dynoxide, captured)', async () => {
      db = await tables();
      await db.send('PutItem', { TableName: 'other', Item: { pk: { S: 'big' }, payload: { S: 'x'.repeat(3000) } } });
      expect(await write([put({ pk: { S: 'a' } }), put({ pk: { S: 'b' } })], { ReturnConsumedCapacity: 'TOTAL' })).toEqual({
        ConsumedCapacity: [{ TableName: 'hashes', CapacityUnits: 4, WriteCapacityUnits: 4 }],
      });
      const result = await write(
        [
          put({ pk: { S: 'c' }, payload: { S: 'x'.repeat(1500) } }),
          // A ConditionCheck is charged on the item it reads (3 KB: 3 units, doubled); a Delete of nothing costs the minimum.
          { ConditionCheck: { TableName: 'other', Key: { pk: { S: 'big' } }, ConditionExpression: 'attribute_exists(pk)' } },
          del('nothing', {}, 'other'),
        ],
        { ReturnConsumedCapacity: 'INDEXES' },
      );
      expect(result).toEqual({
        ConsumedCapacity: [
          { TableName: 'hashes', CapacityUnits: 4, WriteCapacityUnits: 4, Table: { CapacityUnits: 4, WriteCapacityUnits: 4 } },
          { TableName: 'other', CapacityUnits: 8, WriteCapacityUnits: 8, Table: { CapacityUnits: 8, WriteCapacityUnits: 8 } },
        ],
      });
      // An update is charged on the larger of the old and new item.
      expect(await write([update('c', 'REMOVE payload')], { ReturnConsumedCapacity: 'TOTAL' })).toEqual({
        ConsumedCapacity: [{ TableName: 'hashes', CapacityUnits: 4, WriteCapacityUnits: 4 }],
      });
      expect(await write([put({ pk: { S: 'd' } })], { ReturnConsumedCapacity: 'NONE' })).toEqual({});
    });
  });

  describe('ClientRequestToken', () => {
    const counter = (pk: string) => update(pk, 'ADD #c :one', { ExpressionAttributeNames: { '#c': 'counter' }, ExpressionAttributeValues: { ':one': { N: '1' } } });

    it('replays a repeated request without writing again', async () => {
      db = await tables();
      const token = 'token-1';
      expect(await write([counter('x'), put({ pk: { S: 'y' } })], { ClientRequestToken: token })).toEqual({});
      expect(await write([counter('x'), put({ pk: { S: 'y' } })], { ClientRequestToken: token })).toEqual({});
      // Map member order does not make a different request.
      expect(await write([counter('x'), { Put: { Item: { pk: { S: 'y' } }, TableName: 'hashes' } }], { ClientRequestToken: token })).toEqual({});
      expect(await getItem('x')).toEqual({ pk: { S: 'x' }, counter: { N: '1' } });
      // Another token is another request.
      await write([counter('x'), put({ pk: { S: 'y' } })], { ClientRequestToken: 'token-2' });
      expect(await getItem('x')).toEqual({ pk: { S: 'x' }, counter: { N: '2' } });
    });

    it('refuses the token with a different request', async () => {
      db = await tables();
      await write([put({ pk: { S: 'm' }, val: { S: 'first' } })], { ClientRequestToken: 'token-m' });
      await expectError(
        write([put({ pk: { S: 'm' }, val: { S: 'different' } })], { ClientRequestToken: 'token-m' }),
        'IdempotentParameterMismatchException',
        'An error occurred (IdempotentParameterMismatchException)',
      );
      expect(await getItem('m')).toEqual({ pk: { S: 'm' }, val: { S: 'first' } });
    });

    it('charges a replay as a transactional read of what the first call wrote, in the replay’s own mode', async () => {
      db = await tables();
      const items = [put({ pk: { S: 'big' }, payload: { S: 'x'.repeat(1500) } })];
      expect(await write(items, { ClientRequestToken: 't', ReturnConsumedCapacity: 'INDEXES' })).toEqual({
        ConsumedCapacity: [{ TableName: 'hashes', CapacityUnits: 4, WriteCapacityUnits: 4, Table: { CapacityUnits: 4, WriteCapacityUnits: 4 } }],
      });
      expect(await write(items, { ClientRequestToken: 't', ReturnConsumedCapacity: 'TOTAL' })).toEqual({
        ConsumedCapacity: [{ TableName: 'hashes', CapacityUnits: 2, ReadCapacityUnits: 2 }],
      });
      expect(await write(items, { ClientRequestToken: 't' })).toEqual({});
    });

    it('keeps no token for a request that failed', async () => {
      db = await tables();
      const guarded = [counter('g'), check('gate', 'attribute_exists(pk)')];
      expect((await cancellation(write(guarded, { ClientRequestToken: 'retry' }))).reasons).toEqual([NONE, FAILED]);
      await db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'gate' } } });
      await write(guarded, { ClientRequestToken: 'retry' });
      await write(guarded, { ClientRequestToken: 'retry' });
      expect(await getItem('g')).toEqual({ pk: { S: 'g' }, counter: { N: '1' } });
    });

    it('forgets a token 10 minutes after its request', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(1_000_000);
      db = await tables();
      await write([counter('e')], { ClientRequestToken: 'expiring' });
      vi.setSystemTime(1_000_000 + TOKEN_LIFETIME_MS - 1);
      await write([counter('e')], { ClientRequestToken: 'expiring' });
      expect(await getItem('e')).toEqual({ pk: { S: 'e' }, counter: { N: '1' } });
      vi.setSystemTime(1_000_000 + TOKEN_LIFETIME_MS);
      await write([counter('e')], { ClientRequestToken: 'expiring' });
      expect(await getItem('e')).toEqual({ pk: { S: 'e' }, counter: { N: '2' } });
      // Once expired, the token may carry another request.
      vi.setSystemTime(1_000_000 + 3 * TOKEN_LIFETIME_MS);
      await write([del('e')], { ClientRequestToken: 'expiring' });
      expect(await getItem('e')).toBeUndefined();
    });

    it('TokenStore: entries expire exactly after their lifetime and are dropped in order', () => {
      let now = 0;
      const store = new TokenStore(() => now);
      store.record('a', 'A', [['t', 10]]);
      now = 1000;
      store.record('b', 'B', []);
      now = TOKEN_LIFETIME_MS - 1;
      expect(store.find('a')).toEqual({ fingerprint: 'A', at: 0, sizes: [['t', 10]] });
      now = TOKEN_LIFETIME_MS;
      expect(store.find('a')).toBeUndefined();
      expect(store.size).toBe(1);
      expect(store.find('b')).toEqual({ fingerprint: 'B', at: 1000, sizes: [] });
      now = TOKEN_LIFETIME_MS + 1000;
      expect(store.find('zzz')).toBeUndefined();
      expect(store.size).toBe(0);
    });

    it('fingerprint: ignores member order and absent members', () => {
      expect(fingerprint({ b: [1, { y: 'x', z: null }], a: { S: 'q' } })).toBe(fingerprint({ a: { S: 'q' }, b: [1, { y: 'x' }] }));
      expect(fingerprint([{ N: '1' }])).not.toBe(fingerprint([{ N: '1.0' }]));
    });
  });

  describe('random transactions against a model', () => {
    type Model = Map<string, Item>;
    const TABLES = ['hashes', 'composite'] as const;
    const keyOf = (table: string, i: number): Item => (table === 'hashes' ? { pk: { S: `k${i}` } } : { pk: { S: `p${i % 3}` }, sk: { N: String(i) } });
    const idOf = (table: string, key: Item) => `${table}/${JSON.stringify(key)}`;

    for (const seed of [1, 2, 3]) {
      it(`keeps the tables equal to the model (seed ${seed})`, async () => {
        db = await tables();
        const next = random(seed);
        const pick = (n: number) => Math.floor(next() * n);
        const models: Record<string, Model> = { hashes: new Map(), composite: new Map() };
        const changes: unknown[] = [];
        db.onChange((record) => changes.push(record));
        let cancelledCount = 0;
        let committed = 0;

        for (let step = 0; step < 150; step++) {
          const n = 1 + pick(6);
          const used = new Set<string>();
          const actions: object[] = [];
          const effects: ((m: Record<string, Model>) => void)[] = [];
          const codes: string[] = [];
          let duplicate = false;
          for (let a = 0; a < n; a++) {
            const table = TABLES[pick(2)]!;
            const key = keyOf(table, pick(8));
            const id = idOf(table, key);
            if (used.has(id)) duplicate = true;
            used.add(id);
            const old = models[table]!.get(id);
            const n0 = old?.n ? Number((old.n as { N: string }).N) : undefined;
            // A condition on about half the actions; each holds or fails depending on the model.
            const v = pick(5);
            const conditions: [string, object, boolean][] = [
              ['attribute_exists(pk)', {}, old !== undefined],
              ['attribute_not_exists(pk)', {}, old === undefined],
              ['n < :lim', { ':lim': { N: String(v) } }, n0 !== undefined && n0 < v],
            ];
            const [expression, values, holds] = next() < 0.5 ? conditions[pick(3)]! : [undefined, {}, true];
            const condition = expression === undefined ? {} : { ConditionExpression: expression, ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}) };
            const kind = pick(4);
            const apply = (effect: (m: Model) => void) => effects.push((m) => effect(m[table]!));
            if (kind === 0) {
              const item = { ...key, n: { N: String(pick(5)) } };
              actions.push({ Put: { TableName: table, Item: item, ...condition } });
              apply((m) => m.set(id, item));
            } else if (kind === 1) {
              actions.push({ Delete: { TableName: table, Key: key, ...condition } });
              apply((m) => m.delete(id));
            } else if (kind === 2) {
              const d = pick(3) + 1;
              actions.push({
                Update: { TableName: table, Key: key, UpdateExpression: 'ADD n :d', ...condition, ExpressionAttributeValues: { ...values, ':d': { N: String(d) } } },
              });
              apply((m) => m.set(id, { ...(old ?? key), n: { N: String((n0 ?? 0) + d) } }));
            } else {
              const [ce, cv, ch] = expression === undefined ? conditions[pick(3)]! : [expression, values, holds];
              actions.push({ ConditionCheck: { TableName: table, Key: key, ConditionExpression: ce, ...(Object.keys(cv).length ? { ExpressionAttributeValues: cv } : {}) } });
              codes.push(ch ? 'None' : 'ConditionalCheckFailed');
              continue;
            }
            codes.push(holds ? 'None' : 'ConditionalCheckFailed');
          }

          const before = changes.length;
          const sent = write(actions);
          if (duplicate) {
            await expectError(sent, 'ValidationException', 'Transaction request cannot include multiple operations on one item');
            expect(changes.length).toBe(before);
          } else if (codes.some((code) => code !== 'None')) {
            cancelledCount++;
            const result = await cancellation(sent);
            expect(result.message).toBe(`${CANCELLED} [${codes.join(', ')}]`);
            expect((result.reasons as { Code: string }[]).map((r) => r.Code)).toEqual(codes);
            // No trace: no change record, and (checked below) the tables still equal the model.
            expect(changes.length).toBe(before);
          } else {
            committed++;
            expect(await sent).toEqual({});
            for (const effect of effects) effect(models);
          }

          for (const table of TABLES) {
            const sort = (items: Item[]) => items.map((item) => JSON.stringify(item)).sort();
            const expected = [...models[table]!.values()].map((item) => ({ ...item }));
            expect(sort(await scan(table))).toEqual(sort(expected));
          }
        }
        // The seeds exercise both outcomes.
        expect(cancelledCount).toBeGreaterThan(10);
        expect(committed).toBeGreaterThan(10);
      });
    }
  });
});

describe('TransactGetItems', () => {
  const get = (pk: string, extra: object = {}, TableName = 'hashes') => ({ Get: { TableName, Key: { pk: { S: pk } }, ...extra } });
  const read = (TransactItems: object[], extra: object = {}) => db.send('TransactGetItems', { TransactItems, ...extra });

  describe('validations', () => {
    it('checks TransactItems: present, 1 to 100 gets', async () => {
      db = await tables();
      await expectError(
        read([]),
        'ValidationException',
        "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1",
      );
      await expectError(
        read([{}]),
        'ValidationException',
        "1 validation error detected: Value null at 'transactItems.1.member.get' failed to satisfy constraint: Member must not be null",
      );
      const gets = (n: number) => Array.from({ length: n }, (_, i) => get(`g${i}`));
      const error = await read(gets(101)).catch((e: Error) => e);
      expect((error as Error).message).toMatch(
        /^1 validation error detected: Value '\[.+\]' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100$/s,
      );
      const { Responses } = await read(gets(100));
      expect(Responses).toHaveLength(100);
    });

    it('fails the request on an invalid ProjectionExpression or a missing table (conformance tier3)', async () => {
      db = await tables();
      await expectError(read([get('a', { ProjectionExpression: '!!!' })]), 'ValidationException', 'Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"');
      await expectError(
        read([get('a', { ProjectionExpression: 'a', ExpressionAttributeNames: { '#x': 'x' } })]),
        'ValidationException',
        'Value provided in ExpressionAttributeNames unused in expressions: keys: {#x}',
      );
      await expectError(read([get('a'), get('b', {}, 'nosuchtable')]), 'ResourceNotFoundException', 'Requested resource not found');
    });

    it('cancels with a ValidationError reason for each bad key, empty values included', async () => {
      db = await tables();
      expect(await cancellation(read([{ Get: { TableName: 'hashes', Key: {} } }, get('ok')]))).toEqual({
        message: `${CANCELLED} [ValidationError, None]`,
        reasons: [{ Code: 'ValidationError', Message: 'The provided key element does not match the schema' }, NONE],
      });
      expect(await cancellation(read([get(''), { Get: { TableName: 'hashes', Key: { pk: { N: '5' } } } }]))).toEqual({
        message: `${CANCELLED} [ValidationError, ValidationError]`,
        reasons: [
          { Code: 'ValidationError', Message: 'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk' },
          { Code: 'ValidationError', Message: 'The provided key element does not match the schema' },
        ],
      });
    });

    it('refuses two gets of one item', async () => {
      db = await tables();
      await expectError(read([get('a'), get('b'), get('a')]), 'ValidationException', 'Transaction request cannot include multiple operations on one item');
      expect((await read([get('a'), get('a', {}, 'other')])).Responses).toEqual([{}, {}]);
    });
  });

  describe('functionality', () => {
    it('returns the items in request order, {} for a missing one, across tables', async () => {
      db = await tables();
      for (const i of [1, 2, 3]) await db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: `g${i}` }, idx: { N: String(i) } } });
      await db.send('PutItem', { TableName: 'composite', Item: { pk: { S: 'c' }, sk: { N: '1' }, data: { S: 'comp' } } });
      const result = await read([get('g3'), get('nope'), { Get: { TableName: 'composite', Key: { pk: { S: 'c' }, sk: { N: '1.0' } } } }, get('g1')]);
      expect(result).toEqual({
        Responses: [{ Item: { pk: { S: 'g3' }, idx: { N: '3' } } }, {}, { Item: { pk: { S: 'c' }, sk: { N: '1' }, data: { S: 'comp' } } }, { Item: { pk: { S: 'g1' }, idx: { N: '1' } } }],
      });
    });

    it('projects, and leaves out an Item the projection matches nothing of', async () => {
      db = await tables();
      await db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'p' }, val: { S: 'v' }, extra: { M: { a: { S: 'x' }, b: { S: 'y' } } } } });
      expect(await read([get('p', { ProjectionExpression: 'val, #e.b', ExpressionAttributeNames: { '#e': 'extra' } }), get('p', { ProjectionExpression: 'nothing' }, 'other')])).toEqual({
        Responses: [{ Item: { val: { S: 'v' }, extra: { M: { b: { S: 'y' } } } } }, {}],
      });
      expect(await read([get('p', { ProjectionExpression: '#x', ExpressionAttributeNames: { '#x': 'doesNotExist' } })])).toEqual({ Responses: [{}] });
    });

    it('reports consumed capacity per table, reads doubled, a missing item charged too', async () => {
      db = await tables();
      await db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'big' }, payload: { S: 'x'.repeat(5000) } } });
      await db.send('PutItem', { TableName: 'other', Item: { pk: { S: 'small' } } });
      expect(await read([get('big'), get('missing'), get('small', {}, 'other')], { ReturnConsumedCapacity: 'TOTAL' })).toMatchObject({
        ConsumedCapacity: [
          { TableName: 'hashes', CapacityUnits: 6, ReadCapacityUnits: 6 },
          { TableName: 'other', CapacityUnits: 2, ReadCapacityUnits: 2 },
        ],
      });
      const { ConsumedCapacity } = await read([get('small', {}, 'other')], { ReturnConsumedCapacity: 'INDEXES' });
      expect(ConsumedCapacity).toEqual([{ TableName: 'other', CapacityUnits: 2, ReadCapacityUnits: 2, Table: { CapacityUnits: 2, ReadCapacityUnits: 2 } }]);
      expect(await read([get('small', {}, 'other')])).toEqual({ Responses: [{ Item: { pk: { S: 'small' } } }] });
    });
  });
});
