import { describe, expect, it } from 'vitest';
import { compile, type ExpressionKind, type ExpressionRequest } from '../../src/expressions/compile.js';
import type { AttributeValue } from '../../src/model/index.js';

const UPDATE_ITEM: ExpressionKind[] = ['UpdateExpression', 'ConditionExpression'];
const QUERY: ExpressionKind[] = ['ProjectionExpression', 'FilterExpression', 'KeyConditionExpression'];
const SCAN: ExpressionKind[] = ['ProjectionExpression', 'FilterExpression'];

const messageOf = (request: ExpressionRequest, kinds: readonly ExpressionKind[]): string | undefined => {
  const result = compile(request, kinds);
  return 'message' in result ? (result.message as string) : undefined;
};

const S = (s: string): AttributeValue => ({ S: s });
const N = (n: string): AttributeValue => ({ N: n });

describe('request parameters, in dynalite\'s order', () => {
  it('refuses names and values without an expression to use them', () => {
    expect(messageOf({ ExpressionAttributeNames: { '#a': 'a' } }, UPDATE_ITEM)).toBe(
      'ExpressionAttributeNames can only be specified when using expressions',
    );
    expect(messageOf({ ExpressionAttributeValues: { ':a': S('a') } }, ['ConditionExpression'])).toBe(
      'ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null',
    );
    expect(messageOf({ ExpressionAttributeValues: { ':a': S('a') }, ProjectionExpression: 'a' }, QUERY)).toBe(
      'ExpressionAttributeValues can only be specified when using expressions: FilterExpression and KeyConditionExpression are null',
    );
    expect(messageOf({ ExpressionAttributeValues: { ':a': S('a') } }, UPDATE_ITEM)).toBe(
      'ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and ConditionExpression are null',
    );
  });

  it('checks names, then values, before any expression', () => {
    const base = { ConditionExpression: '', UpdateExpression: '' };
    expect(messageOf({ ...base, ExpressionAttributeNames: {}, ExpressionAttributeValues: {} }, UPDATE_ITEM)).toBe(
      'ExpressionAttributeNames must not be empty',
    );
    expect(messageOf({ ...base, ExpressionAttributeNames: { a: 'a' }, ExpressionAttributeValues: {} }, UPDATE_ITEM)).toBe(
      'ExpressionAttributeNames contains invalid key: Syntax error; key: "a"',
    );
    expect(messageOf({ ...base, ExpressionAttributeNames: { '#a': '' } }, UPDATE_ITEM)).toBe(
      'ExpressionAttributeNames contains invalid value: Empty attribute name for key #a',
    );
    expect(messageOf({ ...base, ExpressionAttributeValues: {} }, UPDATE_ITEM)).toBe('ExpressionAttributeValues must not be empty');
    expect(
      messageOf({ ...base, ExpressionAttributeValues: { ':b': { a: '' } as unknown as AttributeValue, b: S('a') } }, UPDATE_ITEM),
    ).toBe('ExpressionAttributeValues contains invalid key: Syntax error; key: "b"');
    expect(messageOf({ ...base, ExpressionAttributeValues: { ':b': { SS: ['a', 'a'] } } }, UPDATE_ITEM)).toBe(
      'ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: Input collection [a, a] contains duplicates. for key :b',
    );
    expect(messageOf({ ...base, ExpressionAttributeValues: { ':b': { NULL: false } as unknown as AttributeValue } }, UPDATE_ITEM)).toBe(
      'ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: Null attribute value types must have the value of true for key :b',
    );
    expect(messageOf(base, UPDATE_ITEM)).toBe('Invalid UpdateExpression: The expression can not be empty;');
    expect(messageOf({ ConditionExpression: '' }, UPDATE_ITEM)).toBe('Invalid ConditionExpression: The expression can not be empty;');
  });

  it('parses Update, Condition, KeyCondition, Filter, Projection in that order', () => {
    expect(messageOf({ KeyConditionExpression: 'attribute_type(a, :a)', FilterExpression: '', ProjectionExpression: '', ExpressionAttributeValues: { ':a': S('N') } }, QUERY)).toBe(
      'Invalid FilterExpression: The expression can not be empty;',
    );
    expect(messageOf({ UpdateExpression: 'SET a = :v', ConditionExpression: 'x', ExpressionAttributeValues: { ':v': S('v') } }, UPDATE_ITEM)).toBe(
      'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "x"',
    );
  });

  it('reports undefined placeholders, then unused ones', () => {
    expect(messageOf({ UpdateExpression: 'SET a = :v' }, UPDATE_ITEM)).toBe(
      'Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v',
    );
    expect(messageOf({ FilterExpression: '#missing = :v', ExpressionAttributeValues: { ':v': S('v') } }, SCAN)).toBe(
      'Invalid FilterExpression: An expression attribute name used in the document path is not defined; attribute name: #missing',
    );
    expect(
      messageOf(
        {
          UpdateExpression: 'remove a set b = list_append(b, if_not_exists(a, :a))',
          ConditionExpression: 'a = :b',
          ExpressionAttributeValues: { ':a': S('a'), ':b': S('a') },
          ExpressionAttributeNames: { '#b': 'b', '#a': 'a' },
        },
        UPDATE_ITEM,
      ),
    ).toBe('Value provided in ExpressionAttributeNames unused in expressions: keys: {#b, #a}');
    expect(
      messageOf(
        { UpdateExpression: 'remove a', ConditionExpression: 'a = :b', ExpressionAttributeValues: { ':a': S('a'), ':b': S('a'), ':c': S('a') } },
        UPDATE_ITEM,
      ),
    ).toBe('Value provided in ExpressionAttributeValues unused in expressions: keys: {:a, :c}');
    expect(messageOf({ ProjectionExpression: '#a', ExpressionAttributeNames: { '#a': 'a', '#unused': 'b' } }, ['ProjectionExpression'])).toBe(
      'Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}',
    );
  });
});

