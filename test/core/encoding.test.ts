import { describe, expect, it, beforeAll } from 'vitest';
import { Decimal } from 'decimal.js';
import { Core, type KeyType, type KeyValue } from '../../src/core/wasm.js';
import { compareBytes, hex, mulberry32, randomInt } from '../support/random.js';

let core: Core;
beforeAll(async () => {
  core = await Core.load();
});

const utf8 = new TextEncoder();

// Code point pools chosen so UTF-16 order and UTF-8 order disagree:
// astral characters are surrogate pairs (D800..DFFF) in UTF-16, below E000..FFFF,
// but 4-byte sequences (F0..) in UTF-8, above 3-byte EE..EF.
const POOLS: Array<[number, number]> = [
  [0x00, 0x00], [0x01, 0x7f], [0x80, 0x7ff], [0x800, 0xd7ff], [0xe000, 0xffff], [0x10000, 0x10ffff],
];

function randomString(rng: () => number, maxLen: number): string {
  const n = randomInt(rng, 0, maxLen);
  let s = '';
  for (let i = 0; i < n; i++) {
    const [lo, hi] = POOLS[randomInt(rng, 0, POOLS.length - 1)];
    s += String.fromCodePoint(randomInt(rng, lo, hi));
  }
  return s;
}

function randomBytes(rng: () => number, maxLen: number): Uint8Array {
  const b = new Uint8Array(randomInt(rng, 0, maxLen));
  // Mostly small bytes so that 00 (escaped) and shared prefixes are common.
  for (let i = 0; i < b.length; i++) b[i] = rng() < 0.7 ? randomInt(rng, 0, 3) : randomInt(rng, 0, 255);
  return b;
}

/** value = 0.D x 10^e, spelt in a random but equivalent way. */
function spell(rng: () => number, negative: boolean, digits: string, e: number): string {
  let p = randomInt(rng, 0, digits.length); // digits before the point
  let intPart = digits.slice(0, p);
  let frac = digits.slice(p);
  let x = e - p;
  if (rng() < 0.3) {
    const z = randomInt(rng, 1, 3); // trailing zeros on the integer part scale it up
    if (frac === '') {
      intPart += '0'.repeat(z);
      x -= z;
    } else frac += '0'.repeat(z);
  }
  if (rng() < 0.3) intPart = '0'.repeat(randomInt(rng, 1, 3)) + intPart;
  if (intPart === '' && rng() < 0.7) intPart = '0';
  let text = negative ? '-' : rng() < 0.1 ? '+' : '';
  text += intPart;
  if (frac !== '' || rng() < 0.1) text += '.' + frac;
  if (x !== 0 || rng() < 0.2) {
    text += rng() < 0.5 ? 'e' : 'E';
    text += x < 0 ? '-' : rng() < 0.2 ? '+' : '';
    text += String(Math.abs(x));
  }
  return text;
}

function randomDigits(rng: () => number): string {
  const n = randomInt(rng, 1, 38);
  let d = String(randomInt(rng, 1, 9));
  for (let i = 1; i < n; i++) d += String(randomInt(rng, 0, 9));
  return d;
}

function randomNumber(rng: () => number): string {
  if (rng() < 0.03) return ['0', '-0', '0.0', '-0.0', '+0e10', '000', '0e-5', '.0'][randomInt(rng, 0, 7)];
  return spell(rng, rng() < 0.5, randomDigits(rng), randomInt(rng, -129, 126));
}

const sign = (x: number) => (x > 0 ? 1 : x < 0 ? -1 : 0);

