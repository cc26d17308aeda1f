import { afterEach, describe, expect, it } from 'vitest';
import type { Tidepool } from '../../src/index.js';
import { compositeTable, expectError, hashTable, withTables } from '../helpers.js';

let db: Tidepool;
afterEach(async () => db?.close());

const tables = () => withTables([hashTable(), compositeTable(), compositeTable('binary', 'B')]);

describe('PutItem', () => {
  describe('validations', () => {
    it('checks TableName as the data plane does', async () => {
      db = await tables();
      await expectError(
        db.send('PutItem', { Item: { pk: { S: 'a' } } }),
        'ValidationException',
        "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null",
      );
      await expectError(
        db.send('PutItem', { TableName: '', Item: { pk: { S: 'a' } } }),
        'ValidationException',
        "1 validation error detected: Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 1",
      );
      await expectError(
        db.send('PutItem', { TableName: 'bad table!@#', Item: { pk: { S: 'a' } } }),
        'ValidationException',
        "1 validation error detected: Value 'bad table!@#' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
      );
      await expectError(
        db.send('PutItem', { TableName: 'ab' }),
        'ValidationException',
        "1 validation error detected: Value null at 'item' failed to satisfy constraint: Member must not be null",
      );
      await expectError(db.send('PutItem', { TableName: 'nosuchtable', Item: { pk: { S: 'a' } } }), 'ResourceNotFoundException', 'Requested resource not found');
    });

    it('checks the key attributes of the item', async () => {
      db = await tables();
      await expectError(
        db.send('PutItem', { TableName: 'hashes', Item: { other: { S: 'a' } } }),
        'ValidationException',
        'One or more parameter values were invalid: Missing the key pk in the item',
      );
      await expectError(
        db.send('PutItem', { TableName: 'composite', Item: { pk: { S: 'a' } } }),
        'ValidationException',
        'One or more parameter values were invalid: Missing the key sk in the item',
      );
      await expectError(
        db.send('PutItem', { TableName: 'hashes', Item: { pk: { N: '1' } } }),
        'ValidationException',
        'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N',
      );
      await expectError(
        db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: '' } } }),
        'ValidationException',
        'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk',
      );
      await expectError(
        db.send('PutItem', { TableName: 'binary', Item: { pk: { S: 'a' }, sk: { B: '' } } }),
        'ValidationException',
        'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: sk',
      );
      await expectError(
        db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'x'.repeat(2049) } } }),
        'ValidationException',
        'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes',
      );
      await expectError(
        db.send('PutItem', { TableName: 'binary', Item: { pk: { S: 'a' }, sk: { B: Buffer.alloc(1025).toString('base64') } } }),
        'ValidationException',
        'One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes',
      );
      // Multi-byte characters count by their UTF-8 length: 683 x 3 bytes = 2049.
      await expectError(
        db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: '€'.repeat(683) } } }),
        'ValidationException',
        'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes',
      );
      await db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'x'.repeat(2048) } } });
    });

    it('checks attribute values', async () => {
      db = await tables();
      const put = (value: unknown) => db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'a' }, bad: value } });
      await expectError(put({}), 'ValidationException', 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
      await expectError(put({ S: 'a', N: '1' }), 'ValidationException', 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
      await expectError(put({ SS: [] }), 'ValidationException', 'One or more parameter values were invalid: An string set  may not be empty');
      await expectError(put({ NS: [] }), 'ValidationException', 'One or more parameter values were invalid: An number set  may not be empty');
      await expectError(put({ SS: ['a', 'a'] }), 'ValidationException', 'One or more parameter values were invalid: Input collection [a, a] contains duplicates.');
      await expectError(put({ NULL: false }), 'ValidationException', 'One or more parameter values were invalid: Null attribute value types must have the value of true');
      await expectError(put({ N: 'abc' }), 'ValidationException', 'The parameter cannot be converted to a numeric value: abc');
      await expectError(put({ N: '1e126' }), 'ValidationException', 'Number overflow. Attempting to store a number with magnitude larger than supported range');
      await expectError(put({ N: '1e-131' }), 'ValidationException', 'Number underflow. Attempting to store a number with magnitude smaller than supported range');
      await expectError(put({ N: '1'.repeat(39) }), 'ValidationException', 'Attempting to store more than 38 significant digits in a Number');
      await expectError(put({ S: 5 }), 'SerializationException', 'NUMBER_VALUE cannot be converted to String');
      await expectError(put('x'), 'SerializationException', 'Unexpected value type in payload');
    });

    it('rejects items over 400 KB and writes nothing', async () => {
      db = await tables();
      await expectError(
        db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'a' }, big: { S: 'x'.repeat(400 * 1024) } } }),
        'ValidationException',
        'Item size has exceeded the maximum allowed size',
      );
      expect(await db.send('Scan', { TableName: 'hashes' })).toEqual({ Items: [], Count: 0, ScannedCount: 0 });
    });

    it('accepts only ALL_OLD and NONE as ReturnValues', async () => {
      db = await tables();
      await expectError(
        db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'a' } }, ReturnValues: 'ALL_NEW' }),
        'ValidationException',
        'ReturnValues can only be ALL_OLD or NONE',
      );
      await expectError(
        db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'a' } }, ReturnValues: 'INVALID' }),
        'ValidationException',
        "1 validation error detected: Value 'INVALID' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]",
      );
    });

    it('refuses an index the table does not have', async () => {
      db = await tables();
      await expectError(
        db.send('Query', { TableName: 'composite', IndexName: 'byOther', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'a' } } }),
        'ValidationException',
        'The table does not have the specified index: byOther',
      );
    });
  });

  describe('functionality', () => {
    it('stores, replaces and returns the old item', async () => {
      db = await tables();
      expect(await db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'a' }, v: { N: '1' } } })).toEqual({});
      expect(await db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'a' }, v: { N: '2' } }, ReturnValues: 'ALL_OLD' })).toEqual({
        Attributes: { pk: { S: 'a' }, v: { N: '1' } },
      });
      expect(await db.send('GetItem', { TableName: 'hashes', Key: { pk: { S: 'a' } } })).toEqual({ Item: { pk: { S: 'a' }, v: { N: '2' } } });
    });

    it('keeps every data type and normalises numbers', async () => {
      db = await tables();
      const item = {
        pk: { S: 'types' },
        s: { S: '' },
        n: { N: '-0012.500' },
        b: { B: 'AQID' },
        bool: { BOOL: false },
        nul: { NULL: true },
        ss: { SS: ['x', 'y'] },
        ns: { NS: ['1.50', '2'] },
        bs: { BS: ['AQ==', 'Ag=='] },
        l: { L: [{ S: 'a' }, { N: '1e2' }, { L: [] }] },
        m: { M: { nested: { M: { deep: { S: 'yes' } } } } },
      };
      await db.send('PutItem', { TableName: 'hashes', Item: item });
      const { Item } = await db.send('GetItem', { TableName: 'hashes', Key: { pk: { S: 'types' } } });
      expect(Item).toEqual({
        ...item,
        n: { N: '-12.5' },
        ns: { NS: ['1.5', '2'] },
        l: { L: [{ S: 'a' }, { N: '100' }, { L: [] }] },
      });
    });

    it('treats numerically equal keys as the same key', async () => {
      db = await tables();
      await db.send('PutItem', { TableName: 'composite', Item: { pk: { S: 'a' }, sk: { N: '10' }, v: { S: 'first' } } });
      await db.send('PutItem', { TableName: 'composite', Item: { pk: { S: 'a' }, sk: { N: '1e1' }, v: { S: 'second' } } });
      expect(await db.send('GetItem', { TableName: 'composite', Key: { pk: { S: 'a' }, sk: { N: '10.000' } } })).toEqual({
        Item: { pk: { S: 'a' }, sk: { N: '10' }, v: { S: 'second' } },
      });
      expect((await db.send('DescribeTable', { TableName: 'composite' })).Table.ItemCount).toBe(1);
    });

    it('copies the item: later changes by the caller do not reach the table', async () => {
      db = await tables();
      const item = { pk: { S: 'a' }, l: { L: [{ S: 'x' }] } };
      await db.send('PutItem', { TableName: 'hashes', Item: item });
      item.l.L[0].S = 'changed';
      const first = await db.send('GetItem', { TableName: 'hashes', Key: { pk: { S: 'a' } } });
      first.Item.l.L[0].S = 'changed again';
      expect((await db.send('GetItem', { TableName: 'hashes', Key: { pk: { S: 'a' } } })).Item.l).toEqual({ L: [{ S: 'x' }] });
    });

    it('reports consumed write capacity', async () => {
      db = await tables();
      expect(await db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'a' }, v: { S: 'x'.repeat(1500) } }, ReturnConsumedCapacity: 'TOTAL' })).toEqual({
        ConsumedCapacity: { TableName: 'hashes', CapacityUnits: 2 },
      });
      expect(await db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'a' } }, ReturnConsumedCapacity: 'INDEXES' })).toEqual({
        ConsumedCapacity: { TableName: 'hashes', CapacityUnits: 2, Table: { CapacityUnits: 2 } },
      });
    });

    it('emits change records on the write path', async () => {
      db = await tables();
      const seen: unknown[] = [];
      db.onChange((record) => seen.push([record.eventName, record.keys, record.oldImage, record.newImage, record.sequenceNumber]));
      await db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'a' }, v: { N: '1' } } });
      await db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'a' }, v: { N: '1.0' } } }); // no change: no record
      await db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'a' }, v: { N: '2' } } });
      await db.send('DeleteItem', { TableName: 'hashes', Key: { pk: { S: 'a' } } });
      await db.send('DeleteItem', { TableName: 'hashes', Key: { pk: { S: 'a' } } }); // nothing there: no record
      expect(seen).toEqual([
        ['INSERT', { pk: { S: 'a' } }, undefined, { pk: { S: 'a' }, v: { N: '1' } }, 1],
        ['MODIFY', { pk: { S: 'a' } }, { pk: { S: 'a' }, v: { N: '1' } }, { pk: { S: 'a' }, v: { N: '2' } }, 2],
        ['REMOVE', { pk: { S: 'a' } }, { pk: { S: 'a' }, v: { N: '2' } }, undefined, 3],
      ]);
    });
  });
});

