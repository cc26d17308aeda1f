import { afterEach, describe, expect, it } from 'vitest';
import type { Tidepool } from '../../src/index.js';
import { compositeTable, expectError, hashTable, withTables } from '../helpers.js';

let db: Tidepool;
afterEach(async () => db?.close());

const key = { pk: { S: 'a' } };
const update = (input: Record<string, unknown>) => db.send('UpdateItem', { TableName: 'hashes', Key: key, ...input });
const get = async () => (await db.send('GetItem', { TableName: 'hashes', Key: key })).Item;

describe('UpdateItem', () => {
  it('creates the item when absent and applies every clause', async () => {
    db = await withTables([hashTable()]);
    expect(
      await update({
        UpdateExpression: 'SET #n = :n, l = :l, m = :m, c = :one ADD s :s',
        ExpressionAttributeNames: { '#n': 'name' },
        ExpressionAttributeValues: { ':n': { S: 'Ada' }, ':l': { L: [{ N: '1' }, { N: '2' }, { N: '3' }] }, ':m': { M: { x: { N: '1' } } }, ':one': { N: '1' }, ':s': { SS: ['x', 'y'] } },
        ReturnValues: 'ALL_NEW',
      }),
    ).toEqual({
      Attributes: { pk: { S: 'a' }, name: { S: 'Ada' }, l: { L: [{ N: '1' }, { N: '2' }, { N: '3' }] }, m: { M: { x: { N: '1' } } }, c: { N: '1' }, s: { SS: ['x', 'y'] } },
    });
    expect(
      await update({
        UpdateExpression: 'SET c = c + :two, m.y = :two REMOVE #n DELETE s :x',
        ExpressionAttributeNames: { '#n': 'name' },
        ExpressionAttributeValues: { ':two': { N: '2' }, ':x': { SS: ['x'] } },
        ReturnValues: 'UPDATED_NEW',
      }),
    ).toEqual({ Attributes: { c: { N: '3' }, m: { M: { y: { N: '2' } } }, s: { SS: ['y'] } } });
    // A list index past the end appends; removed elements shift the rest down.
    await update({ UpdateExpression: 'SET l[5] = :two REMOVE l[0] ADD c :two', ExpressionAttributeValues: { ':two': { N: '2' } } });
    expect(await get()).toEqual({ pk: { S: 'a' }, l: { L: [{ N: '2' }, { N: '3' }, { N: '2' }] }, m: { M: { x: { N: '1' }, y: { N: '2' } } }, c: { N: '5' }, s: { SS: ['y'] } });
  });

  it('returns old values as asked', async () => {
    db = await withTables([hashTable()]);
    await db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'a' }, x: { N: '1' }, y: { S: 'keep' } } });
    expect(await update({ UpdateExpression: 'SET x = :v', ExpressionAttributeValues: { ':v': { N: '2' } }, ReturnValues: 'UPDATED_OLD' })).toEqual({ Attributes: { x: { N: '1' } } });
    expect(await update({ UpdateExpression: 'SET x = :v', ExpressionAttributeValues: { ':v': { N: '3' } }, ReturnValues: 'ALL_OLD' })).toEqual({
      Attributes: { pk: { S: 'a' }, x: { N: '2' }, y: { S: 'keep' } },
    });
    expect(await update({ UpdateExpression: 'SET z = :v', ExpressionAttributeValues: { ':v': { N: '3' } }, ReturnValues: 'UPDATED_OLD' })).toEqual({});
    expect(await update({ UpdateExpression: 'SET z = :v', ExpressionAttributeValues: { ':v': { N: '4' } } })).toEqual({});
  });

  it('checks conditions and leaves the item alone when they fail', async () => {
    db = await withTables([hashTable()]);
    await db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'a' }, v: { N: '1' } } });
    await expectError(
      update({ UpdateExpression: 'SET v = :two', ConditionExpression: 'v = :two', ExpressionAttributeValues: { ':two': { N: '2' } } }),
      'ConditionalCheckFailedException',
      'The conditional request failed',
    );
    const failed = await update({
      UpdateExpression: 'SET v = :two',
      ConditionExpression: 'attribute_not_exists(pk)',
      ExpressionAttributeValues: { ':two': { N: '2' } },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    }).catch((e: unknown) => e as Error & { Item?: unknown });
    expect([failed.name, failed.Item]).toEqual(['ConditionalCheckFailedException', { pk: { S: 'a' }, v: { N: '1' } }]);
    expect(await get()).toEqual({ pk: { S: 'a' }, v: { N: '1' } });
    await update({ UpdateExpression: 'SET v = v + :two', ConditionExpression: 'v < :two', ExpressionAttributeValues: { ':two': { N: '2' } } });
    expect(await get()).toEqual({ pk: { S: 'a' }, v: { N: '3' } });
  });

  it('runs the legacy AttributeUpdates and Expected', async () => {
    db = await withTables([hashTable()]);
    await update({ AttributeUpdates: { n: { Action: 'ADD', Value: { N: '5' } }, s: { Value: { S: 'x' } }, l: { Action: 'ADD', Value: { L: [{ S: 'a' }] } } } });
    await update({
      AttributeUpdates: { n: { Action: 'ADD', Value: { N: '-2' } }, s: { Action: 'DELETE' }, l: { Action: 'ADD', Value: { L: [{ S: 'b' }] } } },
      Expected: { n: { Value: { N: '5' } } },
    });
    expect(await get()).toEqual({ pk: { S: 'a' }, n: { N: '3' }, l: { L: [{ S: 'a' }, { S: 'b' }] } });
    await expectError(update({ AttributeUpdates: { n: { Action: 'ADD', Value: { N: '1' } } }, Expected: { n: { Exists: false } } }), 'ConditionalCheckFailedException', 'The conditional request failed');
  });

  it('validates', async () => {
    db = await withTables([hashTable(), compositeTable()]);
    await expectError(
      update({ UpdateExpression: 'SET pk = :v', ExpressionAttributeValues: { ':v': { S: 'b' } } }),
      'ValidationException',
      'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key',
    );
    await expectError(
      update({ AttributeUpdates: { pk: { Value: { S: 'b' } } } }),
      'ValidationException',
      'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key',
    );
    await expectError(
      update({ UpdateExpression: 'SET x = :v', ExpressionAttributeValues: { ':v': { S: 'b' }, ':unused': { S: 'c' } } }),
      'ValidationException',
      'Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}',
    );
    await expectError(
      update({ UpdateExpression: 'SET x = :v', AttributeUpdates: { y: { Value: { S: 'b' } } }, ExpressionAttributeValues: { ':v': { S: 'b' } } }),
      'ValidationException',
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}',
    );
    await expectError(update({ AttributeUpdates: { y: { Action: 'PUT' } } }), 'ValidationException', 'One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified');
    await expectError(
      db.send('UpdateItem', { TableName: 'composite', Key: { pk: { S: 'a' } }, UpdateExpression: 'SET x = :v', ExpressionAttributeValues: { ':v': { S: 'b' } } }),
      'ValidationException',
      'The provided key element does not match the schema',
    );
    await expectError(
      update({ UpdateExpression: 'SET big = :v', ExpressionAttributeValues: { ':v': { S: 'x'.repeat(400 * 1024) } } }),
      'ValidationException',
      'Item size to update has exceeded the maximum allowed size',
    );
    expect(await get()).toBeUndefined();
  });
});