describe('scalar encoding', () => {
  it('encodes S as its UTF-8 bytes and B as itself', () => {
    const rng = mulberry32(1);
    for (let i = 0; i < 2000; i++) {
      const s = randomString(rng, 12);
      expect(hex(core.encodeScalar(1, s))).toBe(hex(utf8.encode(s)));
      const b = randomBytes(rng, 12);
      expect(hex(core.encodeScalar(3, b))).toBe(hex(b));
    }
  });

  it('orders S by UTF-8 bytes, not UTF-16 code units', () => {
    const rng = mulberry32(2);
    let disagreements = 0;
    for (let i = 0; i < 5000; i++) {
      const a = randomString(rng, 4);
      const b = randomString(rng, 4);
      const want = compareBytes(utf8.encode(a), utf8.encode(b));
      expect(compareBytes(core.encodeScalar(1, a), core.encodeScalar(1, b))).toBe(want);
      if (want !== sign(a < b ? -1 : a > b ? 1 : 0)) disagreements++;
    }
    expect(disagreements).toBeGreaterThan(0); // the sample really exercises the difference
    expect(compareBytes(core.encodeScalar(1, '\u{10000}'), core.encodeScalar(1, '\uffff'))).toBe(1);
  });

  it('gives equal N values identical encodings whatever the spelling', () => {
    const rng = mulberry32(3);
    for (let i = 0; i < 3000; i++) {
      const digits = randomDigits(rng);
      const e = randomInt(rng, -129, 126);
      const negative = rng() < 0.5;
      const a = spell(rng, negative, digits, e);
      const b = spell(rng, negative, digits, e);
      expect(new Decimal(a).cmp(new Decimal(b))).toBe(0);
      expect(hex(core.encodeScalar(2, a)), `${a} vs ${b}`).toBe(hex(core.encodeScalar(2, b)));
    }
    const zero = hex(core.encodeScalar(2, '0'));
    for (const z of ['-0', '0.0', '-0.0', '+0e10', '000', '0e-5', '-00.000E+7']) {
      expect(hex(core.encodeScalar(2, z))).toBe(zero);
    }
    expect(hex(core.encodeScalar(2, '1'))).toBe(hex(core.encodeScalar(2, '1.0')));
    expect(hex(core.encodeScalar(2, '1'))).toBe(hex(core.encodeScalar(2, '10e-1')));
    expect(hex(core.encodeScalar(2, '-00012.500e-3'))).toBe(hex(core.encodeScalar(2, '-0.0125')));
  });

  it('orders N by numeric value (decimal.js as the model)', () => {
    const rng = mulberry32(4);
    const values: string[] = [
      '1E-130', '-1E-130', '9.9999999999999999999999999999999999999E+125', '-9.9999999999999999999999999999999999999E+125',
      '1', '10', '100', '0.1', '0.11', '0.105', '0.1050000001', '-0.1', '-0.105', '-0.11', '-0.1050000001', '-1', '-10',
      '0', '-0', '99', '101', '-99', '-101', '12345678901234567890123456789012345678', '1.5', '-1.5', '1.05', '-1.05',
    ];
    for (let i = 0; i < 700; i++) values.push(randomNumber(rng));
    // Near neighbours: same leading digits, different lengths and exponents.
    for (let i = 0; i < 100; i++) {
      const d = randomDigits(rng);
      const e = randomInt(rng, -129, 126);
      const neg = rng() < 0.5;
      values.push(spell(rng, neg, d, e), spell(rng, neg, d.slice(0, randomInt(rng, 1, d.length)), e));
    }
    const enc = values.map((v) => core.encodeScalar(2, v));
    const dec = values.map((v) => new Decimal(v));
    for (let i = 0; i < values.length; i++) {
      for (let j = i; j < values.length; j++) {
        const got = compareBytes(enc[i], enc[j]);
        if (got !== dec[i].cmp(dec[j])) {
          expect.fail(`${values[i]} vs ${values[j]}: encoded ${got}, numeric ${dec[i].cmp(dec[j])}`);
        }
      }
    }
  });
});

