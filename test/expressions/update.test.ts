import { describe, expect, it } from 'vitest';
import type { Operand, Path, Update } from '../../src/expressions/ast.js';
import { project } from '../../src/expressions/project.js';
import {
  INCORRECT_OPERAND_TYPE,
  INVALID_DOCUMENT_PATH,
  MISSING_ATTRIBUTE,
  applyUpdate,
} from '../../src/expressions/update.js';
import {
  type AttributeValue,
  type Item,
  cloneItem,
  messages,
  toStoredItem,
  validateAttributeValue,
} from '../../src/model/index.js';

const p = (...path: Path): Operand => ({ kind: 'path', path });
const v = (value: AttributeValue): Operand => ({ kind: 'value', value });
const plus = (left: Operand, right: Operand): Operand => ({ kind: '+', left, right });
const minus = (left: Operand, right: Operand): Operand => ({ kind: '-', left, right });
const listAppend = (left: Operand, right: Operand): Operand => ({ kind: 'list_append', left, right });
const ifNotExists = (path: Path, operand: Operand): Operand => ({ kind: 'if_not_exists', path, operand });

function update(parts: Partial<Update>): Update {
  return { set: [], remove: [], add: [], delete: [], ...parts };
}

const KEY: Item = { pk: { S: 'k1' } };

/** The new item of a successful update; fails the test with the message otherwise. */
function after(item: Item | undefined, parts: Partial<Update>, key: Item = KEY): Item {
  const result = applyUpdate(item, update(parts), key);
  if (result.message !== undefined) throw new Error(result.message);
  return result.item;
}

function failure(item: Item | undefined, parts: Partial<Update>): string | undefined {
  return applyUpdate(item, update(parts), KEY).message;
}

