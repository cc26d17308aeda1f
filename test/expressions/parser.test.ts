import { describe, expect, it } from 'vitest';
import { parse, type ExpressionKind } from '../../src/expressions/parser.js';
import { isReservedWord, RESERVED_WORD_COUNT } from '../../src/expressions/reserved.js';
import { tokenize } from '../../src/expressions/tokenizer.js';

const message = (kind: ExpressionKind, text: string): string | undefined => {
  const result = parse(kind, text);
  return 'message' in result ? result.message : undefined;
};

describe('tokenizer', () => {
  it('splits names, placeholders, numbers and punctuation', () => {
    expect(tokenize('a.b[12] <= #n AND :v<>x_1').map((t) => `${t.kind}:${t.text}`)).toEqual([
      'name:a', 'punct:.', 'name:b', 'punct:[', 'number:12', 'punct:]', 'punct:<=', 'attrName:#n',
      'name:AND', 'attrValue::v', 'punct:<>', 'name:x_1', 'eof:<EOF>',
    ]);
  });

  it('makes a one-character token of anything else, a lone # or : included', () => {
    expect(tokenize('_a # : ! 😀').map((t) => t.text)).toEqual(['_', 'a', '#', ':', '!', '😀', '<EOF>']);
  });
});

describe('reserved words', () => {
  it('has the 573 words of the Developer Guide, in any case', () => {
    expect(RESERVED_WORD_COUNT).toBe(573);
    expect(isReservedWord('status')).toBe(true);
    expect(isReservedWord('ABORT')).toBe(true);
    expect(isReservedWord('Zone')).toBe(true);
    expect(isReservedWord('pk')).toBe(false);
  });
});

