import { describe, expect, it } from 'vitest';
import { project } from '../../src/expressions/project.js';
import type { AttributeValue, Item } from '../../src/model/index.js';

function sample(): Item {
  return {
    pk: { S: 'p1' },
    s: { S: 'text' },
    n: { N: '42' },
    bin: { B: new Uint8Array([1, 2, 3]) },
    ss: { SS: ['a', 'b'] },
    a: {
      M: {
        b: { L: [{ S: 'x' }, { S: 'y' }, { M: { c: { N: '1' }, d: { N: '2' } } }] },
        e: { BOOL: true },
        f: { NULL: true },
      },
    },
    l: { L: [{ S: 'l0' }, { S: 'l1' }, { S: 'l2' }, { S: 'l3' }, { L: [{ N: '0' }, { N: '1' }] }] },
  };
}

describe('project', () => {
  it('runs its example', () => {
    expect(
      project({ a: { M: { b: { L: [{ S: 'x' }, { S: 'y' }] }, c: { N: '1' } } }, d: { S: 'z' } }, [['a', 'b', 1]]),
    ).toEqual({ a: { M: { b: { L: [{ S: 'y' }] } } } });
  });

  it('keeps top-level attributes and leaves out missing ones', () => {
    expect(project(sample(), [['s'], ['n'], ['missing']])).toEqual({ s: { S: 'text' }, n: { N: '42' } });
    expect(project(sample(), [['missing']])).toEqual({});
    expect(project(sample(), [])).toEqual({});
    expect(project(sample(), [['constructor'], ['toString']])).toEqual({});
  });

  it('keeps the maps around a nested value', () => {
    expect(project(sample(), [['a', 'e']])).toEqual({ a: { M: { e: { BOOL: true } } } });
    expect(project(sample(), [['a', 'b', 2, 'd']])).toEqual({ a: { M: { b: { L: [{ M: { d: { N: '2' } } }] } } } });
  });

  it('keeps selected list elements in their relative order, compacted', () => {
    expect(project(sample(), [['l', 3], ['l', 1]])).toEqual({ l: { L: [{ S: 'l1' }, { S: 'l3' }] } });
    expect(project(sample(), [['l', 4, 1], ['l', 0]])).toEqual({ l: { L: [{ S: 'l0' }, { L: [{ N: '1' }] }] } });
  });

  it('merges paths into the same map or list element', () => {
    expect(project(sample(), [['a', 'e'], ['a', 'f'], ['s']])).toEqual({
      a: { M: { e: { BOOL: true }, f: { NULL: true } } },
      s: { S: 'text' },
    });
    expect(project(sample(), [['a', 'b', 2, 'c'], ['a', 'b', 2, 'd'], ['a', 'b', 0]])).toEqual({
      a: { M: { b: { L: [{ S: 'x' }, { M: { c: { N: '1' }, d: { N: '2' } } }] } } },
    });
  });

  it('leaves out paths past the end, through the wrong kind, or through scalars', () => {
    expect(project(sample(), [['l', 9]])).toEqual({});
    expect(project(sample(), [['a', 0]])).toEqual({});
    expect(project(sample(), [['l', 'x']])).toEqual({});
    expect(project(sample(), [['s', 'x'], ['n', 0]])).toEqual({});
    expect(project(sample(), [['a', 'b', 7], ['a', 'e']])).toEqual({ a: { M: { e: { BOOL: true } } } });
  });

  it('keeps one well-formed result for overlapping paths', () => {
    const whole = { L: [{ S: 'l0' }, { S: 'l1' }, { S: 'l2' }, { S: 'l3' }, { L: [{ N: '0' }, { N: '1' }] }] };
    expect(project(sample(), [['l'], ['l', 1]])).toEqual({ l: whole });
    expect(project(sample(), [['l', 1], ['l']])).toEqual({ l: whole });
  });

  it('projects the written paths of an update from the new item, as UPDATED_NEW does', () => {
    // dynalite test/updateItem.js "should update nested attributes", run against DynamoDB.
    const key = { S: 'k' };
    const after: Item = {
      a: key,
      b: { M: { a: key, b: { N: '2' }, c: { N: '4' } } },
      c: { L: [{ N: '1' }, key, { N: '3' }, { N: '-1' }, { N: '2' }, { SS: ['a'] }] },
    };
    const paths = [['b', 'c'], ['b', 'a'], ['c', 1], ['c', 4], ['c', 2], ['c', 8], ['c', 6]];
    expect(project(after, paths)).toEqual({ b: { M: { a: key, c: { N: '4' } } }, c: { L: [key, { N: '3' }, { N: '2' }] } });
  });

  it('keeps an attribute named __proto__ as an attribute', () => {
    const item = JSON.parse('{"__proto__": {"M": {"__proto__": {"S": "x"}, "y": {"S": "y"}}}}') as Item;
    const top = project(item, [['__proto__']]);
    expect(Object.keys(top)).toEqual(['__proto__']);
    const nested = project(item, [['__proto__', '__proto__']]);
    expect(JSON.stringify(nested)).toBe('{"__proto__":{"M":{"__proto__":{"S":"x"}}}}');
  });

  it('returns a copy sharing nothing mutable with the item', () => {
    const item = sample();
    const top = project(item, [['bin'], ['ss'], ['a']]);
    (top.bin as { B: Uint8Array }).B[0] = 9;
    (top.ss as { SS: string[] }).SS.push('c');
    ((top.a as { M: Item }).M.b as { L: AttributeValue[] }).L.pop();
    const nested = project(item, [['a', 'b', 2], ['l', 4]]);
    (((nested.a as { M: Item }).M.b as { L: { M: Item }[] }).L[0]!.M as Item).c = { S: 'changed' };
    ((nested.l as { L: { L: AttributeValue[] }[] }).L[0]!.L).length = 0;
    expect(item).toEqual(sample());
  });
});