describe('applyUpdate: SET', () => {
  it('runs its example', () => {
    expect(
      applyUpdate(
        { pk: { S: 'a' }, n: { N: '1' } },
        { set: [{ path: ['n'], value: { kind: '+', left: { kind: 'path', path: ['n'] }, right: { kind: 'value', value: { N: '2' } } } }], remove: [], add: [], delete: [] },
        { pk: { S: 'a' } },
      ),
    ).toEqual({ item: { pk: { S: 'a' }, n: { N: '3' } }, updated: [['n']] });
  });

  it('creates the item from its key, in stored form', () => {
    expect(after(undefined, { set: [{ path: ['data'], value: v({ S: 'created' }) }] })).toEqual({ pk: { S: 'k1' }, data: { S: 'created' } });
    expect(after(undefined, { set: [{ path: ['x'], value: v({ N: '1' }) }] }, { pk: { N: '001.50' } })).toEqual({ pk: { N: '1.5' }, x: { N: '1' } });
  });

  it('stores values normalised: numbers without redundant zeros, binaries as base64', () => {
    const value: AttributeValue = {
      M: { n: { N: '+00.500' }, b: { B: new Uint8Array([1, 2]) }, ns: { NS: ['1.0', '2e1'] }, bs: { BS: [new Uint8Array([255])] }, l: { L: [{ N: '1E2' }] } },
    };
    expect(after(KEY, { set: [{ path: ['v'], value: v(value) }] }).v).toEqual({
      M: { n: { N: '0.5' }, b: { B: 'AQI=' }, ns: { NS: ['1', '20'] }, bs: { BS: ['/w=='] }, l: { L: [{ N: '100' }] } },
    });
  });

  it('sets an attribute named __proto__ as an attribute', () => {
    const result = after(undefined, { set: [{ path: ['__proto__'], value: v({ S: 'x' }) }] });
    expect(JSON.stringify(result)).toBe('{"pk":{"S":"k1"},"__proto__":{"S":"x"}}');
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
  });

  it('replaces an existing attribute and keeps the others', () => {
    const item = { ...KEY, data: { S: 'original' }, keep: { S: 'yes' } };
    expect(after(item, { set: [{ path: ['data'], value: v({ S: 'modified' }) }] })).toEqual({ ...KEY, data: { S: 'modified' }, keep: { S: 'yes' } });
  });

  it('computes every value from the item before the update', () => {
    const item = { ...KEY, a: { N: '1' }, b: { N: '2' } };
    expect(after(item, { set: [{ path: ['a'], value: p('b') }, { path: ['b'], value: p('a') }] })).toEqual({ ...KEY, a: { N: '2' }, b: { N: '1' } });
  });

  it('adds and subtracts exactly', () => {
    const item = { ...KEY, n: { N: '10' }, f: { N: '0.1' }, neg: { N: '-2.5' } };
    const set = (value: Operand) => after(item, { set: [{ path: ['r'], value }] }).r;
    expect(set(plus(p('n'), v({ N: '5' })))).toEqual({ N: '15' });
    expect(set(plus(p('f'), v({ N: '0.2' })))).toEqual({ N: '0.3' });
    expect(set(minus(p('neg'), v({ N: '0.5' })))).toEqual({ N: '-3' });
    expect(set(minus(v({ N: '1' }), p('n')))).toEqual({ N: '-9' });
    expect(set(minus(p('n'), p('n')))).toEqual({ N: '0' });
    expect(set(plus(v({ N: '12345678901234567890123456789012345678' }), v({ N: '1' })))).toEqual({ N: '12345678901234567890123456789012345679' });
    expect(set(plus(v({ N: '1E-130' }), v({ N: '1E-130' })))).toEqual({ N: '0.' + '0'.repeat(129) + '2' });
  });

  it('gives the number messages when a result cannot be stored', () => {
    const set = (value: Operand) => failure(KEY, { set: [{ path: ['r'], value }] });
    const max = '9.9999999999999999999999999999999999999E+125';
    expect(set(plus(v({ N: max }), v({ N: max })))).toBe(messages.NUMBER_OVERFLOW);
    expect(set(minus(v({ N: '-' + max }), v({ N: max })))).toBe(messages.NUMBER_OVERFLOW);
    expect(set(plus(v({ N: '1E+37' }), v({ N: '0.1' })))).toBe(messages.NUMBER_PRECISION);
    expect(set(minus(v({ N: '1.5E-130' }), v({ N: '1.4E-130' })))).toBe(messages.NUMBER_UNDERFLOW);
    expect(messages.NUMBER_OVERFLOW).toBe('Number overflow. Attempting to store a number with magnitude larger than supported range');
    expect(messages.NUMBER_PRECISION).toBe('Attempting to store more than 38 significant digits in a Number');
    expect(messages.NUMBER_UNDERFLOW).toBe('Number underflow. Attempting to store a number with magnitude smaller than supported range');
  });

  it('refuses arithmetic on anything but numbers', () => {
    const item = { ...KEY, s: { S: '1' }, l: { L: [] }, n: { N: '1' } };
    const set = (value: Operand) => failure(item, { set: [{ path: ['r'], value }] });
    expect(INCORRECT_OPERAND_TYPE).toBe('An operand in the update expression has an incorrect data type');
    expect(set(plus(p('s'), v({ N: '1' })))).toBe(INCORRECT_OPERAND_TYPE);
    expect(set(minus(v({ N: '1' }), p('l')))).toBe(INCORRECT_OPERAND_TYPE);
    expect(set(plus(p('n'), v({ S: '1' })))).toBe(INCORRECT_OPERAND_TYPE);
  });

  it('refuses a path operand that names nothing', () => {
    expect(MISSING_ATTRIBUTE).toBe('The provided expression refers to an attribute that does not exist in the item');
    expect(failure(KEY, { set: [{ path: ['c'], value: p('b') }] })).toBe(MISSING_ATTRIBUTE);
    expect(failure(KEY, { set: [{ path: ['c'], value: listAppend(p('b'), p('c')) }] })).toBe(MISSING_ATTRIBUTE);
    expect(failure(KEY, { set: [{ path: ['c'], value: plus(p('b'), v({ N: '1' })) }] })).toBe(MISSING_ATTRIBUTE);
    expect(failure(KEY, { set: [{ path: ['c'], value: plus(v({ N: '1' }), p('m', 'x')) }] })).toBe(MISSING_ATTRIBUTE);
    // The left operand is checked before the right one is computed.
    expect(failure({ ...KEY, s: { S: 'x' } }, { set: [{ path: ['c'], value: plus(p('s'), p('missing')) }] })).toBe(INCORRECT_OPERAND_TYPE);
  });

  it('if_not_exists keeps what is there, or takes the fallback (itself computed)', () => {
    const item = { ...KEY, existing: { S: 'keep-me' }, myval: { S: 'original' }, n: { N: '5' } };
    const result = after(item, {
      set: [
        { path: ['existing'], value: ifNotExists(['existing'], v({ S: 'default' })) },
        { path: ['newone'], value: ifNotExists(['newone'], v({ S: 'created' })) },
        { path: ['backup'], value: ifNotExists(['backup'], p('myval')) },
        { path: ['count'], value: plus(ifNotExists(['count'], v({ N: '0' })), v({ N: '1' })) },
        { path: ['n'], value: plus(ifNotExists(['n'], v({ N: '0' })), v({ N: '1' })) },
      ],
    });
    expect(result).toEqual({ ...item, newone: { S: 'created' }, backup: { S: 'original' }, count: { N: '1' }, n: { N: '6' } });
    expect(after(undefined, { set: [{ path: ['b'], value: ifNotExists(['b'], p('pk')) }] })).toEqual({ pk: { S: 'k1' }, b: { S: 'k1' } });
    expect(failure(KEY, { set: [{ path: ['b'], value: ifNotExists(['b'], p('nothing')) }] })).toBe(MISSING_ATTRIBUTE);
  });

  it('list_append joins lists in the order given, and only lists', () => {
    const item = { ...KEY, vals: { L: [{ S: 'a' }, { S: 'b' }] }, s: { S: 'x' } };
    expect(after(item, { set: [{ path: ['vals'], value: listAppend(p('vals'), v({ L: [{ S: 'c' }, { N: '1.0' }] })) }] }).vals).toEqual({
      L: [{ S: 'a' }, { S: 'b' }, { S: 'c' }, { N: '1' }],
    });
    expect(after(item, { set: [{ path: ['vals'], value: listAppend(v({ L: [{ B: new Uint8Array([1]) }] }), p('vals')) }] }).vals).toEqual({
      L: [{ B: 'AQ==' }, { S: 'a' }, { S: 'b' }],
    });
    expect(failure(item, { set: [{ path: ['vals'], value: listAppend(p('s'), p('vals')) }] })).toBe(INCORRECT_OPERAND_TYPE);
    expect(failure(item, { set: [{ path: ['vals'], value: listAppend(p('vals'), v({ SS: ['a'] })) }] })).toBe(INCORRECT_OPERAND_TYPE);
    expect(
      failure(item, { set: [{ path: ['e'], value: listAppend(p('s'), ifNotExists(['f'], v({ L: [] }))) }] }),
    ).toBe(INCORRECT_OPERAND_TYPE);
  });

  it('sets inside existing maps, and needs the parent to exist', () => {
    const item = { ...KEY, a: { M: { b: { M: { c: { S: 'old' } } } } }, topLevel: { S: 'val' } };
    expect(after(item, { set: [{ path: ['a', 'b', 'c'], value: v({ S: 'new' }) }, { path: ['a', 'b', 'd'], value: v({ N: '1' }) }] }).a).toEqual({
      M: { b: { M: { c: { S: 'new' }, d: { N: '1' } } } },
    });
    expect(INVALID_DOCUMENT_PATH).toBe('The document path provided in the update expression is invalid for update');
    expect(failure(item, { set: [{ path: ['missing', 'nested', 'deep'], value: v({ S: 'x' }) }] })).toBe(INVALID_DOCUMENT_PATH);
    expect(failure(undefined, { set: [{ path: ['b', 'a'], value: p('pk') }] })).toBe(INVALID_DOCUMENT_PATH);
    expect(failure(undefined, { set: [{ path: ['b', 1], value: p('pk') }] })).toBe(INVALID_DOCUMENT_PATH);
    expect(failure(item, { set: [{ path: ['topLevel', 'x'], value: v({ S: 'x' }) }] })).toBe(INVALID_DOCUMENT_PATH);
  });

  it('refuses an index into a map and a name into a list', () => {
    const item = { ...KEY, c: { M: { 1: { S: 'a' } } }, d: { L: [{ S: 'a' }, { S: 'b' }] } };
    expect(failure(item, { set: [{ path: ['c', 1], value: v({ S: 'x' }) }] })).toBe(INVALID_DOCUMENT_PATH);
    expect(failure(item, { set: [{ path: ['d', '1'], value: v({ S: 'x' }) }] })).toBe(INVALID_DOCUMENT_PATH);
  });

  it('replaces list elements, and appends past the end in index order', () => {
    const item = { ...KEY, l: { L: [{ S: 'a' }, { S: 'b' }, { S: 'c' }] } };
    expect(after(item, { set: [{ path: ['l', 1], value: v({ S: 'B' }) }] }).l).toEqual({ L: [{ S: 'a' }, { S: 'B' }, { S: 'c' }] });
    expect(after(item, { set: [{ path: ['l', 5], value: v({ S: 'inserted' }) }] }).l).toEqual({ L: [{ S: 'a' }, { S: 'b' }, { S: 'c' }, { S: 'inserted' }] });
    expect(
      after(item, { set: [{ path: ['l', 9], value: v({ S: 'nine' }) }, { path: ['l', 3], value: v({ S: 'three' }) }, { path: ['l', 7], value: v({ S: 'seven' }) }] }).l,
    ).toEqual({ L: [{ S: 'a' }, { S: 'b' }, { S: 'c' }, { S: 'three' }, { S: 'seven' }, { S: 'nine' }] });
    expect(after({ ...KEY, l: { L: [] } }, { set: [{ path: ['l', 0], value: v({ S: 'first' }) }] }).l).toEqual({ L: [{ S: 'first' }] });
    expect(failure(item, { set: [{ path: ['l', 5, 'x'], value: v({ S: 'x' }) }] })).toBe(INVALID_DOCUMENT_PATH);
  });
});

