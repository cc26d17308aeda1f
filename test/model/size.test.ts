import { describe, expect, it } from 'vitest';
import {
  type AttributeValue,
  type Item,
  MAX_ITEM_SIZE,
  attributeValueSize,
  checkItemSize,
  itemSize,
  utf8Length,
} from '../../src/model/index.js';

const TOO_LARGE = 'Item size has exceeded the maximum allowed size';

describe('utf8Length', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['é', 2],
    ['€', 3],
    ['😀', 4],
    ['a😀b', 6],
    ['a€😀', 8],
    ['\ud800', 3],
    ['\udc00x', 4],
    ['\ud800\ud800', 6],
  ])('%j is %i bytes', (text, bytes) => {
    expect(utf8Length(text)).toBe(bytes);
    // TextEncoder also writes a lone surrogate as U+FFFD.
    expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
  });
});

describe('attributeValueSize', () => {
  it.each([
    [{ S: '' }, 0],
    [{ S: 'héllo' }, 6],
    [{ N: '42' }, 2],
    [{ N: '-3.14' }, 4],
    [{ B: '' }, 0],
    [{ B: 'YQ==' }, 1],
    [{ B: 'YWI=' }, 2],
    [{ B: 'YWJj' }, 3],
    [{ B: new Uint8Array(7) }, 7],
    [{ BOOL: false }, 1],
    [{ NULL: true }, 1],
    [{ SS: ['a', 'bc', '€'] }, 6],
    [{ NS: ['1', '12', '123'] }, 7],
    [{ BS: ['YQ==', new Uint8Array(4)] }, 5],
    [{ M: {} }, 3],
    [{ L: [] }, 3],
    [{ M: { a: { S: 'xy' } } }, 7],
    [{ L: [{ S: 'xy' }, { NULL: true }] }, 3 + 1 + 2 + 1 + 1],
    [{ M: { ab: { L: [{ M: {} }] } } }, 3 + 1 + 2 + (3 + 1 + 3)],
  ] as [AttributeValue, number][])('%j is %i bytes', (v, size) => {
    expect(attributeValueSize(v)).toBe(size);
  });
});

describe('itemSize', () => {
  it('adds the UTF-8 length of each name to its value size', () => {
    expect(itemSize({ pk: { S: 'abc' }, n: { N: '42' } })).toBe(8);
    expect(itemSize({ 'é': { BOOL: true } })).toBe(3);
    expect(itemSize({})).toBe(0);
  });

  it('allows exactly 400 KB and refuses one byte more', () => {
    expect(MAX_ITEM_SIZE).toBe(409600);
    // 'pk' + 'k' + 'data' = 7 bytes around the padding.
    const atLimit: Item = { pk: { S: 'k' }, data: { S: 'x'.repeat(MAX_ITEM_SIZE - 7) } };
    const over: Item = { pk: { S: 'k' }, data: { S: 'x'.repeat(MAX_ITEM_SIZE - 6) } };
    expect(itemSize(atLimit)).toBe(MAX_ITEM_SIZE);
    expect(checkItemSize(atLimit)).toBe(undefined);
    expect(checkItemSize(over)).toBe(TOO_LARGE);
  });

  it('counts multi-byte characters at the boundary', () => {
    const filler = 'é'.repeat((MAX_ITEM_SIZE - 7 - 1) / 2);
    expect(checkItemSize({ pk: { S: 'k' }, data: { S: filler + 'x' } })).toBe(undefined);
    expect(checkItemSize({ pk: { S: 'k' }, data: { S: filler + 'é' } })).toBe(TOO_LARGE);
  });

  // The conformance suite's itemSize cases.
  it('accepts a 390,000 byte string and a 350,000 byte binary', () => {
    expect(checkItemSize({ pk: { S: 'lim-is-under' }, data: { S: 'x'.repeat(390_000) } })).toBe(undefined);
    expect(checkItemSize({ pk: { S: 'lim-is-binary' }, bindata: { B: new Uint8Array(350_000) } })).toBe(undefined);
  });

  it.each([
    ['a 410,000 byte string', { bigval: { S: 'x'.repeat(410_000) } }],
    ['a 410,000 byte binary', { bindata: { B: new Uint8Array(410_000) } }],
    ['long attribute names', Object.fromEntries(
      Array.from({ length: 100 }, (_, i) => [`attr${'a'.repeat(200)}${String(i).padStart(3, '0')}`, { S: 'x'.repeat(3_900) }]),
    )],
    ['a nested map', { nested: { M: { level1: { M: { level2: { M: { payload: { S: 'x'.repeat(410_000) } } } } } } } }],
    ['a string set', { bigset: { SS: Array.from({ length: 100 }, (_, i) => 'x'.repeat(4_200) + i) } }],
    ['a list', { biglist: { L: Array.from({ length: 100 }, (_, i) => ({ S: 'x'.repeat(4_200) + i })) } }],
  ] as [string, Item][])('refuses an item over 400 KB through %s', (_, attributes) => {
    expect(checkItemSize({ pk: { S: 'lim-is-over' }, ...attributes })).toBe(TOO_LARGE);
  });
});
