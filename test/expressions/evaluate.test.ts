import { describe, expect, it } from 'vitest';
import type { Comparator, Condition, Operand, Path } from '../../src/expressions/ast.js';
import {
  base64Of,
  compareBinary,
  compareNumberText,
  compareUtf8,
  compareValues,
  valuesEqual,
} from '../../src/expressions/compare.js';
import { evaluateCondition, resolvePath } from '../../src/expressions/evaluate.js';
import { setMember } from '../../src/model/member.js';
import type { AttributeValue, Item } from '../../src/model/index.js';

const p = (...path: Path): Operand => ({ kind: 'path', path });
const v = (value: AttributeValue): Operand => ({ kind: 'value', value });
const size = (...path: Path): Operand => ({ kind: 'size', path });
const cmp = (op: Comparator, left: Operand, right: Operand): Condition => ({ kind: 'compare', op, left, right });
const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);

/** Evaluates `left op right` with both as request values (no item needed). */
function holds(op: Comparator, left: AttributeValue, right: AttributeValue): boolean {
  return evaluateCondition(cmp(op, v(left), v(right)), undefined);
}

/** One value of every type, each unequal to all the others. */
const ONE_OF_EACH: AttributeValue[] = [
  { S: 'hello' },
  { N: '1' },
  { B: 'eHl6' },
  { BOOL: true },
  { NULL: true },
  { SS: ['hello', 'world'] },
  { NS: ['1', '2', '3'] },
  { BS: ['eHl6', 'aGk='] },
  { L: [{ S: 'hello' }, { N: '42' }] },
  { M: { hello: { S: 'world' } } },
];

describe('compareUtf8', () => {
  it('orders by code point where UTF-16 order differs', () => {
    // U+FF61 is EF BD A1 in UTF-8, U+1F600 is F0 9F 98 80; in UTF-16 units FF61 > D83D.
    expect('\uFF61' < '\uD83D\uDE00').toBe(false);
    expect(compareUtf8('\uFF61', '\uD83D\uDE00')).toBe(-1);
    expect(compareUtf8('\uD83D\uDE00', '\uFF61')).toBe(1);
    expect(compareUtf8('a\uE000', 'a\uD800\uDC00')).toBe(-1);
  });

  it('orders ASCII, prefixes and equal strings', () => {
    expect(compareUtf8('a', 'b')).toBe(-1);
    expect(compareUtf8('ab', 'abc')).toBe(-1);
    expect(compareUtf8('abc', 'ab')).toBe(1);
    expect(compareUtf8('', '')).toBe(0);
    expect(compareUtf8('Z', 'a')).toBe(-1);
    expect(compareUtf8('\u00FF', '\u0100')).toBe(-1);
    expect(compareUtf8('\uD83D\uDE00', '\uD83D\uDE01')).toBe(-1);
  });

  it('agrees with a byte comparison of the UTF-8 encoding on random strings', () => {
    const random = seeded(7);
    const alphabet = ['a', 'z', '\u00E9', '\u07FF', '\u0800', '\uD7FF', '\uE000', '\uFF61', '\uFFFF', '\uD83D\uDE00', '\uDBFF\uDFFF'];
    const word = () => Array.from({ length: random(4) }, () => alphabet[random(alphabet.length)]).join('');
    for (let i = 0; i < 3000; i++) {
      const a = word();
      const b = word();
      expect(compareUtf8(a, b)).toBe(Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b))));
    }
  });
});

describe('compareNumberText', () => {
  it('compares by value in any notation', () => {
    expect(compareNumberText('1.50', '1.5')).toBe(0);
    expect(compareNumberText('-10', '9')).toBe(-1);
    expect(compareNumberText('-1.5', '-1.25')).toBe(-1);
    expect(compareNumberText('0.001', '1e-2')).toBe(-1);
    expect(compareNumberText('1.5E2', '150')).toBe(0);
    expect(compareNumberText('-0', '0')).toBe(0);
    expect(compareNumberText('+.5', '0.5')).toBe(0);
  });

  it('is exact past double precision', () => {
    expect(compareNumberText('12345678901234567890.123', '12345678901234567890.124')).toBe(-1);
    expect(compareNumberText('0.10000000000000000000000000000000000001', '0.1')).toBe(1);
    expect(compareNumberText('99999999999999999999999999999999999999', '99999999999999999999999999999999999998')).toBe(1);
    expect(compareNumberText('1E-130', '0')).toBe(1);
    expect(compareNumberText('-9.9999999999999999999999999999999999999E+125', '-1E+125')).toBe(-1);
  });
});