describe('applyUpdate: REMOVE', () => {
  const item: Item = {
    ...KEY,
    keep: { S: 'yes' },
    drop: { S: 'no' },
    mapAttr: { M: { nested: { S: 'gone' }, keep: { S: 'stay' } } },
    l: { L: [{ S: 'a' }, { S: 'b' }, { S: 'c' }, { S: 'd' }] },
    s: { S: 'scalar' },
  };

  it('removes attributes and map entries, silently when they are missing', () => {
    expect(after(item, { remove: [['drop'], ['ghost'], ['mapAttr', 'nested'], ['mapAttr', 'nonexistent']] })).toEqual({
      ...KEY,
      keep: { S: 'yes' },
      mapAttr: { M: { keep: { S: 'stay' } } },
      l: item.l,
      s: item.s,
    });
    expect(after(undefined, { remove: [['anything']] })).toEqual(KEY);
  });

  it('needs the parent to exist and be of the right kind', () => {
    expect(failure(item, { remove: [['y', 'a']] })).toBe(INVALID_DOCUMENT_PATH);
    expect(failure(item, { remove: [['y', 1]] })).toBe(INVALID_DOCUMENT_PATH);
    expect(failure(item, { remove: [['s', 'a']] })).toBe(INVALID_DOCUMENT_PATH);
    expect(failure(item, { remove: [['mapAttr', 1]] })).toBe(INVALID_DOCUMENT_PATH);
    expect(failure(item, { remove: [['l', 'x']] })).toBe(INVALID_DOCUMENT_PATH);
  });

  it('removes list elements, shifting the rest down', () => {
    expect(after(item, { remove: [['l', 1]] }).l).toEqual({ L: [{ S: 'a' }, { S: 'c' }, { S: 'd' }] });
    expect(after(item, { remove: [['l', 3]] }).l).toEqual({ L: [{ S: 'a' }, { S: 'b' }, { S: 'c' }] });
    expect(after(item, { remove: [['l', 9]] }).l).toEqual(item.l);
  });

  it('addresses several elements of one list by their original indexes', () => {
    expect(after(item, { remove: [['l', 1], ['l', 2]] }).l).toEqual({ L: [{ S: 'a' }, { S: 'd' }] });
    expect(after(item, { remove: [['l', 2], ['l', 0]] }).l).toEqual({ L: [{ S: 'b' }, { S: 'd' }] });
    expect(after(item, { remove: [['l', 0], ['l', 1], ['l', 2], ['l', 3]] }).l).toEqual({ L: [] });
    expect(after(item, { set: [{ path: ['l', 2], value: v({ S: 'C' }) }], remove: [['l', 0]] }).l).toEqual({ L: [{ S: 'b' }, { S: 'C' }, { S: 'd' }] });
    expect(after(item, { set: [{ path: ['l', 6], value: v({ S: 'end' }) }], remove: [['l', 3]] }).l).toEqual({ L: [{ S: 'a' }, { S: 'b' }, { S: 'c' }, { S: 'end' }] });
  });
});