describe('resolved ASTs', () => {
  it('binds names and shares the request\'s value objects', () => {
    const v = S('x');
    const result = compile(
      { ConditionExpression: '#s = :v AND attribute_exists(#m.#s[3])', ExpressionAttributeNames: { '#s': 'status', '#m': 'map' }, ExpressionAttributeValues: { ':v': v } },
      ['ConditionExpression'],
    );
    expect(result).toEqual({
      condition: {
        kind: 'and',
        left: { kind: 'compare', op: '=', left: { kind: 'path', path: ['status'] }, right: { kind: 'value', value: v } },
        right: { kind: 'attribute_exists', path: ['map', 'status', 3] },
      },
    });
    expect(((result as { condition: { left: { right: { value: unknown } } } }).condition.left.right.value)).toBe(v);
  });

  it('binds OR below AND below NOT', () => {
    const values = { ':a': N('1'), ':b': N('2'), ':c': N('3') };
    expect(compile({ ConditionExpression: 'a = :a OR b = :b AND NOT c = :c', ExpressionAttributeValues: values }, ['ConditionExpression'])).toEqual({
      condition: {
        kind: 'or',
        left: { kind: 'compare', op: '=', left: { kind: 'path', path: ['a'] }, right: { kind: 'value', value: N('1') } },
        right: {
          kind: 'and',
          left: { kind: 'compare', op: '=', left: { kind: 'path', path: ['b'] }, right: { kind: 'value', value: N('2') } },
          right: { kind: 'not', condition: { kind: 'compare', op: '=', left: { kind: 'path', path: ['c'] }, right: { kind: 'value', value: N('3') } } },
        },
      },
    });
    expect(compile({ ConditionExpression: '(a = :a OR b = :b) AND (NOT (c = :c))', ExpressionAttributeValues: values }, ['ConditionExpression'])).toEqual({
      condition: {
        kind: 'and',
        left: {
          kind: 'or',
          left: { kind: 'compare', op: '=', left: { kind: 'path', path: ['a'] }, right: { kind: 'value', value: N('1') } },
          right: { kind: 'compare', op: '=', left: { kind: 'path', path: ['b'] }, right: { kind: 'value', value: N('2') } },
        },
        right: { kind: 'not', condition: { kind: 'compare', op: '=', left: { kind: 'path', path: ['c'] }, right: { kind: 'value', value: N('3') } } },
      },
    });
  });

  it('binds every comparator, BETWEEN, IN and every condition function', () => {
    const values = { ':a': S('a'), ':b': S('b'), ':t': S('SS') };
    const path = (...p: (string | number)[]) => ({ kind: 'path', path: p });
    const value = (v: AttributeValue) => ({ kind: 'value', value: v });
    const one = (text: string) => {
      const used = Object.fromEntries(Object.entries(values).filter(([key]) => text.includes(key)));
      return (compile({ FilterExpression: text, ExpressionAttributeValues: used }, SCAN) as { filter: unknown }).filter;
    };
    for (const op of ['=', '<>', '<', '<=', '>', '>=']) {
      expect(one(`x ${op} :a AND :b = :b`)).toEqual({
        kind: 'and',
        left: { kind: 'compare', op, left: path('x'), right: value(S('a')) },
        right: { kind: 'compare', op: '=', left: value(S('b')), right: value(S('b')) },
      });
    }
    expect(one('x between :a and :b AND :t = :t')).toMatchObject({ left: { kind: 'between', operand: path('x'), low: value(S('a')), high: value(S('b')) } });
    expect(one('x.y IN (:a, :b, z) AND :t = :t')).toMatchObject({ left: { kind: 'in', operand: path('x', 'y'), list: [value(S('a')), value(S('b')), path('z')] } });
    expect(one('size(x[1]) > size(y) AND begins_with(x, :a) AND contains(y, :b) AND attribute_type(z, :t) AND attribute_not_exists(w)')).toEqual({
      kind: 'and',
      left: {
        kind: 'and',
        left: {
          kind: 'and',
          left: {
            kind: 'and',
            left: { kind: 'compare', op: '>', left: { kind: 'size', path: ['x', 1] }, right: { kind: 'size', path: ['y'] } },
            right: { kind: 'begins_with', operand: path('x'), prefix: value(S('a')) },
          },
          right: { kind: 'contains', operand: path('y'), value: value(S('b')) },
        },
        right: { kind: 'attribute_type', path: ['z'], type: value(S('SS')) },
      },
      right: { kind: 'attribute_not_exists', path: ['w'] },
    });
  });

  it('binds every update clause, in any order and case', () => {
    const values = { ':v': N('1'), ':l': { L: [] }, ':s': { SS: ['a'] } };
    const expected = {
      update: {
        set: [
          { path: ['a', 'b', 0], value: { kind: '+', left: { kind: 'path', path: ['a', 'b', 0] }, right: { kind: 'value', value: N('1') } } },
          { path: ['c'], value: { kind: 'list_append', left: { kind: 'if_not_exists', path: ['c'], operand: { kind: 'value', value: { L: [] } } }, right: { kind: 'value', value: { L: [] } } } },
          { path: ['d'], value: { kind: '-', left: { kind: 'value', value: N('1') }, right: { kind: 'path', path: ['e'] } } },
        ],
        remove: [['f', 2], ['status']],
        add: [{ path: ['g'], value: { kind: 'value', value: N('1') } }],
        delete: [{ path: ['h'], value: { kind: 'value', value: { SS: ['a'] } } }],
      },
    };
    const names = { '#s': 'status' };
    for (const text of [
      'SET a.b[0] = a.b[0] + :v, c = list_append(if_not_exists(c, :l), :l), d = :v - e REMOVE f[2], #s ADD g :v DELETE h :s',
      'delete h :s add g :v remove f[2], #s set a.b[0] = a.b[0] + :v, c = list_append(if_not_exists(c, :l), :l), d = :v - e',
      'Remove f [ 2 ] , #s Add g :v Set a . b [0] = a.b[0]+:v,c=list_append(if_not_exists(c,:l),:l),d=:v-e Delete h :s',
    ]) {
      expect(compile({ UpdateExpression: text, ExpressionAttributeNames: names, ExpressionAttributeValues: values }, UPDATE_ITEM)).toEqual(expected);
    }
  });

  it('binds projections, reserved words through placeholders', () => {
    expect(compile({ ProjectionExpression: 'pk, #status, a.#name[2]', ExpressionAttributeNames: { '#status': 'status', '#name': 'name' } }, ['ProjectionExpression'])).toEqual({
      projection: [['pk'], ['status'], ['a', 'name', 2]],
    });
  });
});

