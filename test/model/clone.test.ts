import { describe, expect, it } from 'vitest';
import { type AttributeValue, type Item, cloneAttributeValue, cloneItem } from '../../src/model/index.js';

function sample(): Item {
  return {
    s: { S: 'text' },
    n: { N: '42' },
    b: { B: 'YWJj' },
    bytes: { B: new Uint8Array([1, 2, 3]) },
    t: { BOOL: true },
    z: { NULL: true },
    ss: { SS: ['a', 'b'] },
    ns: { NS: ['1', '2'] },
    bs: { BS: ['YQ==', new Uint8Array([9])] },
    l: { L: [{ S: 'x' }, { M: { deep: { L: [{ N: '1' }] } } }] },
    m: { M: { inner: { SS: ['q'] }, list: { L: [] } } },
  };
}

describe('cloneItem', () => {
  it('copies every type exactly', () => {
    expect(cloneItem(sample())).toEqual(sample());
  });

  it('shares nothing mutable with its source', () => {
    const source = sample();
    const copy = cloneItem(source);
    (copy.ss as { SS: string[] }).SS.push('c');
    (copy.ns as { NS: string[] }).NS[0] = '9';
    ((copy.bs as { BS: Uint8Array[] }).BS[1] as Uint8Array)[0] = 0;
    (copy.bytes as { B: Uint8Array }).B[0] = 7;
    (copy.l as { L: AttributeValue[] }).L.push({ NULL: true });
    const deep = ((copy.l as { L: AttributeValue[] }).L[1] as { M: Item }).M.deep as { L: AttributeValue[] };
    deep.L.pop();
    ((copy.m as { M: Item }).M.inner as { SS: string[] }).SS.length = 0;
    (copy.m as { M: Item }).M.added = { S: 'new' };
    copy.s = { S: 'changed' };
    delete copy.n;
    expect(source).toEqual(sample());
  });

  it('keeps binaries in the form they were given', () => {
    const copy = cloneItem(sample());
    expect(typeof (copy.b as { B: unknown }).B).toBe('string');
    expect((copy.bytes as { B: unknown }).B).toBeInstanceOf(Uint8Array);
  });
});

describe('cloneAttributeValue', () => {
  it('copies a single value', () => {
    const v: AttributeValue = { L: [{ N: '1' }] };
    const copy = cloneAttributeValue(v) as { L: AttributeValue[] };
    copy.L.push({ S: 'x' });
    expect(v).toEqual({ L: [{ N: '1' }] });
  });
});