describe('applyUpdate: ADD', () => {
  const item: Item = {
    ...KEY,
    count: { N: '10' },
    s: { S: 'x' },
    tags: { SS: ['a', 'b'] },
    ns: { NS: ['1.5', '2'] },
    bs: { BS: ['AQ=='] },
    l: { L: [{ N: '1' }] },
    m: { M: {} },
  };

  it('adds to a number, or creates it', () => {
    expect(after(item, { add: [{ path: ['count'], value: v({ N: '3' }) }] }).count).toEqual({ N: '13' });
    expect(after(item, { add: [{ path: ['count'], value: v({ N: '-10.5' }) }] }).count).toEqual({ N: '-0.5' });
    expect(after(item, { add: [{ path: ['counter'], value: v({ N: '010' }) }] }).counter).toEqual({ N: '10' });
    expect(after(undefined, { add: [{ path: ['hits'], value: v({ N: '1' }) }] })).toEqual({ ...KEY, hits: { N: '1' } });
    expect(after(item, { add: [{ path: ['m', 'n'], value: v({ N: '2' }) }] }).m).toEqual({ M: { n: { N: '2' } } });
    expect(failure(item, { add: [{ path: ['count'], value: v({ N: '1E+37' }) }, { path: ['x'], value: v({ N: '1' }) }] })).toBeUndefined();
    expect(failure({ ...KEY, n: { N: '1E+37' } }, { add: [{ path: ['n'], value: v({ N: '0.1' }) }] })).toBe(messages.NUMBER_PRECISION);
  });

  it('unites sets of the same type, by value', () => {
    expect(after(item, { add: [{ path: ['tags'], value: v({ SS: ['c', 'a', 'd'] }) }] }).tags).toEqual({ SS: ['a', 'b', 'c', 'd'] });
    expect(after(item, { add: [{ path: ['ns'], value: v({ NS: ['1.50', '3.0'] }) }] }).ns).toEqual({ NS: ['1.5', '2', '3'] });
    expect(after(item, { add: [{ path: ['bs'], value: v({ BS: [new Uint8Array([1]), new Uint8Array([2])] }) }] }).bs).toEqual({ BS: ['AQ==', 'Ag=='] });
    expect(after(item, { add: [{ path: ['newset'], value: v({ NS: ['01', '2.0'] }) }] }).newset).toEqual({ NS: ['1', '2'] });
  });

  it('refuses a value of another type than the attribute', () => {
    expect(failure(item, { add: [{ path: ['s'], value: v({ N: '1' }) }] })).toBe(INCORRECT_OPERAND_TYPE);
    expect(failure(item, { add: [{ path: ['tags'], value: v({ N: '1' }) }] })).toBe(INCORRECT_OPERAND_TYPE);
    expect(failure(item, { add: [{ path: ['count'], value: v({ NS: ['1'] }) }] })).toBe(INCORRECT_OPERAND_TYPE);
    expect(failure(item, { add: [{ path: ['tags'], value: v({ NS: ['1'] }) }] })).toBe(INCORRECT_OPERAND_TYPE);
    expect(failure(item, { add: [{ path: ['l'], value: v({ L: [{ N: '2' }] }) }] })).toBe(INCORRECT_OPERAND_TYPE);
    expect(failure(item, { add: [{ path: ['x'], value: v({ S: 'a' }) }] })).toBe(INCORRECT_OPERAND_TYPE);
  });

  it('needs the parent to exist', () => {
    expect(failure(item, { add: [{ path: ['y', 'a'], value: v({ N: '1' }) }] })).toBe(INVALID_DOCUMENT_PATH);
    expect(failure(item, { add: [{ path: ['m', 0], value: v({ N: '1' }) }] })).toBe(INVALID_DOCUMENT_PATH);
    expect(failure(item, { add: [{ path: ['s', 'a'], value: v({ SS: ['a'] }) }] })).toBe(INVALID_DOCUMENT_PATH);
  });
});