describe('GetItem', () => {
  it('validates the key against the schema', async () => {
    db = await tables();
    const mismatch = 'The provided key element does not match the schema';
    await expectError(db.send('GetItem', { TableName: 'composite', Key: { pk: { S: 'a' } } }), 'ValidationException', mismatch);
    await expectError(db.send('GetItem', { TableName: 'hashes', Key: { pk: { S: 'a' }, extra: { S: 'b' } } }), 'ValidationException', mismatch);
    await expectError(db.send('GetItem', { TableName: 'hashes', Key: { pk: { N: '1' } } }), 'ValidationException', mismatch);
    await expectError(db.send('GetItem', { TableName: 'hashes', Key: { other: { S: 'a' } } }), 'ValidationException', mismatch);
    await expectError(
      db.send('GetItem', { TableName: 'hashes', Key: { pk: { S: '' } } }),
      'ValidationException',
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk',
    );
    await expectError(db.send('GetItem', { TableName: 'nosuch', Key: { pk: { S: 'a' } } }), 'ResourceNotFoundException', 'Requested resource not found');
    await expectError(
      db.send('GetItem', { TableName: 'hashes' }),
      'ValidationException',
      "1 validation error detected: Value null at 'key' failed to satisfy constraint: Member must not be null",
    );
    await expectError(db.send('GetItem', { TableName: 'hashes', Key: { pk: { S: 'a' } }, ConsistentRead: 'maybe' }), 'SerializationException', 'Unexpected token received from parser');
  });

  it('returns nothing for a missing item and charges a read for it', async () => {
    db = await tables();
    expect(await db.send('GetItem', { TableName: 'hashes', Key: { pk: { S: 'none' } } })).toEqual({});
    expect(await db.send('GetItem', { TableName: 'hashes', Key: { pk: { S: 'none' } }, ReturnConsumedCapacity: 'TOTAL' })).toEqual({
      ConsumedCapacity: { TableName: 'hashes', CapacityUnits: 0.5 },
    });
    await db.send('PutItem', { TableName: 'hashes', Item: { pk: { S: 'big' }, v: { S: 'x'.repeat(5000) } } });
    expect(
      (await db.send('GetItem', { TableName: 'hashes', Key: { pk: { S: 'big' } }, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' })).ConsumedCapacity,
    ).toEqual({ TableName: 'hashes', CapacityUnits: 2 });
  });

  it('finds binary keys given as base64 or bytes', async () => {
    db = await tables();
    await db.send('PutItem', { TableName: 'binary', Item: { pk: { S: 'a' }, sk: { B: 'AAEC' } } });
    expect(await db.send('GetItem', { TableName: 'binary', Key: { pk: { S: 'a' }, sk: { B: new Uint8Array([0, 1, 2]) } } })).toEqual({
      Item: { pk: { S: 'a' }, sk: { B: 'AAEC' } },
    });
  });
});

describe('DeleteItem', () => {
  it('deletes and returns the old item', async () => {
    db = await tables();
    await db.send('PutItem', { TableName: 'composite', Item: { pk: { S: 'a' }, sk: { N: '1' }, v: { BOOL: true } } });
    expect(await db.send('DeleteItem', { TableName: 'composite', Key: { pk: { S: 'a' }, sk: { N: '1' } }, ReturnValues: 'ALL_OLD' })).toEqual({
      Attributes: { pk: { S: 'a' }, sk: { N: '1' }, v: { BOOL: true } },
    });
    expect(await db.send('GetItem', { TableName: 'composite', Key: { pk: { S: 'a' }, sk: { N: '1' } } })).toEqual({});
    expect(await db.send('DeleteItem', { TableName: 'composite', Key: { pk: { S: 'a' }, sk: { N: '1' } }, ReturnValues: 'ALL_OLD' })).toEqual({});
    expect((await db.send('DescribeTable', { TableName: 'composite' })).Table.ItemCount).toBe(0);
  });

  it('validates', async () => {
    db = await tables();
    await expectError(db.send('DeleteItem', { TableName: 'composite', Key: { pk: { S: 'a' } } }), 'ValidationException', 'The provided key element does not match the schema');
    await expectError(db.send('DeleteItem', { TableName: 'nosuch', Key: { pk: { S: 'a' } } }), 'ResourceNotFoundException', 'Requested resource not found');
    await expectError(
      db.send('DeleteItem', { TableName: 'hashes', Key: { pk: { S: 'a' } }, ReturnValues: 'UPDATED_NEW' }),
      'ValidationException',
      'ReturnValues can only be ALL_OLD or NONE',
    );
    expect(await db.send('DeleteItem', { TableName: 'hashes', Key: { pk: { S: 'a' } }, ReturnConsumedCapacity: 'TOTAL' })).toEqual({
      ConsumedCapacity: { TableName: 'hashes', CapacityUnits: 1 },
    });
  });
});

describe('binary values', () => {
  it('come back as base64 text whether they went in as text or bytes', async () => {
    db = await tables();
    await db.send('PutItem', { TableName: 'binary', Item: { pk: { S: 'a' }, sk: { B: new Uint8Array([0, 1, 2]) }, bs: { BS: [new Uint8Array([255]), 'AQ=='] } } });
    expect(await db.send('GetItem', { TableName: 'binary', Key: { pk: { S: 'a' }, sk: { B: 'AAEC' } } })).toEqual({
      Item: { pk: { S: 'a' }, sk: { B: 'AAEC' }, bs: { BS: ['/w==', 'AQ=='] } },
    });
  });
});
