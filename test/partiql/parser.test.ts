import { describe, expect, it } from 'vitest';
import { parseStatement } from '../../src/partiql/parser.js';
import { tokenize } from '../../src/partiql/tokenizer.js';
import { type Schema, translate } from '../../src/partiql/translate.js';

const malformed = (detail: string) => `Statement wasn't well formed, can't be processed: ${detail}`;

describe('tokenizer', () => {
  it('splits names, quoted names, strings, numbers, parameters and punctuation', () => {
    expect(tokenize(`SELECT "a""b" FROM t WHERE x<>'it''s' AND y != -1.5e3 AND z IN <<?>>`).map((t) => `${t.kind}:${t.text}`)).toEqual([
      'name:SELECT', 'quoted:a"b', 'name:FROM', 'name:t', 'name:WHERE', 'name:x', 'punct:<>', "string:it's", 'name:AND', 'name:y',
      'punct:!=', 'punct:-', 'number:1.5e3', 'name:AND', 'name:z', 'name:IN', 'punct:<<', 'param:?', 'punct:>>', 'eof:<EOF>',
    ]);
  });

  it('makes an other token of an unknown character and of an unclosed quote', () => {
    expect(tokenize(`a ; 'open`).map((t) => `${t.kind}:${t.text}`)).toEqual(['name:a', 'other:;', "other:'open", 'eof:<EOF>']);
  });
});

describe('statements', () => {
  it('parses a SELECT with a projection list, an index and a WHERE', () => {
    expect(parseStatement(`select a.b[0], "c" from "t"."i" where a['k'] = ? and not (b < 2 or c is not missing)`)).toEqual({
      kind: 'SELECT',
      table: 't',
      index: 'i',
      projection: [['a', 'b', 0], ['c']],
      parameters: 1,
      where: {
        t: 'and',
        left: { t: 'compare', op: '=', left: { t: 'path', path: ['a', 'k'] }, right: { t: 'param', index: 0 } },
        right: {
          t: 'not',
          operand: {
            t: 'or',
            left: { t: 'compare', op: '<', left: { t: 'path', path: ['b'] }, right: { t: 'scalar', value: { N: '2' } } },
            right: { t: 'missing', path: ['c'], negated: true },
          },
        },
      },
    });
  });

  it('parses every literal of an INSERT', () => {
    expect(parseStatement(`INSERT INTO t VALUE {'s': 'x', 'n': -7, 'b': TRUE, 'z': null, 'l': [1, ?], 'ss': <<'a', 'b'>>, 'm': {}}`)).toEqual({
      kind: 'INSERT',
      table: 't',
      parameters: 1,
      item: {
        t: 'map',
        entries: [
          ['s', { t: 'scalar', value: { S: 'x' } }],
          ['n', { t: 'scalar', value: { N: '-7' } }],
          ['b', { t: 'scalar', value: { BOOL: true } }],
          ['z', { t: 'scalar', value: { NULL: true } }],
          ['l', { t: 'list', items: [{ t: 'scalar', value: { N: '1' } }, { t: 'param', index: 0 }] }],
          ['ss', { t: 'set', items: [{ t: 'scalar', value: { S: 'a' } }, { t: 'scalar', value: { S: 'b' } }] }],
          ['m', { t: 'map', entries: [] }],
        ],
      },
    });
  });

  it('parses UPDATE sections in order, and DELETE', () => {
    expect(parseStatement(`UPDATE t SET a = a + 1, b = list_append(b, [2]) REMOVE c SET d = 'x' WHERE pk = 'k'`)).toMatchObject({
      kind: 'UPDATE',
      actions: [
        { action: 'SET', path: ['a'], value: { t: '+', left: { t: 'path', path: ['a'] }, right: { t: 'scalar', value: { N: '1' } } } },
        { action: 'SET', path: ['b'], value: { t: 'fn', name: 'list_append', args: [{ t: 'path', path: ['b'] }, { t: 'list' }] } },
        { action: 'REMOVE', path: ['c'] },
        { action: 'SET', path: ['d'], value: { t: 'scalar', value: { S: 'x' } } },
      ],
    });
    expect(parseStatement(`DELETE FROM "t" WHERE pk = 'k'`)).toMatchObject({ kind: 'DELETE', table: 't', parameters: 0 });
  });

  it('parses BETWEEN, IN, NOT IN and condition functions', () => {
    expect(parseStatement(`SELECT * FROM t WHERE a BETWEEN 1 AND 2 AND b NOT IN ['x', 'y'] AND BEGINS_WITH(c, 'p')`)).toMatchObject({
      where: {
        t: 'and',
        left: {
          t: 'and',
          left: { t: 'between', operand: { t: 'path', path: ['a'] } },
          right: { t: 'not', operand: { t: 'in', list: [{ t: 'scalar' }, { t: 'scalar' }] } },
        },
        right: { t: 'call', name: 'begins_with', args: [{ t: 'path', path: ['c'] }, { t: 'scalar', value: { S: 'p' } }] },
      },
    });
  });
});