describe('applyUpdate: DELETE', () => {
  const item: Item = {
    ...KEY,
    tags: { SS: ['a', 'b', 'c'] },
    ns: { NS: ['1.5', '2'] },
    bs: { BS: ['AQ==', 'Ag=='] },
    n: { N: '1' },
    l: { L: [{ SS: ['x'] }, { S: 'after' }] },
  };

  it('takes elements out of a set', () => {
    expect(after(item, { delete: [{ path: ['tags'], value: v({ SS: ['b', 'z'] }) }] }).tags).toEqual({ SS: ['a', 'c'] });
    expect(after(item, { delete: [{ path: ['ns'], value: v({ NS: ['1.50'] }) }] }).ns).toEqual({ NS: ['2'] });
    expect(after(item, { delete: [{ path: ['bs'], value: v({ BS: [new Uint8Array([2])] }) }] }).bs).toEqual({ BS: ['AQ=='] });
  });

  it('removes the attribute with its last element, and does nothing to a missing one', () => {
    const { tags: _tags, ...rest } = item;
    expect(after(item, { delete: [{ path: ['tags'], value: v({ SS: ['a', 'b', 'c'] }) }] })).toEqual(rest);
    expect(after(item, { delete: [{ path: ['ghost'], value: v({ SS: ['a'] }) }] })).toEqual(item);
    expect(after(item, { delete: [{ path: ['l', 0], value: v({ SS: ['x'] }) }] }).l).toEqual({ L: [{ S: 'after' }] });
  });

  it('refuses a set of another type, and needs the parent to exist', () => {
    expect(failure(item, { delete: [{ path: ['tags'], value: v({ NS: ['1'] }) }] })).toBe(INCORRECT_OPERAND_TYPE);
    expect(failure(item, { delete: [{ path: ['n'], value: v({ NS: ['1'] }) }] })).toBe(INCORRECT_OPERAND_TYPE);
    expect(failure(item, { delete: [{ path: ['ns'], value: v({ BS: ['AQ=='] }) }] })).toBe(INCORRECT_OPERAND_TYPE);
    expect(failure(item, { delete: [{ path: ['tags'], value: v({ S: 'a' }) }] })).toBe(INCORRECT_OPERAND_TYPE);
    expect(failure(item, { delete: [{ path: ['y', 'a'], value: v({ SS: ['a'] }) }] })).toBe(INVALID_DOCUMENT_PATH);
    expect(failure(item, { delete: [{ path: ['l', 'a'], value: v({ SS: ['a'] }) }] })).toBe(INVALID_DOCUMENT_PATH);
  });
});