describe('compareBinary', () => {
  it('runs its examples, and base64Of’s', () => {
    expect(compareBinary(new Uint8Array([0x7f]), new Uint8Array([0x80]))).toBe(-1);
    expect(base64Of(new Uint8Array([97]))).toBe('YQ==');
    expect(base64Of('YQ==')).toBe('YQ==');
  });

  it('orders unsigned bytes, base64 or raw', () => {
    expect(compareBinary(bytes(0x7f), bytes(0x80))).toBe(-1);
    expect(compareBinary('fw==', 'gA==')).toBe(-1); // 0x7f < 0x80
    expect(compareBinary('/w==', 'AAAA')).toBe(1); // 0xff > 0x00 0x00 0x00, though '/' < 'A' in ASCII
    expect(compareBinary(bytes(1, 2), 'AQI=')).toBe(0);
    expect(compareBinary(bytes(3, 4), 'BQY=')).toBe(-1);
  });

  it('puts a prefix first', () => {
    expect(compareBinary('AA==', 'AAA=')).toBe(-1); // [0] < [0, 0]
    expect(compareBinary(bytes(0, 0), bytes(0))).toBe(1);
    expect(compareBinary('', 'AA==')).toBe(-1);
    expect(compareBinary(bytes(), '')).toBe(0);
  });

  it('agrees with Buffer.compare on random bytes in mixed forms', () => {
    const random = seeded(11);
    const value = () => Uint8Array.from({ length: random(5) }, () => [0, 1, 0x7f, 0x80, 0xfe, 0xff][random(6)]!);
    for (let i = 0; i < 3000; i++) {
      const a = value();
      const b = value();
      const expected = Math.sign(Buffer.compare(a, b));
      expect(compareBinary(base64Of(a), base64Of(b))).toBe(expected);
      expect(compareBinary(a, base64Of(b))).toBe(expected);
      expect(compareBinary(a, b)).toBe(expected);
    }
  });
});

describe('valuesEqual', () => {
  it('runs its examples', () => {
    expect(valuesEqual({ SS: ['a', 'b'] }, { SS: ['b', 'a'] })).toBe(true);
    expect(valuesEqual({ N: '1' }, { S: '1' })).toBe(false);
  });

  it('finds every value equal to itself and to no value of another type', () => {
    for (const a of ONE_OF_EACH) {
      for (const b of ONE_OF_EACH) expect(valuesEqual(a, b)).toBe(a === b);
    }
  });

  it('compares numbers by value and binaries by bytes', () => {
    expect(valuesEqual({ N: '1.50' }, { N: '1.5' })).toBe(true);
    expect(valuesEqual({ N: '100' }, { N: '1E2' })).toBe(true);
    expect(valuesEqual({ N: '1' }, { N: '1.0000000000000000000000000000000000001' })).toBe(false);
    expect(valuesEqual({ B: bytes(120, 121, 122) }, { B: 'eHl6' })).toBe(true);
    expect(valuesEqual({ B: bytes(120) }, { B: 'eHl6' })).toBe(false);
  });

  it('compares sets regardless of order, numbers and binaries by value', () => {
    expect(valuesEqual({ NS: ['1.0', '2'] }, { NS: ['2', '1'] })).toBe(true);
    expect(valuesEqual({ NS: ['1', '2'] }, { NS: ['1', '3'] })).toBe(false);
    expect(valuesEqual({ BS: [bytes(1), 'Ag=='] }, { BS: ['Ag==', 'AQ=='] })).toBe(true);
    expect(valuesEqual({ SS: ['a'] }, { SS: ['a', 'b'] })).toBe(false);
    const many = Array.from({ length: 40 }, (_, i) => `e${i}`);
    expect(valuesEqual({ SS: many }, { SS: [...many].reverse() })).toBe(true);
    expect(valuesEqual({ SS: many }, { SS: [...many.slice(1), 'other'] })).toBe(false);
  });

  it('compares lists in order and maps by key, deeply', () => {
    expect(valuesEqual({ L: [{ N: '1' }, { S: 'a' }] }, { L: [{ N: '1.0' }, { S: 'a' }] })).toBe(true);
    expect(valuesEqual({ L: [{ N: '1' }, { S: 'a' }] }, { L: [{ S: 'a' }, { N: '1' }] })).toBe(false);
    expect(valuesEqual({ L: [] }, { L: [{ NULL: true }] })).toBe(false);
    expect(valuesEqual({ M: { a: { N: '1' }, b: { SS: ['x', 'y'] } } }, { M: { b: { SS: ['y', 'x'] }, a: { N: '1.0' } } })).toBe(true);
    expect(valuesEqual({ M: { a: { N: '1' } } }, { M: { a: { N: '1' }, b: { N: '1' } } })).toBe(false);
    expect(valuesEqual({ M: { a: { N: '1' }, b: { N: '1' } } }, { M: { a: { N: '1' } } })).toBe(false);
    expect(valuesEqual({ M: { a: { N: '1' } } }, { M: { b: { N: '1' } } })).toBe(false);
    expect(valuesEqual({ BOOL: false }, { BOOL: true })).toBe(false);
  });
});