describe('errors', () => {
  const cases: [string, string][] = [
    // dynoxide, captured
    ['SELECTT * FROMM "t"', malformed('Expected data manipulation')],
    ['', malformed('Expected data manipulation')],
    ['SELECT * FROM "t"."i"."x"', 'A path may contain at most 2 components in the FROM clause'],
    ['SELECT * FROM "t".""', 'Path component cannot be an empty string'],
    [`INSERT INTO "t"."i" VALUE {'pk': 'a'}`, 'FROM clause may only contain a single table name in data manipulation statements'],
    // Tidepool's details inside DynamoDB's envelope
    ['SELECT * FROM t WHERE', malformed('Unexpected end of statement')],
    ['SELECT * FROM t WHERE a = 1 AND', malformed('Unexpected end of statement')],
    ['SELECT * FROM WHERE a = 1', malformed('Unexpected keyword')],
    ['SELECT * FROM t WHERE a ; 1', malformed('Unexpected token')],
    [`SELECT * FROM t WHERE a = 'open`, malformed('Unexpected token')],
    ['SELECT * FROM t WHERE a', malformed('Unexpected end of statement')],
    ['SELECT * FROM t WHERE 1 IS MISSING', malformed('Unexpected keyword')],
    ['UPDATE t WHERE pk = 1', malformed('Unexpected keyword')],
    ['INSERT INTO t VALUE [1]', malformed('Unexpected token')],
    [`INSERT INTO t VALUE {'a': <<>>}`, malformed('Set literals cannot be empty')],
    ['SELECT * FROM t x', malformed('Unexpected token')],
    [`SELECT * FROM t WHERE a = ${'['.repeat(300)}`, malformed('Statement is nested too deeply to parse')],
  ];
  it.each(cases)('%s', (statement, message) => {
    expect(parseStatement(statement)).toEqual({ message });
  });
});