describe('applyUpdate: whole expressions', () => {
  it('matches dynalite’s nested update, run against DynamoDB', () => {
    // set b.c=((c[1])+(b.a)), b.a = a, c[1] = a, c[4] = b.a - b.b, c[2] = b.c add c[8] :b, c[6] :a
    const key: Item = { a: { S: 'key' } };
    const item: Item = { a: { S: 'key' }, b: { M: { a: { N: '1' }, b: { N: '2' }, c: { N: '3' } } }, c: { L: [{ N: '1' }, { N: '3' }] } };
    const result = applyUpdate(
      item,
      update({
        set: [
          { path: ['b', 'c'], value: plus(p('c', 1), p('b', 'a')) },
          { path: ['b', 'a'], value: p('a') },
          { path: ['c', 1], value: p('a') },
          { path: ['c', 4], value: minus(p('b', 'a'), p('b', 'b')) },
          { path: ['c', 2], value: p('b', 'c') },
        ],
        add: [
          { path: ['c', 8], value: v({ SS: ['a'] }) },
          { path: ['c', 6], value: v({ N: '2' }) },
        ],
      }),
      key,
    );
    if (result.message !== undefined) throw new Error(result.message);
    expect(result.item).toEqual({
      a: { S: 'key' },
      b: { M: { a: { S: 'key' }, b: { N: '2' }, c: { N: '4' } } },
      c: { L: [{ N: '1' }, { S: 'key' }, { N: '3' }, { N: '-1' }, { N: '2' }, { SS: ['a'] }] },
    });
    expect(result.updated).toEqual([['b', 'c'], ['b', 'a'], ['c', 1], ['c', 4], ['c', 2], ['c', 8], ['c', 6]]);
    expect(project(result.item, result.updated)).toEqual({ b: { M: { a: { S: 'key' }, c: { N: '4' } } }, c: { L: [{ S: 'key' }, { N: '3' }, { N: '2' }] } });
    expect(project(item, result.updated)).toEqual({ b: { M: { a: { N: '1' }, c: { N: '3' } } }, c: { L: [{ N: '3' }] } });
  });

  it('applies every clause and lists every path, SET, REMOVE, ADD, DELETE', () => {
    const result = applyUpdate(
      undefined,
      update({
        set: [{ path: ['f'], value: v({ L: [{ S: 'a' }, { N: '1' }] }) }],
        remove: [['b']],
        add: [{ path: ['d'], value: v({ N: '5' }) }, { path: ['e'], value: v({ SS: ['a', 'b'] }) }],
        delete: [{ path: ['c'], value: v({ SS: ['a', 'b'] }) }],
      }),
      { a: { S: 'key' } },
    );
    expect(result).toEqual({
      item: { a: { S: 'key' }, f: { L: [{ S: 'a' }, { N: '1' }] }, d: { N: '5' }, e: { SS: ['a', 'b'] } },
      updated: [['f'], ['b'], ['d'], ['e'], ['c']],
    });
  });

  it('reports a SET value’s error before any path error', () => {
    expect(failure(KEY, { set: [{ path: ['x', 'y'], value: v({ N: '1' }) }, { path: ['z'], value: p('missing') }] })).toBe(MISSING_ATTRIBUTE);
  });

  it('refuses to nest a document more than 32 levels deep', () => {
    let deep: AttributeValue = { S: 'leaf' };
    for (let i = 0; i < 31; i++) deep = { M: { x: deep } };
    const item: Item = { ...KEY, d: { M: { x: { S: 'x' } } } };
    expect(failure(item, { set: [{ path: ['d', 'y'], value: v(deep) }] })).toBe(messages.NESTING_TOO_DEEP);
    expect(failure(item, { set: [{ path: ['d', 'y'], value: v((deep as { M: Item }).M.x!) }] })).toBeUndefined();
  });

  it('never changes the item, the key or the expression, and shares nothing with them', () => {
    const item: Item = { ...KEY, l: { L: [{ N: '1' }, { M: { a: { SS: ['x'] } } }] }, m: { M: { n: { N: '1' } } }, ss: { SS: ['a'] } };
    const key = cloneItem(KEY);
    const value: AttributeValue = { L: [{ S: 'v' }] };
    const parts = update({
      set: [{ path: ['copy'], value: p('l') }, { path: ['v'], value: v(value) }, { path: ['l', 0], value: v({ N: '2' }) }],
      remove: [['m', 'n']],
      add: [{ path: ['ss'], value: v({ SS: ['b'] }) }],
      delete: [{ path: ['l', 1, 'a'], value: v({ SS: ['x'] }) }],
    });
    const snapshot = JSON.stringify([item, key, parts]);
    const result = applyUpdate(item, parts, key);
    if (result.message !== undefined) throw new Error(result.message);
    expect(JSON.stringify([item, key, parts])).toBe(snapshot);
    expect(result.item).toEqual({
      ...KEY,
      l: { L: [{ N: '2' }, { M: {} }] },
      m: { M: {} },
      ss: { SS: ['a', 'b'] },
      copy: { L: [{ N: '1' }, { M: { a: { SS: ['x'] } } }] },
      v: { L: [{ S: 'v' }] },
    });
    ((result.item.copy as { L: AttributeValue[] }).L).push({ NULL: true });
    ((result.item.v as { L: AttributeValue[] }).L).push({ NULL: true });
    expect(JSON.stringify([item, key, parts])).toBe(snapshot);
  });
});