describe('compareValues', () => {
  it('runs its examples', () => {
    expect(compareValues({ N: '-1.5' }, { N: '2' })).toBe(-1);
    expect(compareValues({ N: '1' }, { S: '1' })).toBeUndefined();
  });

  it('orders only S, N and B against their own type', () => {
    for (const a of ONE_OF_EACH) {
      for (const b of ONE_OF_EACH) {
        const ordered = a === b && ('S' in a || 'N' in a || 'B' in a);
        expect(compareValues(a, b)).toBe(ordered ? 0 : undefined);
      }
    }
  });
});

describe('resolvePath', () => {
  const item: Item = {
    a: { M: { b: { L: [{ S: 'x' }, { M: { c: { N: '1' } } }] } } },
    s: { S: 'scalar' },
  };

  it('runs its example', () => {
    expect(resolvePath({ a: { L: [{ M: { b: { S: 'x' } } }] } }, ['a', 0, 'b'])).toEqual({ S: 'x' });
  });

  it('walks maps and lists', () => {
    expect(resolvePath(item, ['a', 'b', 1, 'c'])).toEqual({ N: '1' });
    expect(resolvePath(item, ['a', 'b', 0])).toEqual({ S: 'x' });
  });

  it('finds nothing past the end, through the wrong kind, or in a missing item', () => {
    expect(resolvePath(item, ['a', 'b', 2])).toBeUndefined();
    expect(resolvePath(item, ['a', 0])).toBeUndefined();
    expect(resolvePath(item, ['a', 'b', 'c'])).toBeUndefined();
    expect(resolvePath(item, ['s', 'x'])).toBeUndefined();
    expect(resolvePath(item, ['s', 0])).toBeUndefined();
    expect(resolvePath(item, ['missing', 'x'])).toBeUndefined();
    expect(resolvePath(undefined, ['a'])).toBeUndefined();
  });

  it('sees only the item’s own attributes', () => {
    expect(resolvePath(item, ['constructor'])).toBeUndefined();
    expect(resolvePath(item, ['toString'])).toBeUndefined();
    expect(resolvePath(item, ['__proto__'])).toBeUndefined();
    expect(resolvePath(item, ['a', 'hasOwnProperty'])).toBeUndefined();
    const parsed = JSON.parse('{"__proto__": {"S": "own"}}') as Item;
    expect(resolvePath(parsed, ['__proto__'])).toEqual({ S: 'own' });
  });
});

describe('setMember', () => {
  it('runs its example: "__proto__" becomes an own attribute', () => {
    const map: Item = {};
    setMember(map, '__proto__', { S: 'x' });
    expect(Object.keys(map)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(map)).toBe(Object.prototype);
    expect(resolvePath(map, ['__proto__'])).toEqual({ S: 'x' });
    setMember(map, 'a', { N: '1' });
    expect(map.a).toEqual({ N: '1' });
  });
});

