import { afterEach, describe, expect, it } from 'vitest';
import type { Tidepool } from '../../src/index.js';
import { compositeTable, expectError, hashTable, withTables } from '../helpers.js';

let db: Tidepool;
afterEach(async () => db?.close());

const tables = () => withTables([hashTable(), compositeTable()]);
const run = (Statement: string, extra: object = {}) => db.send('ExecuteStatement', { Statement, ...extra });
const put = (Item: object, TableName = 'hashes') => db.send('PutItem', { TableName, Item });
const get = async (Key: object, TableName = 'hashes') => ((await db.send('GetItem', { TableName, Key })) as { Item?: object }).Item;

describe('ExecuteStatement', () => {
  describe('validations', () => {
    it('checks the request shape', async () => {
      db = await tables();
      await expectError(
        db.send('ExecuteStatement', {}),
        'ValidationException',
        "1 validation error detected: Value null at 'statement' failed to satisfy constraint: Member must not be null",
      );
      await expectError(
        run(`SELECT * FROM hashes`, { Limit: 0 }),
        'ValidationException',
        "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
      );
      await expectError(
        run(`SELECT * FROM hashes WHERE pk = ?`, { Parameters: [] }),
        'ValidationException',
        "1 validation error detected: Value '[]' at 'parameters' failed to satisfy constraint: Member must have length greater than or equal to 1",
      );
    });

    it('refuses malformed statements and parameters that do not fit', async () => {
      db = await tables();
      await expectError(run('SELECTT * FROMM "hashes"'), 'ValidationException', "Statement wasn't well formed, can't be processed: Expected data manipulation");
      await expectError(run(`SELECT * FROM hashes WHERE pk = ?`), 'ValidationException', "Number of parameters in request and statement don't match.");
      await expectError(
        run(`SELECT * FROM hashes WHERE pk = ?`, { Parameters: [{}] }),
        'ValidationException',
        'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes',
      );
      await expectError(run(`DELETE FROM "hashes"."i" WHERE pk = 'a'`), 'ValidationException', 'This operation is not supported on an index');
      await expectError(run(`INSERT INTO hashes VALUE {'pk': 'a'}`, { NextToken: 'x' }), 'ValidationException', 'NextToken is only valid on a SELECT statement');
    });

    it('refuses a missing table and a missing key', async () => {
      db = await tables();
      await expectError(run(`SELECT * FROM "nosuch" WHERE pk = 'x'`), 'ResourceNotFoundException', 'Requested resource not found');
      await expectError(run(`INSERT INTO hashes VALUE {'other': 1}`), 'ValidationException', 'One or more parameter values were invalid: Missing the key pk in the item');
      await expectError(
        run(`UPDATE composite SET a = 1 WHERE pk = 'a'`),
        'ValidationException',
        'Where clause does not contain a mandatory equality on all key attributes',
      );
      await expectError(
        run(`UPDATE hashes SET pk = 'b' WHERE pk = 'a'`),
        'ValidationException',
        'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key',
      );
    });

    it('reports expression errors without the expression name', async () => {
      db = await tables();
      await expectError(
        run(`SELECT * FROM hashes WHERE n BETWEEN 3 AND 1`),
        'ValidationException',
        'The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:3}, upper bound operand: AttributeValue: {N:1}',
      );
      await expectError(
        run(`SELECT * FROM hashes WHERE n < {'a': 1}`),
        'ValidationException',
        'Incorrect operand type for operator or function; operator or function: <, operand type: M',
      );
    });
  });

  describe('functionality', () => {
    it('inserts every kind of literal and selects it back', async () => {
      db = await tables();
      expect(await run(`INSERT INTO hashes VALUE {'pk': 'a', 'n': -1.5, 'm': {'l': [1, 'two', <<'s'>>]}, 'b': true, 'z': null, 'p': ?}`, { Parameters: [{ B: 'AQI=' }] })).toEqual({
        Items: [],
      });
      const item = { pk: { S: 'a' }, n: { N: '-1.5' }, m: { M: { l: { L: [{ N: '1' }, { S: 'two' }, { SS: ['s'] }] } } }, b: { BOOL: true }, z: { NULL: true }, p: { B: 'AQI=' } };
      expect(await get({ pk: { S: 'a' } })).toEqual(item);
      expect(await run(`SELECT * FROM "hashes" WHERE pk = 'a'`)).toEqual({ Items: [item] });
    });

    it('refuses to INSERT a key that exists, and inserts again after a DELETE', async () => {
      db = await tables();
      await run(`INSERT INTO hashes VALUE {'pk': 'a', 'v': 1}`);
      await expectError(run(`INSERT INTO hashes VALUE {'pk': 'a', 'v': 2}`), 'DuplicateItemException', 'Duplicate primary key exists in table');
      expect(await get({ pk: { S: 'a' } })).toEqual({ pk: { S: 'a' }, v: { N: '1' } });
      expect(await run(`DELETE FROM hashes WHERE pk = 'a'`)).toEqual({ Items: [] });
      await run(`INSERT INTO hashes VALUE {'pk': 'a', 'v': 3}`);
      expect(await get({ pk: { S: 'a' } })).toEqual({ pk: { S: 'a' }, v: { N: '3' } });
    });

    it('projects paths under their last name', async () => {
      db = await tables();
      await put({ pk: { S: 'a' }, m: { M: { nested: { S: 'deep' }, l: { L: [{ N: '1' }, { N: '2' }] } } }, extra: { S: 'x' } });
      expect(await run(`SELECT m.nested, m.l[1], pk, absent FROM hashes WHERE pk = 'a'`)).toEqual({
        Items: [{ nested: { S: 'deep' }, l: { N: '2' }, pk: { S: 'a' } }],
      });
    });

    it('selects with conditions, begins_with, IN and IS MISSING', async () => {
      db = await tables();
      for (const [sk, v] of [[1, 'x'], [2, 'y'], [3, undefined], [4, 'x']] as const) {
        await put({ pk: { S: 'p' }, sk: { N: String(sk) }, ...(v ? { v: { S: v } } : {}) }, 'composite');
      }
      const sks = async (statement: string) => ((await run(statement)) as { Items: Record<string, { N: string }>[] }).Items.map((i) => i.sk!.N);
      expect(await sks(`SELECT sk FROM composite WHERE pk = 'p' AND sk >= 2`)).toEqual(['2', '3', '4']);
      expect(await sks(`SELECT sk FROM composite WHERE pk = 'p' AND v = 'x'`)).toEqual(['1', '4']);
      expect(await sks(`SELECT sk FROM composite WHERE pk = 'p' AND v IS MISSING`)).toEqual(['3']);
      expect(await sks(`SELECT sk FROM composite WHERE pk = 'p' AND v IN ('y', 'z')`)).toEqual(['2']);
      expect(await sks(`SELECT sk FROM composite WHERE pk = 'p' AND NOT begins_with(v, 'x')`)).toEqual(['2', '3']);
      expect(await sks(`SELECT sk FROM composite WHERE sk BETWEEN 2 AND 3`)).toEqual(['2', '3']);
      expect(await sks(`SELECT sk FROM composite WHERE pk = 'q'`)).toEqual([]);
    });

    it('pages with Limit and NextToken, and refuses a token of another statement', async () => {
      db = await tables();
      for (let sk = 0; sk < 5; sk++) await put({ pk: { S: 'p' }, sk: { N: String(sk) } }, 'composite');
      const statement = `SELECT sk FROM composite WHERE pk = 'p' AND sk > 1`;
      const first = (await run(statement, { Limit: 2 })) as { Items: object[]; NextToken: string };
      expect(first.Items).toEqual([{ sk: { N: '2' } }, { sk: { N: '3' } }]);
      expect(typeof first.NextToken).toBe('string');
      expect(await run(statement, { Limit: 2, NextToken: first.NextToken })).toEqual({ Items: [{ sk: { N: '4' } }] });
      await expectError(run(`SELECT sk FROM composite WHERE pk = 'p'`, { NextToken: first.NextToken }), 'ValidationException', 'NextToken does not match request');
      await expectError(run(statement, { NextToken: 'not a token' }), 'ValidationException', 'Invalid NextToken');
    });

    it('updates an existing item and refuses a missing one', async () => {
      db = await tables();
      await put({ pk: { S: 'a' }, n: { N: '1' }, gone: { S: 'x' }, l: { L: [] } });
      await run(`UPDATE hashes SET n = n + 2 SET l = list_append(l, [?]) REMOVE gone WHERE pk = 'a'`, { Parameters: [{ S: 'e' }] });
      expect(await get({ pk: { S: 'a' } })).toEqual({ pk: { S: 'a' }, n: { N: '3' }, l: { L: [{ S: 'e' }] } });
      await expectError(run(`UPDATE hashes SET n = 1 WHERE pk = 'missing'`), 'ConditionalCheckFailedException', 'The conditional request failed');
      await expectError(run(`UPDATE hashes SET n = 1 WHERE pk = 'a' AND n = 0`), 'ConditionalCheckFailedException', 'The conditional request failed');
      expect(await get({ pk: { S: 'missing' } })).toBeUndefined();
    });

    it('deletes only when the rest of the WHERE holds, and a missing item quietly', async () => {
      db = await tables();
      await put({ pk: { S: 'a' }, n: { N: '1' } });
      await expectError(run(`DELETE FROM hashes WHERE pk = 'a' AND n = 2`), 'ConditionalCheckFailedException', 'The conditional request failed');
      expect(await run(`DELETE FROM hashes WHERE pk = 'nope' AND n = 2`)).toEqual({ Items: [] });
      await run(`DELETE FROM hashes WHERE pk = 'a' AND n = 1`);
      expect(await get({ pk: { S: 'a' } })).toBeUndefined();
    });

    it('reports consumed capacity of the action it runs', async () => {
      db = await tables();
      expect(await run(`INSERT INTO hashes VALUE {'pk': 'a'}`, { ReturnConsumedCapacity: 'TOTAL' })).toEqual({
        Items: [],
        ConsumedCapacity: { TableName: 'hashes', CapacityUnits: 1 },
      });
      expect(await run(`SELECT * FROM hashes WHERE pk = 'a'`, { ReturnConsumedCapacity: 'TOTAL', ConsistentRead: true })).toEqual({
        Items: [{ pk: { S: 'a' } }],
        ConsumedCapacity: { TableName: 'hashes', CapacityUnits: 1 },
      });
    });
  });
});