describe('syntax errors: token and near as DynamoDB builds them', () => {
  const cases: [ExpressionKind, string, string][] = [
    // conformance (checked against DynamoDB)
    ['UpdateExpression', 'INVALID SYNTAX HERE', 'Invalid UpdateExpression: Syntax error; token: "INVALID", near: "INVALID SYNTAX"'],
    ['ProjectionExpression', '!!! INVALID !!!', 'Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"'],
    // issues and alternator, quoting DynamoDB
    ['ConditionExpression', 'a-b', 'Invalid ConditionExpression: Syntax error; token: "-", near: "a-b"'],
    ['FilterExpression', 'a-b', 'Invalid FilterExpression: Syntax error; token: "-", near: "a-b"'],
    ['UpdateExpression', 'SET _123 = :val1', 'Invalid UpdateExpression: Syntax error; token: "_", near: "SET _123"'],
    ['KeyConditionExpression', 'contains()', 'Invalid KeyConditionExpression: Syntax error; token: ")", near: "()"'],
    // the same rule elsewhere
    ['UpdateExpression', 'SET x', 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "x"'],
    ['UpdateExpression', 'SET a = ', 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "="'],
    ['UpdateExpression', 'set a=set', 'Invalid UpdateExpression: Syntax error; token: "set", near: "=set"'],
    ['UpdateExpression', 'remove a = b', 'Invalid UpdateExpression: Syntax error; token: "=", near: "a = b"'],
    ['UpdateExpression', 'delete a b', 'Invalid UpdateExpression: Syntax error; token: "b", near: "a b"'],
    ['UpdateExpression', 'set :a = b', 'Invalid UpdateExpression: Syntax error; token: ":a", near: "set :a ="'],
    ['UpdateExpression', 'set a = b / c', 'Invalid UpdateExpression: Syntax error; token: "/", near: "b / c"'],
    ['UpdateExpression', 'set a[1] = "eight"', 'Invalid UpdateExpression: Syntax error; token: "\"", near: "= \"eight"'],
    ['UpdateExpression', 'set a = b + c + d', 'Invalid UpdateExpression: Syntax error; token: "+", near: "c + d"'],
    ['UpdateExpression', 'set a = (b.c).d + e', 'Invalid UpdateExpression: Syntax error; token: ".", near: ").d"'],
    ['UpdateExpression', 'SET c = if_not_exists(c, :a+:b)', 'Invalid UpdateExpression: Syntax error; token: "+", near: ":a+:b"'],
    ['UpdateExpression', 'SET a = :v,', 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: ","'],
    ['UpdateExpression', 'SET a[-1] = :v', 'Invalid UpdateExpression: Syntax error; token: "-", near: "[-1"'],
    ['UpdateExpression', 'SET a[b] = :v', 'Invalid UpdateExpression: Syntax error; token: "b", near: "[b]"'],
    ['ConditionExpression', 'a', 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "a"'],
    ['ConditionExpression', 'a = ', 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "="'],
    ['ConditionExpression', 'a AND b = :c', 'Invalid ConditionExpression: Syntax error; token: "AND", near: "a AND b"'],
    ['ConditionExpression', 'a = :v AND', 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "AND"'],
    ['ConditionExpression', '(a = :v) = :w', 'Invalid ConditionExpression: Syntax error; token: "=", near: ") = :w"'],
    ['ConditionExpression', 'a = (b = c)', 'Invalid ConditionExpression: Syntax error; token: "=", near: "b = c"'],
    ['ConditionExpression', 'a BETWEEN :x OR :y', 'Invalid ConditionExpression: Syntax error; token: "OR", near: ":x OR :y"'],
    ['ConditionExpression', 'a IN :x', 'Invalid ConditionExpression: Syntax error; token: ":x", near: "IN :x"'],
    ['ConditionExpression', 'a IN ()', 'Invalid ConditionExpression: Syntax error; token: ")", near: "()"'],
    ['ConditionExpression', 'and = :v', 'Invalid ConditionExpression: Syntax error; token: "and", near: "and ="'],
    ['ConditionExpression', 'a = :v)', 'Invalid ConditionExpression: Syntax error; token: ")", near: ":v)"'],
    ['ConditionExpression', '((a = :v)', 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: ")"'],
    ['ConditionExpression', 'NOT a', 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "a"'],
    ['ConditionExpression', 'a = :v # b', 'Invalid ConditionExpression: Syntax error; token: "#", near: ":v # b"'],
    ['KeyConditionExpression', 'things are not gonna be ok', 'Invalid KeyConditionExpression: Syntax error; token: "are", near: "things are not"'],
    ['KeyConditionExpression', 'a > 4', 'Invalid KeyConditionExpression: Syntax error; token: "4", near: "> 4"'],
    ['KeyConditionExpression', '(size(a))[0] > a', 'Invalid KeyConditionExpression: Syntax error; token: "[", near: ")[0"'],
    ['ProjectionExpression', 'a,,b', 'Invalid ProjectionExpression: Syntax error; token: ",", near: ",,b"'],
    ['ProjectionExpression', 'a b', 'Invalid ProjectionExpression: Syntax error; token: "b", near: "a b"'],
    ['ProjectionExpression', ':v', 'Invalid ProjectionExpression: Syntax error; token: ":v", near: ":v"'],
    ['ProjectionExpression', 'f(a)', 'Invalid ProjectionExpression: Syntax error; token: "(", near: "f(a"'],
  ];
  it.each(cases)('%s %j', (kind, text, expected) => {
    expect(message(kind, text)).toBe(expected);
  });

  it('reports the empty expression', () => {
    for (const kind of ['UpdateExpression', 'ConditionExpression', 'KeyConditionExpression', 'FilterExpression', 'ProjectionExpression'] as const) {
      expect(message(kind, '')).toBe(`Invalid ${kind}: The expression can not be empty;`);
    }
  });

  it('reports whitespace alone as a syntax error at the end', () => {
    expect(message('ConditionExpression', '  ')).toBe('Invalid ConditionExpression: Syntax error; token: "<EOF>", near: ""');
  });
});

describe('limits', () => {
  it('refuses an expression over 4 KB (UTF-8 bytes) before looking at its syntax', () => {
    expect(message('ConditionExpression', 'a = :v' + ' '.repeat(4090))).toBeUndefined();
    expect(message('ConditionExpression', 'a = :v' + ' '.repeat(4091))).toBe(
      'Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4097',
    );
    expect(message('ProjectionExpression', '((((' + 'é'.repeat(2047))).toBe(
      'Invalid ProjectionExpression: Expression size has exceeded the maximum allowed size; expression size: 4098',
    );
  });

  it('allows 300 operators and refuses 301', () => {
    const chain = (n: number) => 'a<b ' + 'or (a<b '.repeat(n) + ')'.repeat(n);
    expect(message('ConditionExpression', chain(149))).toBeUndefined();
    expect(message('ConditionExpression', chain(150))).toBe(
      'Invalid ConditionExpression: The expression contains too many operators; operator count: 301',
    );
    expect(message('FilterExpression', 'a<b ' + 'or a<b '.repeat(584))).toBe(
      'Invalid FilterExpression: The expression contains too many operators; operator count: 301',
    );
    expect(message('ConditionExpression', 'not '.repeat(1000) + 'a<b')).toBe(
      'Invalid ConditionExpression: The expression contains too many operators; operator count: 301',
    );
    const sets = Array.from({ length: 301 }, (_, i) => `a${i} = b + c`).join(',');
    expect(message('UpdateExpression', 'SET ' + sets)).toBe(
      'Invalid UpdateExpression: The expression contains too many operators; operator count: 301',
    );
  });

  it('allows 100 IN operands and refuses 101', () => {
    const list = (n: number) => `a IN (${Array.from({ length: n }, (_, i) => `:v${i}`).join(', ')})`;
    expect(message('FilterExpression', list(100))).toBeUndefined();
    expect(message('FilterExpression', list(101))).toBe(
      'Invalid FilterExpression: The IN operator is provided with too many operands; number of operands: 101',
    );
  });

  it('allows document paths 32 levels deep and refuses 33', () => {
    expect(message('ProjectionExpression', 'a' + '.b'.repeat(31))).toBeUndefined();
    expect(message('ProjectionExpression', 'a' + '.b'.repeat(32))).toBe(
      'Invalid ProjectionExpression: The document path has too many nesting levels; nesting levels: 33',
    );
    expect(message('UpdateExpression', 'SET a' + '[0]'.repeat(32) + ' = :v')).toBe(
      'Invalid UpdateExpression: The document path has too many nesting levels; nesting levels: 33',
    );
  });

  it('refuses list indexes beyond 32 bits', () => {
    expect(message('ProjectionExpression', 'a[2147483647]')).toBeUndefined();
    expect(message('ProjectionExpression', 'a[99999999999999]')).toBe(
      'Invalid ProjectionExpression: List index is not within the allowable range; index: [99999999999999]',
    );
  });

  it('answers hostile nesting with a message, without exhausting the stack', () => {
    expect(message('ConditionExpression', '('.repeat(4096))).toMatch(/^Invalid ConditionExpression: Syntax error; token: "\(", near: "\(\(\("$/);
    expect(message('ConditionExpression', 'a < ' + 'f('.repeat(1355) + 'b' + ')'.repeat(1355))).toBe(
      'Invalid ConditionExpression: Invalid function name; function: f',
    );
    expect(message('ConditionExpression', '('.repeat(300) + 'a<b' + ')'.repeat(300))).toBe(
      'Invalid ConditionExpression: The expression has redundant parentheses;',
    );
    expect(message('UpdateExpression', 'SET a = ' + '('.repeat(2000) + 'b' + ')'.repeat(2000))).toBe(
      'Invalid UpdateExpression: The expression has redundant parentheses;',
    );
    expect(message('ConditionExpression', '('.repeat(100000))).toMatch(/expression size: 100000$/);
    expect(message('ConditionExpression', 'a = :v' + ' AND a = :v'.repeat(50000))).toMatch(/expression size: 550006$/);
  });
});

describe('static checks, in dynalite\'s order', () => {
  const cases: [ExpressionKind, string, string][] = [
    ['ConditionExpression', '((a = :a))', 'The expression has redundant parentheses;'],
    ['ConditionExpression', '((a)) = :a', 'The expression has redundant parentheses;'],
    ['ConditionExpression', 'a = ((:a))', 'The expression has redundant parentheses;'],
    ['ConditionExpression', '((a = :a)) AND dog(a)', 'The expression has redundant parentheses;'],
    ['ConditionExpression', 'dog(a) AND size(a)', 'Invalid function name; function: dog'],
    ['ConditionExpression', 'Begins_with(a, :p)', 'Invalid function name; function: Begins_with'],
    ['ConditionExpression', 'list_append(s, :v) = :v', 'The function is not allowed in a condition expression; function: list_append'],
    ['FilterExpression', 'if_not_exists(s, :v) = :v', 'The function is not allowed in a condition expression; function: if_not_exists'],
    ['ConditionExpression', 'size(a)', 'The function is not allowed to be used this way in an expression; function: size'],
    ['ConditionExpression', 'NOT size(a) AND status = :v', 'The function is not allowed to be used this way in an expression; function: size'],
    ['ConditionExpression', 'attribute_exists(a) < :v', 'The function is not allowed to be used this way in an expression; function: attribute_exists'],
    ['ConditionExpression', 'a IN (:v, contains(a, :v))', 'The function is not allowed to be used this way in an expression; function: contains'],
    ['ConditionExpression', 'begins_with(begins_with(a, :v), :v)', 'The function is not allowed to be used this way in an expression; function: begins_with'],
    ['ConditionExpression', 'status = :v AND size(a)', 'The function is not allowed to be used this way in an expression; function: size'],
    ['ConditionExpression', 'status = :v', 'Attribute name is a reserved keyword; reserved keyword: status'],
    ['ConditionExpression', 'a.Name = :v AND status = :v', 'Attribute name is a reserved keyword; reserved keyword: Name'],
    ['ConditionExpression', 'set = :v', 'Attribute name is a reserved keyword; reserved keyword: set'],
    ['UpdateExpression', ' set #c = :c set abOrt = true ', 'Attribute name is a reserved keyword; reserved keyword: abOrt'],
    ['UpdateExpression', ' remove Absolute ', 'Attribute name is a reserved keyword; reserved keyword: Absolute'],
    ['UpdateExpression', 'SET a = b AND c', 'Syntax error; token: "AND", near: "b AND c"'],
    ['UpdateExpression', 'SET a = size(b)', 'The function is not allowed in an update expression; function: size'],
    ['UpdateExpression', 'SET a = begins_with(b, :v)', 'The function is not allowed in an update expression; function: begins_with'],
    ['UpdateExpression', 'set #c = if_not_exist(:c) set c = d', 'Invalid function name; function: if_not_exist'],
    ['UpdateExpression', 'SET a = list_append(list_append(:a, :b), :c)', 'The function is not allowed to be used this way in an expression; function: list_append'],
    ['UpdateExpression', 'set a = #c set c = :d', 'The "SET" section can only be used once in an update expression;'],
    ['UpdateExpression', 'remove #d set a = b remove e', 'The "REMOVE" section can only be used once in an update expression;'],
    ['UpdateExpression', 'add #d :e set a = b add e :f', 'The "ADD" section can only be used once in an update expression;'],
    ['UpdateExpression', 'delete #d :e set a = b delete #e :f', 'The "DELETE" section can only be used once in an update expression;'],
    ['UpdateExpression', 'set a = dog(b) set c = :d', 'Invalid function name; function: dog'],
    ['ProjectionExpression', 'a, Status', 'Attribute name is a reserved keyword; reserved keyword: Status'],
  ];
  it.each(cases)('%s %j', (kind, text, expected) => {
    expect(message(kind, text)).toBe(`Invalid ${kind}: ${expected}`);
  });

  it('allows parentheses that group something', () => {
    for (const text of [
      '(attribute_not_exists(pk)) AND (attribute_not_exists(#s))',
      '(attribute_not_exists(pk) AND attribute_not_exists(#s))',
      '(attribute_not_exists(pk) AND (attribute_not_exists(#s)))',
      '((p <> p) and p <> p)',
      '(a) = :v AND (size(b)) > :n',
      'NOT NOT (a = :v)',
    ]) {
      expect(message('ConditionExpression', text)).toBeUndefined();
    }
    expect(message('UpdateExpression', 'SET a = (b + c), d = (e) - :f, g = (if_not_exists(h, :i)) + :j')).toBeUndefined();
  });
});

describe('parsed trees (placeholders unresolved)', () => {
  it('keeps keywords case-insensitive and function names case-sensitive', () => {
    expect(parse('ConditionExpression', 'a = :a oR b = :b AnD nOt c = :c')).toEqual({
      kind: 'ConditionExpression',
      root: {
        t: 'or',
        left: { t: 'compare', op: '=', left: { t: 'path', path: ['a'] }, right: { t: 'value', name: ':a' } },
        right: {
          t: 'and',
          left: { t: 'compare', op: '=', left: { t: 'path', path: ['b'] }, right: { t: 'value', name: ':b' } },
          right: { t: 'not', operand: { t: 'compare', op: '=', left: { t: 'path', path: ['c'] }, right: { t: 'value', name: ':c' } } },
        },
      },
    });
  });

  it('keeps update actions in the order written', () => {
    expect(parse('UpdateExpression', 'remove x[2] SET a = :v, b = list_append(a, :w) add d :x delete e.#f :y')).toEqual({
      kind: 'UpdateExpression',
      actions: [
        { action: 'REMOVE', path: ['x', 2] },
        { action: 'SET', path: ['a'], value: { t: 'value', name: ':v' } },
        { action: 'SET', path: ['b'], value: { t: 'call', name: 'list_append', args: [{ t: 'path', path: ['a'] }, { t: 'value', name: ':w' }] } },
        { action: 'ADD', path: ['d'], value: { t: 'value', name: ':x' } },
        { action: 'DELETE', path: ['e', '#f'], value: { t: 'value', name: ':y' } },
      ],
    });
  });

  it('caches by kind and text', () => {
    expect(parse('ProjectionExpression', 'a.b[2], #c')).toBe(parse('ProjectionExpression', 'a.b[2], #c'));
    expect(parse('ProjectionExpression', 'a.b[2], #c')).toEqual({ kind: 'ProjectionExpression', paths: [['a', 'b', 2], ['#c']] });
  });
});