describe('evaluateCondition: comparisons', () => {
  it('runs its example', () => {
    expect(
      evaluateCondition(
        { kind: 'compare', op: '>', left: { kind: 'path', path: ['n'] }, right: { kind: 'value', value: { N: '3' } } },
        { n: { N: '5' } },
      ),
    ).toBe(true);
  });

  it('= and <> on every pair of types', () => {
    for (const a of ONE_OF_EACH) {
      for (const b of ONE_OF_EACH) {
        expect(holds('=', a, b)).toBe(a === b);
        expect(holds('<>', a, b)).toBe(a !== b);
      }
    }
  });

  it('= by value against a stored item', () => {
    const item: Item = { n: { N: '1.5' }, b: { B: 'AQI=' }, ss: { SS: ['a', 'b'] } };
    expect(evaluateCondition(cmp('=', p('n'), v({ N: '1.50' })), item)).toBe(true);
    expect(evaluateCondition(cmp('=', p('b'), v({ B: bytes(1, 2) })), item)).toBe(true);
    expect(evaluateCondition(cmp('=', p('ss'), v({ SS: ['b', 'a'] })), item)).toBe(true);
    expect(evaluateCondition(cmp('<>', p('ss'), v({ SS: ['a', 'c'] })), item)).toBe(true);
    expect(evaluateCondition(cmp('=', p('n'), p('n')), item)).toBe(true);
  });

  it('orders strings by UTF-8 bytes', () => {
    expect(holds('<', { S: '\uFF61' }, { S: '\uD83D\uDE00' })).toBe(true);
    expect(holds('>', { S: '\uFF61' }, { S: '\uD83D\uDE00' })).toBe(false);
    expect(holds('>=', { S: '\uD83D\uDE00' }, { S: '\uFF61' })).toBe(true);
    expect(holds('<=', { S: 'banana' }, { S: 'banana' })).toBe(true);
    expect(holds('<', { S: 'apple' }, { S: 'banana' })).toBe(true);
    expect(holds('<', { S: 'banana' }, { S: 'apple' })).toBe(false);
  });

  it('orders negative and fractional numbers by value', () => {
    expect(holds('<', { N: '-10' }, { N: '-9.5' })).toBe(true);
    expect(holds('>', { N: '0.25' }, { N: '0.125' })).toBe(true);
    expect(holds('<=', { N: '1.50' }, { N: '1.5' })).toBe(true);
    expect(holds('>=', { N: '-0.001' }, { N: '-1E-3' })).toBe(true);
    expect(holds('<', { N: '-1E+100' }, { N: '1E-100' })).toBe(true);
    expect(holds('>', { N: '10' }, { N: '9' })).toBe(true); // not text order
  });

  it('orders binaries by unsigned bytes', () => {
    expect(holds('<', { B: bytes(0x7f) }, { B: bytes(0x80) })).toBe(true);
    expect(holds('>', { B: 'BQY=' }, { B: bytes(3, 4) })).toBe(true);
    expect(holds('<=', { B: 'AQI=' }, { B: bytes(1, 2) })).toBe(true);
    expect(holds('<', { B: bytes(1) }, { B: bytes(1, 0) })).toBe(true);
  });

  it('is false for different types and unordered types, both ways', () => {
    for (const op of ['<', '<=', '>', '>='] as const) {
      expect(holds(op, { N: '1' }, { S: '1' })).toBe(false);
      expect(holds(op, { S: '1' }, { N: '1' })).toBe(false);
      expect(holds(op, { B: 'AQ==' }, { S: 'AQ==' })).toBe(false);
      for (const value of [{ BOOL: true }, { NULL: true }, { SS: ['a'] }, { NS: ['1'] }, { BS: ['AQ=='] }, { L: [] }, { M: {} }] as AttributeValue[]) {
        expect(holds(op, value, value)).toBe(false);
      }
    }
  });

  it('treats an absent operand as DynamoDB does: <> true, everything else false', () => {
    const item: Item = { a: { N: '1' } };
    for (const op of ['=', '<', '<=', '>', '>='] as const) {
      expect(evaluateCondition(cmp(op, p('q'), v({ N: '1' })), item)).toBe(false);
      expect(evaluateCondition(cmp(op, v({ N: '1' }), p('q')), item)).toBe(false);
      expect(evaluateCondition(cmp(op, p('q'), p('z')), item)).toBe(false);
    }
    expect(evaluateCondition(cmp('<>', p('q'), v({ N: '1' })), item)).toBe(true);
    expect(evaluateCondition(cmp('<>', v({ N: '1' }), p('q')), item)).toBe(true);
    expect(evaluateCondition(cmp('<>', p('q'), p('z')), item)).toBe(true);
    expect(evaluateCondition(cmp('<>', p('status'), v({ S: 'working' })), undefined)).toBe(true);
    expect(evaluateCondition(cmp('=', p('status'), v({ S: 'working' })), undefined)).toBe(false);
  });
});

