import { describe, expect, it } from 'vitest';
import { packItem, samePackedItem, unpackAttribute, unpackItem, type Item } from '../../src/model/index.js';

const item: Item = {
  pk: { S: 'a' },
  n: { N: '-1.5' },
  b: { B: 'AQI=' },
  t: { BOOL: false },
  z: { NULL: true },
  ss: { SS: ['x', 'y'] },
  ns: { NS: ['1', '2'] },
  bs: { BS: ['AQ=='] },
  m: { M: { inner: { L: [{ S: 'deep' }, { SS: ['q'] }] } } },
  l: { L: [{ N: '1' }, { M: {} }] },
};

describe('packed items', () => {
  it('round-trip every type exactly', () => {
    expect(unpackItem(packItem(item))).toEqual(item);
    expect(unpackItem(packItem({}))).toEqual({});
  });

  it('hand out copies that share nothing mutable', () => {
    const packed = packItem(item);
    const first = unpackItem(packed) as any;
    first.ss.SS.push('z');
    first.m.M.inner.L[0].S = 'changed';
    first.l.L.pop();
    first.pk.S = 'other';
    expect(unpackItem(packed)).toEqual(item);
  });

  it('read one attribute', () => {
    const packed = packItem(item);
    expect(unpackAttribute(packed, 'ns')).toEqual({ NS: ['1', '2'] });
    expect(unpackAttribute(packed, 'missing')).toBeUndefined();
  });

  it('compare with an item, ignoring set order', () => {
    const packed = packItem(item);
    expect(samePackedItem(packed, { ...item })).toBe(true);
    expect(samePackedItem(packed, { ...item, ss: { SS: ['y', 'x'] } })).toBe(true);
    expect(samePackedItem(packed, { ...item, ss: { SS: ['x', 'z'] } })).toBe(false);
    expect(samePackedItem(packed, { ...item, n: { N: '-1.6' } })).toBe(false);
    expect(samePackedItem(packed, { ...item, n: { S: '-1.5' } })).toBe(false);
    expect(samePackedItem(packed, { ...item, m: { M: { inner: { L: [{ S: 'deep' }, { SS: ['q'] }, { NULL: true }] } } } })).toBe(false);
    expect(samePackedItem(packed, { ...item, l: { L: [{ N: '1' }, { M: { a: { S: '' } } }] } })).toBe(false);
    const { z: _, ...fewer } = item;
    expect(samePackedItem(packed, fewer)).toBe(false);
    expect(samePackedItem(packed, { ...fewer, y: { NULL: true } })).toBe(false);
  });
});

describe('an attribute named __proto__', () => {
  it('stays an attribute through storing, packing, unpacking and cloning', async () => {
    const { toStoredItem, cloneItem } = await import('../../src/model/index.js');
    const item = JSON.parse('{"pk":{"S":"a"},"__proto__":{"S":"x"}}') as Item;
    for (const copy of [toStoredItem(item), cloneItem(item), unpackItem(packItem(toStoredItem(item)))]) {
      expect(Object.keys(copy)).toEqual(['pk', '__proto__']);
      expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(copy, '__proto__')?.value).toEqual({ S: 'x' });
    }
  });
});