describe('checks that need the bound values', () => {
  const update = (text: string, values?: Record<string, AttributeValue>, names?: Record<string, string>) =>
    messageOf({ UpdateExpression: text, ExpressionAttributeValues: values, ExpressionAttributeNames: names }, UPDATE_ITEM);
  const condition = (text: string, values?: Record<string, AttributeValue>, names?: Record<string, string>) =>
    messageOf({ ConditionExpression: text, ExpressionAttributeValues: values, ExpressionAttributeNames: names }, ['ConditionExpression']);

  it('overlapping and conflicting update paths', () => {
    const names = { '#c': 'c', '#d': '[3]' };
    expect(update('set d[1] = a, d.b = a, c[1].a = a, #c = if_not_exists(a)', undefined, names)).toBe(
      'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [c, [1], a], path two: [c]',
    );
    expect(update('set #c[3].#d = a, #c[3] = a', undefined, names)).toBe(
      'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [c, [3], [3]], path two: [c, [3]]',
    );
    expect(update('SET a = :v REMOVE a', { ':v': S('v') })).toBe(
      'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]',
    );
    expect(update('set #c[3].#d = a, #c.#d[3] = if_not_exists(a)', undefined, names)).toBe(
      'Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [c, [3], [3]], path two: [c, [3], [3]]',
    );
    expect(update('remove a.#c set a[1] = #d', undefined, names)).toBe(
      'Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, c], path two: [a, [1]]',
    );
  });

  it('overlapping and conflicting projection paths', () => {
    const projection = (text: string) => messageOf({ ProjectionExpression: text }, ['ProjectionExpression']);
    expect(projection('a, b, a')).toBe(
      'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]',
    );
    expect(projection('a.b[0], a.b[0]')).toBe(
      'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b, [0]], path two: [a, b, [0]]',
    );
    expect(projection('a.b, a[1]')).toBe(
      'Invalid ProjectionExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [1]]',
    );
    expect(projection('a.b, a.c, a[1].d, x')).toMatch(/conflict.*path one: \[a, b\], path two: \[a, \[1\], d\]$/);
  });

  it('ADD and DELETE operand types', () => {
    const cases: [string, AttributeValue, string][] = [
      ['set b = list_append(:a, a), c = if_not_exists(a) add a.b :a', S('a'), 'operator: ADD, operand type: STRING'],
      ['delete a.b :a', S('a'), 'operator: DELETE, operand type: STRING'],
      ['add a.b :a', { NULL: true }, 'operator: ADD, operand type: NULL'],
      ['delete a.b :a', { BOOL: false }, 'operator: DELETE, operand type: BOOLEAN'],
      ['add a.b :a', { B: 'YQ==' }, 'operator: ADD, operand type: BINARY'],
      ['add a.b :a', { M: {} }, 'operator: ADD, operand type: MAP'],
      ['delete a.b :a', { L: [] }, 'operator: DELETE, operand type: LIST'],
      ['delete a.b :a', N('1'), 'operator: DELETE, operand type: NUMBER'],
    ];
    for (const [text, value, expected] of cases) {
      expect(update(text, { ':a': value })).toBe(`Invalid UpdateExpression: Incorrect operand type for operator or function; ${expected}`);
    }
    expect(update('add a :a, b :b delete c :c, d :d', { ':a': N('1'), ':b': { NS: ['1'] }, ':c': { SS: ['x'] }, ':d': { BS: ['YQ=='] } })).toBeUndefined();
  });

  it('update function operands', () => {
    const values = { ':a': S('a'), ':b': N('1'), ':c': { B: 'YQ==' }, ':j': { L: [] }, ':i': { M: {} }, ':g': { NS: ['1'] } };
    const cases: [string, string][] = [
      ['set a = list_append(:a, a)', 'operator or function: list_append, operand type: S'],
      ['set a = list_append(a, :b)', 'operator or function: list_append, operand type: N'],
      ['set a = list_append(:i, a)', 'operator or function: list_append, operand type: M'],
      ['set a = a + :a', 'operator or function: +, operand type: S'],
      ['set a = :c + a', 'operator or function: +, operand type: B'],
      ['set a = a - :g', 'operator or function: -, operand type: NS'],
      ['set a = a - :j', 'operator or function: -, operand type: L'],
    ];
    for (const [text, expected] of cases) {
      const used = Object.fromEntries(Object.entries(values).filter(([key]) => text.includes(key)));
      expect(update(text, used)).toBe(`Invalid UpdateExpression: Incorrect operand type for operator or function; ${expected}`);
    }
    expect(update('set a = if_not_exists(c)')).toBe(
      'Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: if_not_exists, number of operands: 1',
    );
    expect(update('set a = list_append(c, d, e)')).toBe(
      'Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 3',
    );
    expect(update('set a = if_not_exists(:a, c)', { ':a': S('a') })).toBe(
      'Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists',
    );
    expect(update('set a = if_not_exists(if_not_exists(a, b), c)')).toBe(
      'Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists',
    );
    // Undefined names come before undefined values, and both before the function checks.
    expect(update('SET #a = if_not_exists(:c)', { ':a': S('a') }, { '#b': 'b' })).toBe(
      'Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #a',
    );
    expect(update('SET a = if_not_exists(:c)', { ':a': S('a') })).toBe(
      'Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :c',
    );
  });

  it('condition function operands', () => {
    expect(condition('begins_with(a)')).toBe(
      'Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 1',
    );
    expect(condition('attribute_exists(a, b)')).toBe(
      'Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2',
    );
    expect(condition('size(a, b) > :n', { ':n': N('1') })).toBe(
      'Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: size, number of operands: 2',
    );
    expect(condition('attribute_exists(:v)', { ':v': S('a') })).toBe(
      'Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_exists',
    );
    expect(condition('size(:v) > :v', { ':v': N('1') })).toBe(
      'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: size, operand type: N',
    );
    expect(condition('size(:v) > :n', { ':v': { BOOL: true }, ':n': N('1') })).toBe(
      'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: size, operand type: BOOL',
    );
    expect(condition('a < size(size(b))')).toBe(
      'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: size, operand type: N',
    );
    expect(condition('begins_with(s, :n)', { ':n': N('3') })).toBe(
      'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N',
    );
    expect(condition('begins_with(size(a), :s)', { ':s': S('3') })).toBe(
      'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N',
    );
    expect(condition('attribute_type(a, b)')).toBe(
      'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: attribute_type, operand type: {NS,SS,L,BS,N,M,B,BOOL,NULL,S}',
    );
    expect(condition('attribute_type(a, :t)', { ':t': N('1') })).toBe(
      'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N',
    );
    expect(condition('attribute_type(a, :t)', { ':t': S('STRING') })).toBe(
      'Invalid ConditionExpression: Invalid attribute type name found; type: STRING, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}',
    );
    expect(condition('a = a')).toBe(
      'Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]',
    );
    expect(condition('contains(#p.b, p.b)', undefined, { '#p': 'p' })).toBe(
      'Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: contains, first operand: [p, b]',
    );
  });

  it('BETWEEN bounds', () => {
    expect(condition('a between :b and :a', { ':a': S('a'), ':b': N('1') })).toBe(
      'Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:a}',
    );
    expect(condition('a between :b and :a', { ':a': S('a'), ':b': S('b') })).toBe(
      'Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {S:b}, upper bound operand: AttributeValue: {S:a}',
    );
    expect(condition('a between :b and :a', { ':a': N('9'), ':b': N('10') })).toBe(
      'Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:10}, upper bound operand: AttributeValue: {N:9}',
    );
    expect(condition('a between :a and :a', { ':a': N('9') })).toBeUndefined();
  });

  it('reports the first leaf with a problem, its problems in dynalite\'s order', () => {
    expect(condition('begins_with(a) AND #undefined = :v', { ':v': S('v') })).toBe(
      'Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 1',
    );
    expect(condition('begins_with(#x) AND a = :v', { ':v': S('v') })).toBe(
      'Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #x',
    );
  });
});