describe('evaluateCondition: BETWEEN and IN', () => {
  const between = (operand: Operand, low: Operand, high: Operand): Condition => ({ kind: 'between', operand, low, high });
  const item: Item = { n: { N: '30' }, s: { S: 'cat' }, b: { B: 'AwQ=' }, l: { L: [{ N: '1' }] }, lo: { N: '0' }, hi: { N: '2' }, one: { N: '1' } };

  it('includes both bounds', () => {
    expect(evaluateCondition(between(p('n'), v({ N: '26' }), v({ N: '34' })), item)).toBe(true);
    expect(evaluateCondition(between(p('n'), v({ N: '30' }), v({ N: '30.0' })), item)).toBe(true);
    expect(evaluateCondition(between(p('n'), v({ N: '31' }), v({ N: '34' })), item)).toBe(false);
    expect(evaluateCondition(between(p('s'), v({ S: 'aardvark' }), v({ S: 'dog' })), item)).toBe(true);
    expect(evaluateCondition(between(p('s'), v({ S: 'dog' }), v({ S: 'zebra' })), item)).toBe(false);
    expect(evaluateCondition(between(p('b'), v({ B: bytes(1, 2) }), v({ B: bytes(3, 4) })), item)).toBe(true);
    expect(evaluateCondition(between(p('b'), v({ B: bytes(3, 5) }), v({ B: bytes(9) })), item)).toBe(false);
    expect(evaluateCondition(between(p('one'), p('lo'), p('hi')), item)).toBe(true);
  });

  it('is false for other types, absent operands and bounds in the wrong order', () => {
    expect(evaluateCondition(between(p('n'), v({ S: '0' }), v({ S: '99' })), item)).toBe(false);
    expect(evaluateCondition(between(p('n'), v({ N: '0' }), v({ S: '99' })), item)).toBe(false);
    expect(evaluateCondition(between(p('l'), v({ L: [] }), v({ L: [{ N: '2' }] })), item)).toBe(false);
    expect(evaluateCondition(between(p('q'), v({ N: '0' }), v({ N: '99' })), item)).toBe(false);
    expect(evaluateCondition(between(p('n'), p('q'), v({ N: '99' })), item)).toBe(false);
    expect(evaluateCondition(between(p('n'), v({ N: '0' }), p('q')), item)).toBe(false);
    expect(evaluateCondition(between(p('one'), p('hi'), p('lo')), item)).toBe(false);
  });

  it('IN matches any candidate of any type, by value', () => {
    const inList = (operand: Operand, ...list: Operand[]): Condition => ({ kind: 'in', operand, list });
    expect(evaluateCondition(inList(p('n'), v({ S: 'dog' }), v({ N: '3E1' })), item)).toBe(true);
    expect(evaluateCondition(inList(p('n'), v({ S: '30' }), v({ N: '31' })), item)).toBe(false);
    expect(evaluateCondition(inList(p('l'), v({ L: [{ N: '1.0' }] })), item)).toBe(true);
    expect(evaluateCondition(inList(p('q'), v({ N: '30' })), item)).toBe(false);
    expect(evaluateCondition(inList(p('n'), p('q'), p('n')), item)).toBe(true);
    expect(evaluateCondition(inList(p('n'), p('q')), item)).toBe(false);
  });
});