describe('BatchExecuteStatement', () => {
  it('validates the list of statements', async () => {
    db = await tables();
    await expectError(
      db.send('BatchExecuteStatement', { Statements: [] }),
      'ValidationException',
      "1 validation error detected: Value '[]' at 'statements' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    await expectError(
      db.send('BatchExecuteStatement', { Statements: [{ Statement: `SELECT * FROM hashes WHERE pk = 'a'` }, { Statement: `INSERT INTO hashes VALUE {'pk': 'b'}` }] }),
      'ValidationException',
      'Read and write requests together in the same batch is not supported.',
    );
    await expectError(
      db.send('BatchExecuteStatement', { Statements: [{ Statement: `INSERT INTO composite VALUE {'pk': 'a', 'sk': 1}` }, { Statement: `DELETE FROM composite WHERE pk = 'a' AND sk = 1.0` }] }),
      'ValidationException',
      'Provided list of item keys contains duplicates',
    );
  });

  it('answers each read, with errors beside results', async () => {
    db = await tables();
    await put({ pk: { S: 'a' }, v: { S: 'one' } });
    expect(
      await db.send('BatchExecuteStatement', {
        Statements: [
          { Statement: `SELECT v FROM hashes WHERE pk = 'a'` },
          { Statement: `SELECT * FROM hashes WHERE pk = 'b'` },
          { Statement: `SELECT * FROM hashes WHERE v = 'one'` },
          { Statement: 'SELEC' },
          { Statement: `SELECT * FROM "nosuch" WHERE pk = 'x'` },
        ],
      }),
    ).toEqual({
      Responses: [
        { TableName: 'hashes', Item: { v: { S: 'one' } } },
        { TableName: 'hashes' },
        { Error: { Code: 'ValidationError', Message: 'Select statements within BatchExecuteStatement must specify the primary key in the where clause.' } },
        { Error: { Code: 'ValidationError', Message: "Statement wasn't well formed, can't be processed: Expected data manipulation" } },
        { Error: { Code: 'ResourceNotFound', Message: 'Requested resource not found' } },
      ],
    });
  });

  it('runs each write on its own and sums the capacity per table', async () => {
    db = await tables();
    await put({ pk: { S: 'dup' } });
    expect(
      await db.send('BatchExecuteStatement', {
        Statements: [
          { Statement: `INSERT INTO hashes VALUE {'pk': 'dup'}` },
          { Statement: `INSERT INTO hashes VALUE {'pk': 'new'}` },
          { Statement: `UPDATE hashes SET v = 1 WHERE pk = 'absent'` },
          { Statement: `DELETE FROM composite WHERE pk = 'x'` },
        ],
        ReturnConsumedCapacity: 'TOTAL',
      }),
    ).toEqual({
      Responses: [
        { TableName: 'hashes', Error: { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' } },
        { TableName: 'hashes' },
        { TableName: 'hashes', Error: { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' } },
        { Error: { Code: 'ValidationError', Message: 'Where clause does not contain a mandatory equality on all key attributes' } },
      ],
      ConsumedCapacity: [{ TableName: 'hashes', CapacityUnits: 1 }],
    });
    expect(await get({ pk: { S: 'new' } })).toEqual({ pk: { S: 'new' } });
  });
});

describe('ExecuteTransaction', () => {
  const transact = (statements: (string | [string, object[]])[], extra: object = {}) =>
    db.send('ExecuteTransaction', {
      TransactStatements: statements.map((s) => (typeof s === 'string' ? { Statement: s } : { Statement: s[0], Parameters: s[1] })),
      ...extra,
    });

  it('validates the statements before running any', async () => {
    db = await tables();
    await expectError(
      db.send('ExecuteTransaction', { TransactStatements: [] }),
      'ValidationException',
      "1 validation error detected: Value '[]' at 'transactStatements' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    await expectError(transact([`INSERT INTO hashes VALUE {'pk': 'a'}`, 'SELEC']), 'ValidationException', "Statement wasn't well formed, can't be processed: Expected data manipulation");
    await expectError(
      transact([`SELECT * FROM hashes WHERE pk = 'a'`, `DELETE FROM hashes WHERE pk = 'b'`]),
      'ValidationException',
      'ExecuteTransaction API does not support both read and write operations in the same request.',
    );
    await expectError(
      transact([`SELECT * FROM "hashes"."i" WHERE pk = 'a'`]),
      'ValidationException',
      'Validation failed in TransactStatements[0]: Reads on indices are not supported within transactions.',
    );
    await expectError(
      transact([`INSERT INTO hashes VALUE {'pk': 'a'}`, `DELETE FROM hashes WHERE pk = 'a'`]),
      'ValidationException',
      'Transaction request cannot include multiple operations on one item',
    );
    expect(await get({ pk: { S: 'a' } })).toBeUndefined();
  });

  it('writes all or nothing, naming a duplicate INSERT in the reasons', async () => {
    db = await tables();
    await put({ pk: { S: 'old' }, v: { S: 'before' } });
    expect(await transact([`INSERT INTO hashes VALUE {'pk': 'new'}`, [`UPDATE hashes SET v = ? WHERE pk = 'old'`, [{ S: 'after' }]]])).toEqual({ Responses: [{}, {}] });
    expect(await get({ pk: { S: 'old' } })).toEqual({ pk: { S: 'old' }, v: { S: 'after' } });

    const error = await transact([`INSERT INTO hashes VALUE {'pk': 'other'}`, `INSERT INTO hashes VALUE {'pk': 'old'}`, `UPDATE hashes SET v = 1 WHERE pk = 'absent'`]).catch((e: unknown) => e);
    expect({ ...(error as object), message: (error as Error).message }).toEqual({
      name: 'TransactionCanceledException',
      message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, DuplicateItem, ConditionalCheckFailed]',
      CancellationReasons: [
        { Code: 'None' },
        { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' },
        { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
      ],
    });
    expect(await get({ pk: { S: 'other' } })).toBeUndefined();
  });

  it('cancels on a statement that cannot run', async () => {
    db = await tables();
    const error = await transact([`INSERT INTO composite VALUE {'pk': 'a', 'sk': 1}`, `DELETE FROM composite WHERE pk = 'a'`]).catch((e: unknown) => e);
    expect({ ...(error as object), message: (error as Error).message }).toEqual({
      name: 'TransactionCanceledException',
      message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ValidationError]',
      CancellationReasons: [{ Code: 'None' }, { Code: 'ValidationError', Message: 'Where clause does not contain a mandatory equality on all key attributes' }],
    });
  });

  it('reads whole keys together, filtered by the rest of each WHERE', async () => {
    db = await tables();
    await put({ pk: { S: 'a' }, v: { N: '1' } });
    await put({ pk: { S: 'b' }, v: { N: '2' } });
    expect(
      await transact([`SELECT v FROM hashes WHERE pk = 'a'`, `SELECT * FROM hashes WHERE pk = 'b' AND v > 5`, `SELECT * FROM hashes WHERE pk = 'c'`], { ReturnConsumedCapacity: 'TOTAL' }),
    ).toEqual({
      Responses: [{ Item: { v: { N: '1' } } }, {}, {}],
      ConsumedCapacity: [{ TableName: 'hashes', CapacityUnits: 6, ReadCapacityUnits: 6 }],
    });
    await expectError(
      transact([`SELECT * FROM hashes WHERE v = 1`]),
      'ValidationException',
      'Validation failed in TransactStatements[0]: Select statements within ExecuteTransaction must specify the primary key in the where clause.',
    );
  });
});