describe('KeyConditionExpression structure (no schema)', () => {
  const key = (text: string, values?: Record<string, AttributeValue>) =>
    messageOf({ KeyConditionExpression: text, ExpressionAttributeValues: values }, QUERY);
  it.each([
    ['a > b and size(b) > c or a > c', 'Invalid operator used in KeyConditionExpression: OR'],
    ['a in (b, size(c), d)', 'Invalid operator used in KeyConditionExpression: IN'],
    ['attribute_exists(a)', 'Invalid operator used in KeyConditionExpression: attribute_exists'],
    ['attribute_not_exists(a)', 'Invalid operator used in KeyConditionExpression: attribute_not_exists'],
    ['contains(a.d, b)', 'Invalid operator used in KeyConditionExpression: contains'],
    ['not a > b', 'Invalid operator used in KeyConditionExpression: NOT'],
    ['a <> b', 'Invalid operator used in KeyConditionExpression: <>'],
    ['size(b) > a AND a.b > b AND b > c', 'KeyConditionExpressions cannot contain nested operations'],
    ['a > size(b.d)', 'KeyConditionExpressions cannot contain nested operations'],
    ['b > a.b', 'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition'],
    ['b between c[1] and d', 'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition'],
    ['a between b and size(a)', 'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition'],
    ['begins_with(a, b)', 'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition'],
    ['b.d > a AND c.d > e.f', 'KeyConditionExpressions cannot have conditions on nested attributes'],
    ['b[0] > a', 'KeyConditionExpressions cannot have conditions on nested attributes'],
  ])('%j', (text, expected) => {
    expect(key(text)).toBe(expected);
  });

  it('checks the operands against the key attribute', () => {
    const values = { ':a': S('1'), ':b': S('1') };
    expect(key(':a between size(b) and size(a) and b > :b', values)).toBe(
      'Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand',
    );
    expect(key('begins_with(:a, b) and a > :b', values)).toBe(
      'Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand',
    );
    expect(key(':b > :a AND a < :b', values)).toBe('Invalid condition in KeyConditionExpression: No key attribute specified');
    expect(key('b > :a AND b < :a and c = :a', { ':a': N('1') })).toBe('KeyConditionExpressions must only contain one condition per key');
    expect(key('(a > :a and b > :a) and (b > :a and c > :a)', { ':a': N('1') })).toBe('KeyConditionExpressions must only contain one condition per key');
    expect(key('attribute_type(a, :a)', { ':a': S('S') })).toBe('Invalid operator used in KeyConditionExpression: attribute_type');
  });

  it('accepts a key condition, parenthesised or not', () => {
    const values = { ':pk': S('p'), ':sk': S('1') };
    const expected = {
      keyCondition: {
        kind: 'and',
        left: { kind: 'compare', op: '=', left: { kind: 'path', path: ['pk'] }, right: { kind: 'value', value: S('p') } },
        right: { kind: 'begins_with', operand: { kind: 'path', path: ['sk'] }, prefix: { kind: 'value', value: S('1') } },
      },
    };
    for (const text of ['pk = :pk AND begins_with(sk, :sk)', '(pk = :pk) AND (begins_with(sk, :sk))', '(pk = :pk AND (begins_with(sk, :sk)))']) {
      expect(compile({ KeyConditionExpression: text, ExpressionAttributeValues: values }, QUERY)).toEqual(expected);
    }
  });
});

describe('documented examples', () => {
  it('compile', () => {
    expect(
      compile(
        { UpdateExpression: 'SET #n = :v', ExpressionAttributeNames: { '#n': 'name' }, ExpressionAttributeValues: { ':v': { S: 'x' } } },
        ['UpdateExpression', 'ConditionExpression'],
      ),
    ).toEqual({ update: { set: [{ path: ['name'], value: { kind: 'value', value: { S: 'x' } } }], remove: [], add: [], delete: [] } });
  });
});