describe('applyUpdate: random updates', () => {
  /** Seeded generator: random(n) is an integer in [0, n). */
  function seeded(seed: number): (n: number) => number {
    let state = seed >>> 0;
    return (n: number) => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return Math.floor((state / 2 ** 32) * n);
    };
  }
  const random = seeded(20240611);
  const pick = <T>(options: readonly T[]): T => options[random(options.length)]!;
  const NAMES = ['a', 'b', 'c', 'pk'];
  const NUMBERS = ['0', '1', '-1.5', '0.001', '1E+37', '9.9999999999999999999999999999999999999E+125', '1E-130', '42.00'];

  function randomValue(depth: number): AttributeValue {
    switch (random(depth > 2 ? 6 : 8)) {
      case 0:
        return { S: pick(['', 'x', 'é😀']) };
      case 1:
        return { N: pick(NUMBERS) };
      case 2:
        return { B: pick(['', 'AQ==', new Uint8Array([1, 2])]) as string };
      case 3:
        return pick<AttributeValue>([{ BOOL: true }, { NULL: true }]);
      case 4:
        return pick<AttributeValue>([{ SS: ['x', 'y'] }, { NS: ['1', '2.50'] }, { BS: ['AQ==', new Uint8Array([2]) as unknown as string] }]);
      case 5:
        return pick<AttributeValue>([{ SS: ['y', 'z'] }, { NS: ['1.0'] }, { BS: ['Ag=='] }]);
      case 6:
        return { L: Array.from({ length: random(4) }, () => randomValue(depth + 1)) };
      default: {
        const map: Item = {};
        for (let i = random(3); i > 0; i--) map[pick(NAMES)] = randomValue(depth + 1);
        return { M: map };
      }
    }
  }

  /** Mostly what ADD and DELETE take: a number or a set. */
  function randomAddend(): AttributeValue {
    return pick<AttributeValue>([{ N: pick(NUMBERS) }, { SS: ['x', 'z'] }, { NS: ['2.5', '3'] }, { BS: ['AQ=='] }]);
  }

  function randomPath(): Path {
    const path: Path = [pick(NAMES)];
    for (let i = random(3) === 0 ? random(3) + 1 : 0; i > 0; i--) path.push(random(2) === 0 ? pick(NAMES) : random(4));
    return path;
  }

  function randomOperand(depth: number): Operand {
    switch (random(depth > 1 ? 2 : 8)) {
      case 0:
        return v(randomValue(1));
      case 1:
        return p(...randomPath());
      case 6:
        return v(randomValue(1));
      case 2:
      case 3:
        return ifNotExists(randomPath(), randomOperand(depth + 1));
      case 4:
        return listAppend(randomOperand(depth + 1), randomOperand(depth + 1));
      case 5:
        return plus(randomOperand(depth + 1), randomOperand(depth + 1));
      default:
        return minus(randomOperand(depth + 1), randomOperand(depth + 1));
    }
  }

  it('never throws, never changes its input, and always gives valid items', () => {
    let succeeded = 0;
    const failures = new Map<string, number>();
    for (let round = 0; round < 5000; round++) {
      let item: Item | undefined;
      if (random(5) !== 0) {
        const attributes: Item = { pk: { S: 'k' } };
        for (let i = random(4); i > 0; i--) attributes[pick(NAMES.slice(0, 3))] = randomValue(0);
        // Stored items are in stored form; the update's own values need not be.
        item = toStoredItem(attributes);
      }
      const parts = update({
        set: Array.from({ length: random(3) }, () => ({ path: randomPath(), value: randomOperand(0) })),
        remove: Array.from({ length: random(3) }, randomPath),
        add: Array.from({ length: random(2) }, () => ({ path: randomPath(), value: v(random(3) === 0 ? randomValue(2) : randomAddend()) })),
        delete: Array.from({ length: random(2) }, () => ({ path: randomPath(), value: v(random(3) === 0 ? randomValue(2) : randomAddend()) })),
      });
      const before = JSON.stringify(item);
      const result = applyUpdate(item, parts, { pk: { S: 'k' } });
      expect(JSON.stringify(item)).toBe(before);
      if (result.message !== undefined) {
        failures.set(result.message, (failures.get(result.message) ?? 0) + 1);
        continue;
      }
      succeeded++;
      expect(toStoredItem(result.item)).toEqual(result.item);
      for (const name in result.item) {
        const value = result.item[name]!;
        expect(validateAttributeValue(value), JSON.stringify(value)).toBeUndefined();
        expect(JSON.stringify(value)).not.toContain('null');
      }
    }
    // Every failure is one of DynamoDB's run-time messages, and many updates succeed.
    const known = [MISSING_ATTRIBUTE, INCORRECT_OPERAND_TYPE, INVALID_DOCUMENT_PATH, messages.NUMBER_OVERFLOW, messages.NUMBER_PRECISION, messages.NUMBER_UNDERFLOW];
    for (const message of failures.keys()) expect(known).toContain(message);
    expect(succeeded).toBeGreaterThan(500);
  });
});
