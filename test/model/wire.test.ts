import { describe, expect, it } from 'vitest';
import { WireItem, jsonString, outputItem, packItem, packedItemJson, readAttribute, readScalar, samePackedItem, toPlainJson, toWireJson, unpackAttribute, unpackItem, withItems, type Item } from '../../src/model/index.js';
import { jsonName, jsonString as exported } from '../../src/model/packed.js';
import { outputJson } from '../../src/model/wire.js';

/** Strings JSON.stringify escapes, and ones it leaves alone. */
const STRINGS = [
  '', 'a', 'x'.repeat(1000), 'quote"d', 'back\\slash', 'tab\there', 'new\nline', '\u0000', '\u001f', '\u0020', '\u007f',
  'é', '€', '😀', 'lone \ud800 high', 'lone \udfff low', '\ud83d', '\u2028\u2029', '\ufeff', '</script>', 'mixed "😀" \\ \u0001',
];

/** A deterministic generator, so a failure names its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function randomString(next: () => number): string {
  if (next() < 0.3) return STRINGS[Math.floor(next() * STRINGS.length)];
  let text = '';
  const length = Math.floor(next() * 40);
  for (let i = 0; i < length; i++) text += String.fromCharCode(next() < 0.8 ? 32 + Math.floor(next() * 95) : Math.floor(next() * 0x10000));
  return text;
}

function randomValue(next: () => number, depth: number): Record<string, unknown> {
  const pick = Math.floor(next() * (depth > 2 ? 8 : 10));
  const strings = () => Array.from({ length: 1 + Math.floor(next() * 3) }, () => randomString(next));
  switch (pick) {
    case 0: return { S: randomString(next) };
    case 1: return { N: String(Math.floor(next() * 1e6) - 5e5) };
    case 2: return { B: 'AQID' };
    case 3: return { BOOL: next() < 0.5 };
    case 4: return { NULL: true };
    case 5: return { SS: strings() };
    case 6: return { NS: ['1', '-2.5', '3E+10'] };
    case 7: return { BS: ['AQ==', 'Ag=='] };
    case 8: return { M: randomItem(next, depth + 1) };
    default: return { L: Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1)) };
  }
}

function randomItem(next: () => number, depth = 0): Item {
  const item: Item = {};
  const count = Math.floor(next() * 6);
  for (let i = 0; i < count; i++) item[randomString(next)] = randomValue(next, depth) as Item[string];
  return item;
}

describe('wire JSON', () => {
  it('writes every string exactly as JSON.stringify does', () => {
    for (const text of STRINGS) expect(jsonString(text)).toBe(JSON.stringify(text));
    expect(exported).toBe(jsonString);
    for (let c = 0; c < 0x10000; c++) {
      const text = `a${String.fromCharCode(c)}b`;
      if (jsonString(text) !== JSON.stringify(text)) throw new Error(`U+${c.toString(16)} differs: ${jsonString(text)}`);
    }
  });

  it('writes names as JSON.stringify does, the first time and from its memory of them, past its 4096 names', () => {
    const names = [...STRINGS, 'x'.repeat(65), ...Array.from({ length: 5000 }, (_, i) => `name ${i} "\u0001${String.fromCharCode(0xd800 + (i % 3))}`)];
    for (let round = 0; round < 3; round++) {
      for (const name of names) if (jsonName(name) !== JSON.stringify(name)) throw new Error(`round ${round}: ${JSON.stringify(name)} written as ${jsonName(name)}`);
    }
  });

  it('writes an output for the worker in one strict pass: WireItems from their packed form, nothing JSON would change', () => {
    const item = { pk: { S: 'a"\u0007' }, 'odd "name"': { N: '1' } };
    expect(outputJson({ Item: new WireItem(packItem(item)), Count: 1 })).toBe(JSON.stringify({ Item: item, Count: 1 }));
    expect(outputJson({ UnprocessedKeys: { t: { Keys: [{ b: { B: new Uint8Array([1]) } }] } } })).toBeUndefined();
    expect(outputJson({ CreationDateTime: new Date(0) })).toBeUndefined();
  });

  it('writes a packed item exactly as JSON.stringify writes it unpacked, over 3,000 seeded random items', () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const item = randomItem(random(seed));
      const packed = packItem(item);
      const expected = JSON.stringify(unpackItem(packed));
      // Twice: the second time, strings found plain the first time are not tested again.
      for (let pass = 0; pass < 2; pass++) {
        if (packedItemJson(packed, toWireJson) !== expected) throw new Error(`seed ${seed}: ${packedItemJson(packed, toWireJson)} != ${expected}`);
      }
      expect(unpackItem(packed)).toEqual(item);
    }
  });

  it('reads an item the same after writing it, when its plain strings are no longer tested', () => {
    const item: Item = { pk: { S: 'plain' }, q: { S: 'quote"' }, n: { N: '1' }, m: { M: { s: { S: 'in' } } } };
    const packed = packItem(item);
    const first = packedItemJson(packed, toWireJson);
    expect(packedItemJson(packed, toWireJson)).toBe(first);
    expect(first).toBe(JSON.stringify(item));
    expect(unpackItem(packed)).toEqual(item);
    expect(readScalar(packed, 'pk', 'S')).toBe('plain');
    expect(readScalar(packed, 'pk', 'N')).toBeUndefined();
    expect(readAttribute(packed, 'pk')).toEqual({ S: 'plain' });
    expect(unpackAttribute(packed, 'pk')).toEqual({ S: 'plain' });
    expect(samePackedItem(packed, item)).toBe(true);
    expect(samePackedItem(packed, { ...item, pk: { S: 'other' } })).toBe(false);
  });

  it('writes outputs holding WireItems exactly as JSON.stringify writes the plain output', () => {
    const items = [1, 2, 3].map((seed) => packItem(randomItem(random(seed))));
    const output = {
      Items: items.map((packed) => new WireItem(packed)),
      Count: 3,
      ScannedCount: 3.5,
      LastEvaluatedKey: { pk: { S: 'k"1' } },
      Skipped: undefined,
      Nothing: null,
      ConsumedCapacity: [{ TableName: 't', CapacityUnits: 0.5, Table: { CapacityUnits: 1e21 } }],
      Flags: [true, false, undefined, Infinity],
    };
    const plain = JSON.stringify({ ...output, Items: items.map((packed) => unpackItem(packed)) });
    expect(toWireJson(output)).toBe(plain);
    expect(JSON.stringify(output)).toBe(plain);
    expect(toWireJson({ Item: new WireItem(packItem({ pk: { S: 'a' }, n: { N: '1' } })) })).toBe('{"Item":{"pk":{"S":"a"},"n":{"N":"1"}}}');
    expect(toWireJson({})).toBe('{}');
    expect(toWireJson([])).toBe('[]');
  });

  it('gives in-process callers plain items and the wire WireItems', () => {
    const packed = packItem({ pk: { S: 'a' } });
    expect(outputItem(packed, false)).toEqual({ pk: { S: 'a' } });
    expect(outputItem(packed, true)).toBeInstanceOf(WireItem);
  });
});

describe('plain JSON for the browser host', () => {
  it('gives JSON only where JSON.parse gives back what a structured clone would', () => {
    const plain = { TableName: 't', Key: { pk: { S: 'a"b' } }, Limit: 5, ConsistentRead: true, Nothing: null, Skipped: undefined, List: ['x', 1.5] };
    expect(toPlainJson(plain)).toBe(JSON.stringify(plain));
    expect(JSON.parse(toPlainJson(plain)!)).toEqual(structuredClone(plain));
    expect(toPlainJson({ Item: new WireItem(packItem({ pk: { S: 'a' } })) })).toBe('{"Item":{"pk":{"S":"a"}}}');
    for (const changed of [
      { B: new Uint8Array([1]) },
      { when: new Date(0) },
      { n: NaN },
      { n: Infinity },
      { n: -0 },
      { list: [1, undefined] },
      // eslint-disable-next-line no-sparse-arrays
      { list: [1, , 2] },
      { map: new Map() },
      { big: 1n },
      Object.create({ inherited: true }),
    ]) {
      expect(toPlainJson(changed)).toBeUndefined();
    }
    expect(() => toPlainJson({ get boom(): never { throw new RangeError('getter'); } })).toThrow(RangeError);
    // Members that are functions or symbols are left out, as JSON.stringify leaves them; a toJSON member is not called.
    expect(toPlainJson({ a: 1, f: () => 1, list: [{ g: Symbol('s') }] })).toBe('{"a":1,"list":[{}]}');
    expect(toPlainJson({ toJSON: () => 'x', a: [{ toJSON: () => 'y' }] })).toBe('{"a":[{}]}');
    expect(toPlainJson([new WireItem(packItem({ pk: { S: 'a' } })), { n: 1 }])).toBe('[{"pk":{"S":"a"}},{"n":1}]');
  });

  it('replaces WireItems with fresh Items for a structured clone, keeping a __proto__ attribute as an own member', () => {
    const item: Item = {};
    Object.defineProperty(item, '__proto__', { value: { S: 'p' }, enumerable: true, writable: true, configurable: true });
    const copy = withItems({ Items: [new WireItem(packItem(item))], Count: 1, B: new Uint8Array([2]) }) as { Items: Item[]; Count: number; B: Uint8Array };
    expect(Object.getOwnPropertyDescriptor(copy.Items[0], '__proto__')?.value).toEqual({ S: 'p' });
    expect(Object.getPrototypeOf(copy.Items[0])).toBe(Object.prototype);
    expect(copy.Count).toBe(1);
    expect(copy.B).toEqual(new Uint8Array([2]));
  });
});