describe('table keys', () => {
  const gen: Record<KeyType, (rng: () => number) => KeyValue> = {
    1: (rng) => randomString(rng, 6),
    2: (rng) => randomNumber(rng),
    3: (rng) => randomBytes(rng, 6),
  };
  const model: Record<KeyType, (a: KeyValue, b: KeyValue) => number> = {
    1: (a, b) => compareBytes(utf8.encode(a as string), utf8.encode(b as string)),
    2: (a, b) => new Decimal(a as string).cmp(new Decimal(b as string)),
    3: (a, b) => compareBytes(a as Uint8Array, b as Uint8Array),
  };
  const key = (pkType: KeyType, pk: KeyValue, skType?: KeyType, sk?: KeyValue) =>
    core.keyBytes(core.encodeKey(pkType, pk, skType, sk));

  for (const skType of [1, 2, 3] as KeyType[]) {
    it(`orders keys within a partition by the sort key (sk type ${skType})`, () => {
      const rng = mulberry32(10 + skType);
      for (let i = 0; i < 3000; i++) {
        const pkType = randomInt(rng, 1, 3) as KeyType;
        const pk = gen[pkType](rng);
        const a = gen[skType](rng);
        const b = gen[skType](rng);
        const ka = key(pkType, pk, skType, a);
        const kb = key(pkType, pk, skType, b);
        expect(compareBytes(ka, kb)).toBe(model[skType](a, b));
        // Prefix property: the partition's prefix starts every key in it.
        const prefix = key(pkType, pk);
        expect(hex(ka.subarray(0, prefix.length))).toBe(hex(prefix));
      }
    });
  }

  it('keeps each partition contiguous: keys compare like their prefixes', () => {
    const rng = mulberry32(20);
    // Shared-prefix partition values (a, a\0, a\0\0, ab) stress the escaping.
    const tricky = ['a', 'a\0', 'a\0\0', 'ab', 'a\u0001', ''];
    for (let i = 0; i < 3000; i++) {
      const pkType = randomInt(rng, 1, 3) as KeyType;
      const pick = () => (pkType === 1 && rng() < 0.3 ? tricky[randomInt(rng, 0, tricky.length - 1)] : gen[pkType](rng));
      const p1 = pick();
      const p2 = pick();
      const pre1 = key(pkType, p1);
      const pre2 = key(pkType, p2);
      const k1 = key(pkType, p1, 1, randomString(rng, 4));
      const k2 = key(pkType, p2, 1, randomString(rng, 4));
      const same = model[pkType](p1, p2) === 0;
      if (same) expect(hex(pre1)).toBe(hex(pre2));
      else {
        expect(compareBytes(pre1, pre2)).not.toBe(0);
        expect(compareBytes(k1, k2)).toBe(compareBytes(pre1, pre2));
      }
    }
  });

  it('escapes 00 bytes and terminates components', () => {
    const k = key(3, new Uint8Array([0, 1, 2]), 1, 'a');
    expect(hex(k.subarray(8))).toBe('00ff01020001' + '610001');
    expect(hex(key(2, '42').subarray(8))).toBe('03832b0001');
  });

  it('hashes the escaped partition component with xxHash64 (golden vectors)', () => {
    // Computed with the reference libxxhash: XXH64(escaped component, seed "tidepool").
    const golden: Array<[KeyType, KeyValue, string]> = [
      [1, '', 'e91de0ecf9076f43'],
      [1, 'a', '59a0c354e2f102a3'],
      [1, 'user#1', '88f33d93deafcdf3'],
      [2, '42', '4faa11d691ab06ff'],
      [3, new Uint8Array([0, 1, 2]), '2126e912200ed359'],
      [1, 'x'.repeat(40), 'd1a701a61dfb96e0'],
      [1, 'pk-\u00e9\u{1F600}', '8278153d89cd02dc'],
    ];
    for (const [type, value, want] of golden) {
      const k = key(type, value);
      expect(hex(k.subarray(0, 8))).toBe(want);
      core.encodeKeyPrefix(type, value);
      expect(core.keyHash()).toBe(BigInt('0x' + want));
    }
  });

  it('rejects keys over 8 KiB and mismatched value types', () => {
    expect(() => core.encodeKey(1, 'x'.repeat(9000))).toThrow(RangeError);
    expect(() => core.encodeKey(1, new Uint8Array(1) as unknown as string)).toThrow(TypeError);
    expect(() => core.encodeKey(3, 'abc')).toThrow(TypeError);
  });
});

describe('index keys', () => {
  const key = (pkType: KeyType, pk: KeyValue, skType?: KeyType, sk?: KeyValue) =>
    core.keyBytes(core.encodeKey(pkType, pk, skType, sk));
  const indexKey = (pkType: KeyType, pk: KeyValue, skType?: KeyType, sk?: KeyValue) =>
    core.keyBytes(core.encodeIndexKey(pkType, pk, skType, sk));

  it('is the index key attributes encoded as a table key, then the kept table key without its hash', () => {
    core.keepTail(core.encodeKey(1, 'a', 2, '42'));
    const tail = '610001' + '03832b0001';
    expect(hex(indexKey(1, 'b'))).toBe(hex(key(1, 'b')) + tail);
    expect(hex(indexKey(3, new Uint8Array([0, 1]), 2, '-1'))).toBe(hex(key(3, new Uint8Array([0, 1]), 2, '-1')) + tail);
    expect(hex(indexKey(1, 'b').subarray(8))).toBe('620001' + tail);
  });

  it('keeps the tail while KEY is reused, until the next keepTail', () => {
    const rng = mulberry32(77);
    for (let i = 0; i < 500; i++) {
      const table = key(1, `user#${randomInt(rng, 0, 1e6)}`, 2, String(randomInt(rng, -999, 999)));
      core.keepTail(core.setKey(table));
      const pk = `org#${randomInt(rng, 0, 50)}`;
      const sk = String(randomInt(rng, 0, 1e9) / 100);
      core.encodeKey(2, '7');
      const got = indexKey(1, pk, 2, sk);
      expect(hex(got)).toBe(hex(key(1, pk, 2, sk)) + hex(table.subarray(8)));
    }
  });

  it('rejects keys over 8 KiB and lengths that are no table key', () => {
    core.keepTail(core.encodeKey(1, 'x'.repeat(5000)));
    expect(() => core.encodeIndexKey(1, 'y'.repeat(4000))).toThrow(RangeError);
    expect(() => core.keepTail(7)).toThrow(RangeError);
    expect(() => core.keepTail(8193)).toThrow(RangeError);
  });
});
