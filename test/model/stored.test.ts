import { describe, expect, it } from 'vitest';
import { type AttributeValue, type Item, toStoredItem, toStoredValue } from '../../src/model/index.js';

describe('toStoredValue', () => {
  it.each([
    [{ N: '00042' }, { N: '42' }],
    [{ NS: ['1.50', '+2'] }, { NS: ['1.5', '2'] }],
    [{ BOOL: 'yes' }, { BOOL: true }],
    [{ BOOL: 'False' }, { BOOL: false }],
    [{ NULL: '1' }, { NULL: true }],
    [{ X: 1, S: 'a' }, { S: 'a' }],
    [{ S: null, N: '1E2' }, { N: '100' }],
    [{ L: [{ N: '-0' }, { M: { a: { NS: ['1e-2'] } } }] }, { L: [{ N: '0' }, { M: { a: { NS: ['0.01'] } } }] }],
    [{ B: 'YQ==' }, { B: 'YQ==' }],
    [{ SS: ['b', 'a'] }, { SS: ['b', 'a'] }],
  ])('%j is stored as %j', (input, stored) => {
    expect(toStoredValue(input as unknown as AttributeValue)).toEqual(stored);
  });

  it('stores bytes as base64 text, copied out of the caller\'s buffer', () => {
    const bytes = new Uint8Array([1, 2]);
    const stored = toStoredValue({ BS: [bytes, 'AAA='] });
    bytes[0] = 9;
    expect(stored).toEqual({ BS: ['AQI=', 'AAA='] });
    expect(toStoredValue({ B: new Uint8Array([255, 0, 1]) })).toEqual({ B: '/wAB' });
  });
});

describe('toStoredItem', () => {
  it('stores every attribute in its canonical form, leaving the request alone', () => {
    const request: Item = { pk: { S: 'a' }, n: { N: '00042' } };
    expect(toStoredItem(request)).toEqual({ pk: { S: 'a' }, n: { N: '42' } });
    expect(request).toEqual({ pk: { S: 'a' }, n: { N: '00042' } });
  });
});