describe('translation', () => {
  const hash: Schema = { hash: { name: 'pk', type: 'S' } };
  const composite: Schema = { hash: { name: 'pk', type: 'S' }, range: { name: 'sk', type: 'N' }, index: { hash: { name: 'g', type: 'S' } } };
  const plan = (statement: string, schema: Schema, parameters: object[] = []) => {
    const parsed = parseStatement(statement);
    if ('message' in parsed) throw new Error(parsed.message);
    return translate(parsed, parameters as never, schema);
  };

  it('reads a whole key with GetItem', () => {
    expect(plan(`SELECT * FROM t WHERE pk = ?`, hash, [{ S: 'a' }])).toEqual({
      kind: 'read',
      action: 'GetItem',
      request: { TableName: 't', Key: { pk: { S: 'a' } } },
      key: { pk: { S: 'a' } },
      projection: undefined,
    });
  });

  it('queries a partition key, taking a sort key condition and filtering the rest', () => {
    expect(plan(`SELECT x FROM t WHERE 'a' = pk AND sk > 1 AND "data" <> 'z'`, composite)).toEqual({
      kind: 'read',
      action: 'Query',
      request: {
        TableName: 't',
        KeyConditionExpression: ':v0 = #n0 AND #n1 > :v1',
        FilterExpression: '#n2 <> :v2',
        ExpressionAttributeNames: { '#n0': 'pk', '#n1': 'sk', '#n2': 'data' },
        ExpressionAttributeValues: { ':v0': { S: 'a' }, ':v1': { N: '1' }, ':v2': { S: 'z' } },
      },
      projection: [['x']],
    });
  });

  it('keeps the rest of a whole-key WHERE as a residual condition', () => {
    expect(plan(`SELECT * FROM t WHERE pk = 'a' AND sk = 1 AND v = 2`, composite)).toMatchObject({
      action: 'Query',
      key: { pk: { S: 'a' }, sk: { N: '1' } },
      residual: { ConditionExpression: '#n0 = :v0', ExpressionAttributeNames: { '#n0': 'v' }, ExpressionAttributeValues: { ':v0': { N: '2' } } },
    });
  });

  it('queries an index on its own partition key', () => {
    expect(plan(`SELECT * FROM t."gsi" WHERE g = 'x'`, composite)).toMatchObject({
      action: 'Query',
      request: { TableName: 't', IndexName: 'gsi', KeyConditionExpression: '#n0 = :v0' },
    });
  });

  it('scans when there is no usable partition key equality', () => {
    expect(plan(`SELECT * FROM t WHERE pk = 1 OR contains(s, 'x')`, hash)).toEqual({
      kind: 'read',
      action: 'Scan',
      request: {
        TableName: 't',
        FilterExpression: '(#n0 = :v0) OR (contains(#n1, :v1))',
        ExpressionAttributeNames: { '#n0': 'pk', '#n1': 's' },
        ExpressionAttributeValues: { ':v0': { N: '1' }, ':v1': { S: 'x' } },
      },
      projection: undefined,
    });
    // A key of the wrong type matches nothing rather than failing the read.
    expect(plan(`SELECT * FROM t WHERE pk = 1`, hash)).toMatchObject({ action: 'Scan' });
    // A Query's filter may not name a key attribute.
    expect(plan(`SELECT * FROM t WHERE pk = 'a' AND sk > 1 AND sk < 5`, composite)).toMatchObject({ action: 'Scan' });
  });

  it('writes INSERT as a PutItem that must not find the key', () => {
    expect(plan(`INSERT INTO t VALUE {'pk': 'a', 'ns': <<1, 2>>}`, hash)).toEqual({
      kind: 'write',
      action: 'PutItem',
      request: {
        TableName: 't',
        Item: { pk: { S: 'a' }, ns: { NS: ['1', '2'] } },
        ConditionExpression: 'attribute_not_exists(#n0)',
        ExpressionAttributeNames: { '#n0': 'pk' },
      },
      key: { pk: { S: 'a' } },
    });
  });

  it('writes UPDATE as an UpdateItem of an existing item', () => {
    expect(plan(`UPDATE t SET a.b[1] = ? REMOVE c WHERE pk = 'k' AND v >= 3`, hash, [{ BOOL: false }])).toEqual({
      kind: 'write',
      action: 'UpdateItem',
      request: {
        TableName: 't',
        Key: { pk: { S: 'k' } },
        UpdateExpression: 'SET #n0.#n1[1] = :v0 REMOVE #n2',
        ConditionExpression: 'attribute_exists(#n3) AND (#n4 >= :v1)',
        ExpressionAttributeNames: { '#n0': 'a', '#n1': 'b', '#n2': 'c', '#n3': 'pk', '#n4': 'v' },
        ExpressionAttributeValues: { ':v0': { BOOL: false }, ':v1': { N: '3' } },
      },
      key: { pk: { S: 'k' } },
    });
  });

  it('writes DELETE as a DeleteItem whose extra conditions bind only an existing item', () => {
    expect(plan(`DELETE FROM t WHERE pk = 'k'`, hash)).toEqual({ kind: 'write', action: 'DeleteItem', request: { TableName: 't', Key: { pk: { S: 'k' } } }, key: { pk: { S: 'k' } } });
    expect(plan(`DELETE FROM t WHERE pk = 'k' AND v IS MISSING`, hash)).toMatchObject({
      request: { ConditionExpression: 'attribute_not_exists(#n0) OR (attribute_not_exists(#n1))', ExpressionAttributeNames: { '#n0': 'pk', '#n1': 'v' } },
    });
  });

  it('refuses what cannot be translated, with DynamoDB text', () => {
    expect(plan(`UPDATE t SET a = 1 WHERE pk = 'k' OR pk = 'j'`, hash)).toBe('Where clause does not contain a mandatory equality on all key attributes');
    expect(plan(`DELETE FROM t WHERE pk = 'k'`, composite)).toBe('Where clause does not contain a mandatory equality on all key attributes');
    expect(plan(`SELECT * FROM t WHERE a < [1]`, hash)).toBe('Incorrect operand type for operator or function; operator or function: <, operand type: L');
    expect(plan(`SELECT * FROM t WHERE a BETWEEN 1 AND ?`, hash, [{ BOOL: true }])).toBe(
      'Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: BOOL',
    );
    expect(plan(`INSERT INTO t VALUE {'pk': <<'a', 1>>}`, hash)).toBe('Set literals must contain elements of one type: strings, numbers or binaries');
  });
});