describe('evaluateCondition: functions', () => {
  const item: Item = {
    pk: { S: 'fo-1' },
    s: { S: 'abdef' },
    n: { N: '1234' },
    b: { B: 'AQIDBAU=' }, // 01 02 03 04 05
    ss: { SS: ['abd', 'bde'] },
    ns: { NS: ['123', '234.5'] },
    bs: { BS: ['AQI=', 'Aw=='] },
    l: { L: [{ N: '123' }, { S: 'bde' }, { SS: ['x', 'y'] }, { L: [{ N: '3' }, { N: '4' }] }, { B: 'AQI=' }] },
    m: { M: { nested: { S: 'v0' }, k1: { S: 'v1' } } },
    t: { BOOL: true },
    z: { NULL: true },
    u: { S: '\u00E9\uD834\uDD1E' }, // é𝄞: 2 characters, 3 UTF-16 units, 6 UTF-8 bytes
  };
  const contains = (operand: Operand, value: Operand): Condition => ({ kind: 'contains', operand, value });
  const beginsWith = (operand: Operand, prefix: Operand): Condition => ({ kind: 'begins_with', operand, prefix });

  it('attribute_exists and attribute_not_exists, nested and on a missing item', () => {
    const exists = (...path: Path): Condition => ({ kind: 'attribute_exists', path });
    const notExists = (...path: Path): Condition => ({ kind: 'attribute_not_exists', path });
    expect(evaluateCondition(exists('s'), item)).toBe(true);
    expect(evaluateCondition(exists('z'), item)).toBe(true); // NULL exists
    expect(evaluateCondition(exists('m', 'k1'), item)).toBe(true);
    expect(evaluateCondition(exists('l', 3, 1), item)).toBe(true);
    expect(evaluateCondition(exists('l', 5), item)).toBe(false);
    expect(evaluateCondition(exists('m', 'k9'), item)).toBe(false);
    expect(evaluateCondition(exists('constructor'), item)).toBe(false);
    expect(evaluateCondition(notExists('q'), item)).toBe(true);
    expect(evaluateCondition(notExists('s'), item)).toBe(false);
    expect(evaluateCondition(notExists('pk'), undefined)).toBe(true);
    expect(evaluateCondition(exists('pk'), undefined)).toBe(false);
  });

  it('attribute_type for every type', () => {
    const names: Record<string, string> = { s: 'S', n: 'N', b: 'B', ss: 'SS', ns: 'NS', bs: 'BS', l: 'L', m: 'M', t: 'BOOL', z: 'NULL' };
    for (const [attribute, type] of Object.entries(names)) {
      for (const other of Object.values(names)) {
        const condition: Condition = { kind: 'attribute_type', path: [attribute], type: v({ S: other }) };
        expect(evaluateCondition(condition, item)).toBe(other === type);
      }
    }
    expect(evaluateCondition({ kind: 'attribute_type', path: ['l', 2], type: v({ S: 'SS' }) }, item)).toBe(true);
    expect(evaluateCondition({ kind: 'attribute_type', path: ['q'], type: v({ S: 'S' }) }, item)).toBe(false);
  });

  it('begins_with on strings and binaries only', () => {
    expect(evaluateCondition(beginsWith(p('s'), v({ S: 'abd' })), item)).toBe(true);
    expect(evaluateCondition(beginsWith(p('s'), v({ S: '' })), item)).toBe(true);
    expect(evaluateCondition(beginsWith(p('s'), v({ S: 'bd' })), item)).toBe(false);
    expect(evaluateCondition(beginsWith(p('s'), v({ S: 'abdefg' })), item)).toBe(false);
    expect(evaluateCondition(beginsWith(p('b'), v({ B: bytes(1, 2) })), item)).toBe(true);
    expect(evaluateCondition(beginsWith(p('b'), v({ B: 'AQID' })), item)).toBe(true);
    expect(evaluateCondition(beginsWith(p('b'), v({ B: bytes(2) })), item)).toBe(false);
    expect(evaluateCondition(beginsWith(p('b'), v({ S: 'AQ' })), item)).toBe(false);
    expect(evaluateCondition(beginsWith(p('s'), v({ B: 'YWJk' })), item)).toBe(false);
    expect(evaluateCondition(beginsWith(p('n'), v({ S: '12' })), item)).toBe(false);
    expect(evaluateCondition(beginsWith(p('ss'), v({ S: 'abd' })), item)).toBe(false);
    expect(evaluateCondition(beginsWith(p('q'), v({ S: 'a' })), item)).toBe(false);
    expect(evaluateCondition(beginsWith(v({ S: 'abdefgh' }), p('s')), item)).toBe(true);
  });

  it('contains: substrings of strings, byte runs of binaries', () => {
    expect(evaluateCondition(contains(p('s'), v({ S: 'bde' })), item)).toBe(true);
    expect(evaluateCondition(contains(p('s'), v({ S: 'abf' })), item)).toBe(false);
    expect(evaluateCondition(contains(p('b'), v({ B: bytes(3, 4) })), item)).toBe(true);
    expect(evaluateCondition(contains(p('b'), v({ B: 'BAU=' })), item)).toBe(true);
    expect(evaluateCondition(contains(p('b'), v({ B: bytes(2, 4) })), item)).toBe(false);
    expect(evaluateCondition(contains(p('s'), v({ B: 'YmRl' })), item)).toBe(false);
    expect(evaluateCondition(contains(p('n'), v({ N: '23' })), item)).toBe(false);
    expect(evaluateCondition(contains(p('n'), v({ S: '23' })), item)).toBe(false);
  });

  it('contains: set members of the set’s element type', () => {
    expect(evaluateCondition(contains(p('ss'), v({ S: 'bde' })), item)).toBe(true);
    expect(evaluateCondition(contains(p('ss'), v({ S: 'bd' })), item)).toBe(false);
    expect(evaluateCondition(contains(p('ns'), v({ N: '234.50' })), item)).toBe(true);
    expect(evaluateCondition(contains(p('ns'), v({ S: '123' })), item)).toBe(false);
    expect(evaluateCondition(contains(p('ss'), v({ N: '123' })), item)).toBe(false);
    expect(evaluateCondition(contains(p('bs'), v({ B: bytes(3) })), item)).toBe(true);
    expect(evaluateCondition(contains(p('bs'), v({ B: bytes(1) })), item)).toBe(false);
    expect(evaluateCondition(contains(p('bs'), v({ S: 'Aw==' })), item)).toBe(false);
    expect(evaluateCondition(contains(p('ss'), v({ SS: ['abd'] })), item)).toBe(false);
  });

  it('contains: list elements equal to the operand, of any type', () => {
    expect(evaluateCondition(contains(p('l'), v({ S: 'bde' })), item)).toBe(true);
    expect(evaluateCondition(contains(p('l'), v({ S: 'bd' })), item)).toBe(false);
    expect(evaluateCondition(contains(p('l'), v({ N: '123.0' })), item)).toBe(true);
    expect(evaluateCondition(contains(p('l'), v({ SS: ['y', 'x'] })), item)).toBe(true);
    expect(evaluateCondition(contains(p('l'), v({ L: [{ N: '3' }, { N: '4' }] })), item)).toBe(true);
    expect(evaluateCondition(contains(p('l'), v({ L: [{ N: '4' }, { N: '3' }] })), item)).toBe(false);
    expect(evaluateCondition(contains(p('l'), v({ B: bytes(1, 2) })), item)).toBe(true);
    expect(evaluateCondition(contains(p('m'), v({ S: 'v0' })), item)).toBe(false);
    expect(evaluateCondition(contains(p('q'), v({ S: 'v0' })), item)).toBe(false);
    expect(evaluateCondition({ kind: 'not', condition: contains(p('q'), v({ S: 'v0' })) }, item)).toBe(true);
  });

  it('size: UTF-16 units of strings, bytes of binaries, elements, entries', () => {
    const sizeIs = (attribute: string, n: string): boolean => evaluateCondition(cmp('=', size(attribute), v({ N: n })), item);
    expect(sizeIs('s', '5')).toBe(true);
    expect(sizeIs('u', '3')).toBe(true);
    expect(sizeIs('b', '5')).toBe(true);
    expect(sizeIs('ss', '2')).toBe(true);
    expect(sizeIs('ns', '2')).toBe(true);
    expect(sizeIs('bs', '2')).toBe(true);
    expect(sizeIs('l', '5')).toBe(true);
    expect(sizeIs('m', '2')).toBe(true);
    expect(evaluateCondition(cmp('=', size('l', 3), v({ N: '2' })), item)).toBe(true);
    expect(evaluateCondition(cmp('>', size('s'), v({ N: '3' })), item)).toBe(true);
    expect(evaluateCondition(cmp('=', size('s'), v({ S: '5' })), item)).toBe(false);
    expect(evaluateCondition(cmp('=', size('s'), p('q')), item)).toBe(false);
    expect(evaluateCondition(cmp('=', size('b'), { kind: 'size', path: ['s'] }), item)).toBe(true);
    expect(evaluateCondition(cmp('=', size('x'), v({ N: '0' })), { x: { S: '' } })).toBe(true);
    expect(evaluateCondition(cmp('=', size('x'), v({ N: '1' })), { x: { B: bytes(9) } })).toBe(true);
  });

  it('size of a number, boolean, NULL or absent attribute makes the comparison fail', () => {
    for (const attribute of ['n', 't', 'z', 'q']) {
      for (const op of ['=', '<', '<=', '>', '>='] as const) {
        expect(evaluateCondition(cmp(op, size(attribute), v({ N: '1' })), item)).toBe(false);
      }
    }
  });
});

