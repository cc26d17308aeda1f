import { afterEach, describe, expect, it } from 'vitest';
import type { Tidepool } from '../../src/index.js';
import { compositeTable, expectError, hashTable, withTables } from '../helpers.js';

let db: Tidepool;
afterEach(async () => db?.close());

async function put(table: string, items: Record<string, unknown>[]) {
  for (const Item of items) await db.send('PutItem', { TableName: table, Item });
}

const query = (input: Record<string, unknown>) => db.send('Query', { TableName: 'composite', ...input });
const sks = (result: Record<string, any>) => result.Items.map((item: any) => item.sk.N ?? item.sk.S ?? item.sk.B);

describe('Query', () => {
  describe('order', () => {
    it('sorts numbers by value, negatives and fractions included, both ways', async () => {
      db = await withTables([compositeTable()]);
      await put('composite', ['10', '-1.5', '1e3', '0', '-100', '0.25', '2', '-1', '-0.001'].map((sk) => ({ pk: { S: 'p' }, sk: { N: sk } })));
      await put('composite', [{ pk: { S: 'other' }, sk: { N: '5' } }]);
      const up = await query({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } });
      expect(sks(up)).toEqual(['-100', '-1.5', '-1', '-0.001', '0', '0.25', '2', '10', '1000']);
      expect([up.Count, up.ScannedCount, up.LastEvaluatedKey]).toEqual([9, 9, undefined]);
      const down = await query({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, ScanIndexForward: false });
      expect(sks(down)).toEqual(['1000', '10', '2', '0.25', '0', '-0.001', '-1', '-1.5', '-100']);
    });

    it('sorts strings by UTF-8 bytes, not UTF-16 code units', async () => {
      db = await withTables([compositeTable('composite', 'S')]);
      await put('composite', ['\uD83D\uDE00', '\uFF61', 'a', 'Z', 'a\u0000', 'b'].map((sk) => ({ pk: { S: 'p' }, sk: { S: sk } })));
      const result = await query({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } });
      expect(sks(result)).toEqual(['Z', 'a', 'a\u0000', 'b', '\uFF61', '\uD83D\uDE00']);
    });

    it('sorts binary keys by unsigned bytes', async () => {
      db = await withTables([compositeTable('composite', 'B')]);
      await put('composite', ['/w==', 'AA==', 'fw==', 'AAE=', 'gA=='].map((sk) => ({ pk: { S: 'p' }, sk: { B: sk } })));
      const result = await query({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } });
      expect(sks(result)).toEqual(['AA==', 'AAE=', 'fw==', 'gA==', '/w==']);
      const prefixed = await query({ KeyConditionExpression: 'pk = :p AND begins_with(sk, :b)', ExpressionAttributeValues: { ':p': { S: 'p' }, ':b': { B: 'AA==' } } });
      expect(sks(prefixed)).toEqual(['AA==', 'AAE=']);
    });
  });

  describe('key conditions', () => {
    const values = (extra: Record<string, unknown>) => ({ ':p': { S: 'p' }, ...extra });
    it('selects sort key ranges', async () => {
      db = await withTables([compositeTable()]);
      await put('composite', [1, 2, 3, 4, 5].map((n) => ({ pk: { S: 'p' }, sk: { N: String(n) } })));
      const cases: [string, Record<string, unknown>, string[]][] = [
        ['pk = :p AND sk = :a', { ':a': { N: '3' } }, ['3']],
        ['pk = :p AND sk < :a', { ':a': { N: '3' } }, ['1', '2']],
        ['pk = :p AND sk <= :a', { ':a': { N: '3' } }, ['1', '2', '3']],
        ['pk = :p AND sk > :a', { ':a': { N: '3' } }, ['4', '5']],
        ['pk = :p AND sk >= :a', { ':a': { N: '3' } }, ['3', '4', '5']],
        ['pk = :p AND sk BETWEEN :a AND :b', { ':a': { N: '2' }, ':b': { N: '4' } }, ['2', '3', '4']],
        [':a < sk AND pk = :p', { ':a': { N: '3' } }, ['4', '5']],
        ['(pk = :p) AND (sk >= :a)', { ':a': { N: '5' } }, ['5']],
        ['pk = :p AND sk = :a', { ':a': { N: '3.0' } }, ['3']],
      ];
      for (const [expression, extra, expected] of cases) {
        expect(sks(await query({ KeyConditionExpression: expression, ExpressionAttributeValues: values(extra) })), expression).toEqual(expected);
      }
    });

    it('selects string prefixes', async () => {
      db = await withTables([compositeTable('composite', 'S')]);
      await put('composite', ['a', 'ab', 'abc', 'abd', 'b', 'a\uFFFF'].map((sk) => ({ pk: { S: 'p' }, sk: { S: sk } })));
      const result = await query({ KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)', ExpressionAttributeValues: values({ ':s': { S: 'ab' } }) });
      expect(sks(result)).toEqual(['ab', 'abc', 'abd']);
    });

    it('accepts the legacy KeyConditions and QueryFilter', async () => {
      db = await withTables([compositeTable()]);
      await put('composite', [1, 2, 3, 4].map((n) => ({ pk: { S: 'p' }, sk: { N: String(n) }, even: { N: String(1 - (n % 2)) } })));
      const result = await query({
        KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'p' }] }, sk: { ComparisonOperator: 'GT', AttributeValueList: [{ N: '1' }] } },
        QueryFilter: { even: { ComparisonOperator: 'EQ', AttributeValueList: [{ N: '1' }] } },
      });
      expect([sks(result), result.Count, result.ScannedCount]).toEqual([['2', '4'], 2, 3]);
    });

    it('rejects what DynamoDB rejects', async () => {
      db = await withTables([compositeTable(), hashTable()]);
      await expectError(query({}), 'ValidationException', 'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
      await expectError(
        query({ KeyConditionExpression: 'sk = :a', ExpressionAttributeValues: { ':a': { N: '1' } } }),
        'ValidationException',
        'Query condition missed key schema element: pk',
      );
      await expectError(
        query({ KeyConditionExpression: 'nonkey = :a', ExpressionAttributeValues: { ':a': { N: '1' } } }),
        'ValidationException',
        'Query condition missed key schema element: pk',
      );
      await expectError(
        query({ KeyConditionExpression: 'other = :a', ExpressionAttributeValues: { ':a': { N: '1' } } }),
        'ValidationException',
        'Invalid KeyConditionExpression: Attribute name is a reserved keyword; reserved keyword: other',
      );
      await expectError(
        query({ KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ BOOL: true }] } } }),
        'ValidationException',
        'One or more parameter values were invalid: ComparisonOperator EQ is not valid for BOOL AttributeValue type',
      );
      await expectError(
        query({ KeyConditionExpression: 'pk = :a', ExpressionAttributeValues: { ':a': { S: '' } } }),
        'ValidationException',
        'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk',
      );
      await expectError(
        query({ KeyConditionExpression: 'pk > :a', ExpressionAttributeValues: { ':a': { S: 'x' } } }),
        'ValidationException',
        'Query key condition not supported',
      );
      await expectError(
        query({ KeyConditionExpression: 'pk = :a', ExpressionAttributeValues: { ':a': { N: '1' } } }),
        'ValidationException',
        'One or more parameter values were invalid: Condition parameter type does not match schema type',
      );
      await expectError(
        query({ KeyConditionExpression: 'pk = :a', ExpressionAttributeValues: { ':a': { S: 'x' } }, Limit: 0 }),
        'ValidationException',
        "1 validation error detected: Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
      );
      await expectError(
        query({ KeyConditionExpression: 'pk = :a', ExpressionAttributeValues: { ':a': { S: 'x' } }, FilterExpression: 'sk > :a' }),
        'ValidationException',
        'Filter Expression can only contain non-primary key attributes: Primary key attribute: sk',
      );
      await expectError(
        query({ KeyConditionExpression: 'pk = :a', ExpressionAttributeValues: { ':a': { S: 'x' } }, Select: 'SPECIFIC_ATTRIBUTES' }),
        'ValidationException',
        '1 validation error detected: Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES',
      );
      await expectError(
        query({ KeyConditionExpression: 'pk = :a', ExpressionAttributeValues: { ':a': { S: 'x' } }, KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'x' }] } } }),
        'ValidationException',
        'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {KeyConditions} Expression parameters: {KeyConditionExpression}',
      );
      await expectError(
        query({ KeyConditionExpression: 'pk = :a', ExpressionAttributeValues: { ':a': { S: 'x' } }, ExclusiveStartKey: { pk: { S: 'y' }, sk: { N: '1' } } }),
        'ValidationException',
        'The provided starting key is outside query boundaries based on provided conditions',
      );
      await expectError(
        db.send('Query', { TableName: 'nosuch', KeyConditionExpression: 'pk = :a', ExpressionAttributeValues: { ':a': { S: 'x' } } }),
        'ResourceNotFoundException',
        'Requested resource not found',
      );
    });
  });

  describe('pages, filters, projections', () => {
    it('pages forward and backward with LastEvaluatedKey', async () => {
      db = await withTables([compositeTable()]);
      await put('composite', [1, 2, 3, 4, 5].map((n) => ({ pk: { S: 'p' }, sk: { N: String(n) } })));
      for (const forward of [true, false]) {
        const seen: string[] = [];
        let start: unknown;
        let pages = 0;
        do {
          const page = await query({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, Limit: 2, ScanIndexForward: forward, ExclusiveStartKey: start });
          seen.push(...sks(page));
          start = page.LastEvaluatedKey;
          pages++;
        } while (start);
        expect([seen, pages]).toEqual([forward ? ['1', '2', '3', '4', '5'] : ['5', '4', '3', '2', '1'], 3]);
      }
    });

    it('filters after the limit and projects', async () => {
      db = await withTables([compositeTable()]);
      await put('composite', [1, 2, 3, 4, 5, 6].map((n) => ({ pk: { S: 'p' }, sk: { N: String(n) }, v: { N: String(n * 10) }, x: { S: 'drop' } })));
      const result = await query({
        KeyConditionExpression: 'pk = :p',
        FilterExpression: 'v >= :min',
        ProjectionExpression: 'sk, v',
        ExpressionAttributeValues: { ':p': { S: 'p' }, ':min': { N: '30' } },
        Limit: 4,
      });
      expect(result).toEqual({
        Items: [
          { sk: { N: '3' }, v: { N: '30' } },
          { sk: { N: '4' }, v: { N: '40' } },
        ],
        Count: 2,
        ScannedCount: 4,
        LastEvaluatedKey: { pk: { S: 'p' }, sk: { N: '4' } },
      });
      expect(await query({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, Select: 'COUNT' })).toEqual({ Count: 6, ScannedCount: 6 });
    });

    it('reads an item collection that spans several partitions, both ways', async () => {
      db = await withTables([compositeTable()], { partitionMaxBytes: 512 });
      const numbers = Array.from({ length: 120 }, (_, i) => i - 60);
      await put('composite', numbers.map((n) => ({ pk: { S: 'big' }, sk: { N: String(n) }, pad: { S: 'x'.repeat(20) } })));
      await put('composite', numbers.map((n) => ({ pk: { S: `other${n}` }, sk: { N: String(n) } })));
      const values = { ':p': { S: 'big' }, ':a': { N: '-10' }, ':b': { N: '10' } };
      const up = await query({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'big' } } });
      expect(sks(up)).toEqual(numbers.map(String));
      const between = await query({ KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b', ExpressionAttributeValues: values, ScanIndexForward: false });
      expect(sks(between)).toEqual(Array.from({ length: 21 }, (_, i) => String(10 - i)));
    });
  });
});