describe('conditional PutItem and DeleteItem', () => {
  it('put only if absent, delete only if matching', async () => {
    db = await withTables([hashTable()]);
    const putNew = (v: string) =>
      db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'a' }, v: { S: v } }, ConditionExpression: 'attribute_not_exists(pk)' });
    await putNew('first');
    await expectError(putNew('second'), 'ConditionalCheckFailedException', 'The conditional request failed');
    expect(await get()).toEqual({ pk: { S: 'a' }, v: { S: 'first' } });
    await expectError(
      db.send('DeleteItem', { TableName: 'hashes', Key: key, ConditionExpression: '#v = :v', ExpressionAttributeNames: { '#v': 'v' }, ExpressionAttributeValues: { ':v': { S: 'other' } } }),
      'ConditionalCheckFailedException',
      'The conditional request failed',
    );
    await db.send('DeleteItem', { TableName: 'hashes', Key: key, Expected: { v: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'first' }] } } });
    expect(await get()).toBeUndefined();
  });
});

describe('projections and filters on GetItem and Scan', () => {
  it('project nested paths and legacy AttributesToGet', async () => {
    db = await withTables([hashTable()]);
    await db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'a' }, m: { M: { x: { N: '1' }, y: { N: '2' } } }, l: { L: [{ S: 'a' }, { S: 'b' }] }, z: { S: 'z' } } });
    expect(await db.send('GetItem', { TableName: 'hashes', Key: key, ProjectionExpression: 'm.y, l[1]' })).toEqual({ Item: { m: { M: { y: { N: '2' } } }, l: { L: [{ S: 'b' }] } } });
    expect(await db.send('GetItem', { TableName: 'hashes', Key: key, AttributesToGet: ['z', 'pk'] })).toEqual({ Item: { pk: { S: 'a' }, z: { S: 'z' } } });
    await expectError(
      db.send('GetItem', { TableName: 'hashes', Key: key, ProjectionExpression: '!!' }),
      'ValidationException',
      'Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"',
    );
  });

  it('filter scans with expressions and ScanFilter', async () => {
    db = await withTables([hashTable()]);
    for (let i = 0; i < 10; i++) await db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: `k${i}` }, n: { N: String(i) } } });
    const expression = await db.send('Scan', { TableName: 'hashes', FilterExpression: 'n BETWEEN :a AND :b', ExpressionAttributeValues: { ':a': { N: '3' }, ':b': { N: '5' } } });
    expect([expression.Count, expression.ScannedCount, expression.Items.map((i: any) => i.n.N).sort()]).toEqual([3, 10, ['3', '4', '5']]);
    const legacy = await db.send('Scan', { TableName: 'hashes', ScanFilter: { n: { ComparisonOperator: 'IN', AttributeValueList: [{ N: '1' }, { N: '8' }] } }, Select: 'COUNT' });
    expect(legacy).toEqual({ Count: 2, ScannedCount: 10 });
    await expectError(
      db.send('Scan', { TableName: 'hashes', ScanFilter: { n: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '5' }, { N: '1' }] } } }),
      'ValidationException',
      'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound',
    );
    await expectError(
      db.send('Scan', { TableName: 'hashes', ScanFilter: { n: { ComparisonOperator: 'EQ', AttributeValueList: [] } } }),
      'ValidationException',
      'One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator',
    );
  });

  it('filter on nested paths, sets and lists without unpacking the items', async () => {
    db = await withTables([hashTable()]);
    for (let i = 0; i < 6; i++) {
      await db.send('PutItem', {
        TableName: 'hashes',
        Item: { pk: { S: `k${i}` }, m: { M: { x: { N: String(i) } } }, tags: { SS: i % 2 ? ['odd'] : ['even', 'x'] }, l: { L: [{ N: String(i * 10) }] }, b: { B: i < 3 ? 'AAE=' : 'AQE=' } },
      });
    }
    const scan = async (FilterExpression: string, ExpressionAttributeValues: Record<string, unknown>) =>
      ((await db.send('Scan', { TableName: 'hashes', FilterExpression, ExpressionAttributeValues })).Items as any[]).map((item) => item.pk.S).sort();
    expect(await scan('m.x >= :n', { ':n': { N: '4' } })).toEqual(['k4', 'k5']);
    expect(await scan('contains(tags, :t)', { ':t': { S: 'odd' } })).toEqual(['k1', 'k3', 'k5']);
    expect(await scan('l[0] = :v OR size(tags) = :two', { ':v': { N: '50' }, ':two': { N: '2' } })).toEqual(['k0', 'k2', 'k4', 'k5']);
    expect(await scan('begins_with(b, :p)', { ':p': { B: 'AA==' } })).toEqual(['k0', 'k1', 'k2']);
    // The scan left the stored sets and lists alone.
    expect((await db.send('GetItem', { TableName: 'hashes', Key: { pk: { S: 'k0' } } })).Item.tags).toEqual({ SS: ['even', 'x'] });
  });
});