describe('evaluateCondition: nested paths and logic', () => {
  const item: Item = {
    name: { S: 'alice' },
    age: { N: '30' },
    mapAttr: { M: { nested: { S: 'deep-value' } } },
    listAttr: { L: [{ S: 'first' }, { S: 'second' }] },
    b: { L: [{ S: 'x' }, { M: { a: { M: { b: { S: 'y' } } } } }] },
  };

  it('compares through maps and lists', () => {
    expect(evaluateCondition(cmp('=', p('mapAttr', 'nested'), v({ S: 'deep-value' })), item)).toBe(true);
    expect(evaluateCondition(cmp('=', p('listAttr', 0), v({ S: 'first' })), item)).toBe(true);
    expect(evaluateCondition(cmp('=', p('b', 1, 'a', 'b'), v({ S: 'y' })), item)).toBe(true);
    expect(evaluateCondition(cmp('=', p('b', 'a', 'b'), v({ S: 'y' })), item)).toBe(false);
    expect(evaluateCondition(cmp('<>', p('listAttr', 7), v({ S: 'first' })), item)).toBe(true);
    expect(evaluateCondition(cmp('<', p('age'), p('listAttr', 100)), item)).toBe(false);
  });

  it('AND, OR, NOT', () => {
    const nameIs = (s: string): Condition => cmp('=', p('name'), v({ S: s }));
    const older = (n: string): Condition => cmp('>', p('age'), v({ N: n }));
    expect(evaluateCondition({ kind: 'and', left: nameIs('alice'), right: older('20') }, item)).toBe(true);
    expect(evaluateCondition({ kind: 'and', left: nameIs('alice'), right: older('30') }, item)).toBe(false);
    expect(evaluateCondition({ kind: 'or', left: nameIs('bob'), right: older('29.99') }, item)).toBe(true);
    expect(evaluateCondition({ kind: 'or', left: nameIs('bob'), right: older('30') }, item)).toBe(false);
    expect(evaluateCondition({ kind: 'not', condition: nameIs('bob') }, item)).toBe(true);
    expect(evaluateCondition({ kind: 'not', condition: { kind: 'not', condition: nameIs('bob') } }, item)).toBe(false);
  });

  it('takes no update-only operand as a value', () => {
    const ifNotExists: Operand = { kind: 'if_not_exists', path: ['name'], operand: v({ S: 'alice' }) };
    expect(evaluateCondition(cmp('=', ifNotExists, v({ S: 'alice' })), item)).toBe(false);
  });
});

/** A small deterministic generator: random(n) is an integer in [0, n). */
function seeded(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return Math.floor((state / 2 ** 32) * n);
  };
}
