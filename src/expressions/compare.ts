/**
 * DynamoDB's value semantics for expressions: equality (`=`, `<>`, IN, contains on lists) and order
 * (`<`, `<=`, `>`, `>=`, BETWEEN).
 *
 * Operands come from two places: stored items (normalised: numbers without redundant zeros, binaries
 * as canonical base64 text) and the request (validated only: "1.50", bytes as a Uint8Array), so every
 * comparison here is by value, never by representation.
 */
import { type AttributeValue, type Binary, bytesToBase64, compareNumbers, normaliseNumber } from '../model/index.js';

// A string of at most 15 characters holds at most 15 significant digits, and every such decimal
// converts to a distinct double, in order (DBL_DIG = 15); DynamoDB's range (1E-130 .. 1E126) is well
// inside a double's. So short numbers compare exactly as doubles, without parsing into digits.
const DOUBLE_EXACT_LENGTH = 15;

/**
 * Numeric order of two valid number strings, in any notation.
 *
 * @example
 * compareNumberText('1.50', '1.5'); // 0
 */
export function compareNumberText(a: string, b: string): -1 | 0 | 1 {
  if (a === b) return 0;
  if (a.length <= DOUBLE_EXACT_LENGTH && b.length <= DOUBLE_EXACT_LENGTH) {
    const x = +a;
    const y = +b;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return compareNumbers(a, b);
}

/**
 * Order of two strings by their UTF-8 bytes, which is Unicode code point order, as DynamoDB sorts and
 * compares strings. JavaScript's `<` compares UTF-16 units instead, which differs where a surrogate
 * pair (U+10000 and up) meets a character from U+E000 to U+FFFF: '\uFF61' < '😀' in UTF-16 units, but
 * U+FF61 (EF BD A1) sorts before U+1F600 (F0 9F 98 80) in UTF-8.
 *
 * @example
 * compareUtf8('\uFF61', '\uD83D\uDE00'); // -1
 */
export function compareUtf8(a: string, b: string): -1 | 0 | 1 {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (D800-DFFF) move above E000-FFFF; both groups keep their inner order.
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/** Sextet value of each base64 character code (the alphabet is not in ASCII order). */
const SEXTET = new Uint8Array(128);
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
for (let i = 0; i < ALPHABET.length; i++) SEXTET[ALPHABET.charCodeAt(i)] = i;
const PAD = 61; // '='

/** Base64 of request-supplied bytes, computed once per array: filters compare it against every item. */
const base64Cache = new WeakMap<Uint8Array, string>();

/**
 * Canonical base64 text of a binary value in either form; equal bytes give equal text.
 *
 * @example
 * base64Of(new Uint8Array([97])); // 'YQ=='
 */
export function base64Of(b: Binary): string {
  if (typeof b === 'string') return b;
  let text = base64Cache.get(b);
  if (text === undefined) {
    text = bytesToBase64(b);
    base64Cache.set(b, text);
  }
  return text;
}

/**
 * Unsigned byte order of two binaries given as canonical base64. Comparing sextet by sextet is
 * comparing the bit strings, except that the last sextet of the shorter value is padded with zero
 * bits; those only ever meet the longer value's bits when the shorter is a prefix of it, so the
 * answer is still "shorter first".
 */
function compareBase64(a: string, b: string): -1 | 0 | 1 {
  if (a === b) return 0;
  let na = a.length;
  let nb = b.length;
  while (na > 0 && a.charCodeAt(na - 1) === PAD) na--;
  while (nb > 0 && b.charCodeAt(nb - 1) === PAD) nb--;
  const n = Math.min(na, nb);
  for (let i = 0; i < n; i++) {
    const x = SEXTET[a.charCodeAt(i)]!;
    const y = SEXTET[b.charCodeAt(i)]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  // Equal sextets to the end of one: whichever holds fewer bytes is the prefix.
  const la = (na * 6) >> 3;
  const lb = (nb * 6) >> 3;
  return la < lb ? -1 : la > lb ? 1 : 0;
}

/**
 * Unsigned byte order of two binary values, each base64 text or bytes.
 *
 * @example
 * compareBinary(new Uint8Array([0x7f]), new Uint8Array([0x80])); // -1
 */
export function compareBinary(a: Binary, b: Binary): -1 | 0 | 1 {
  if (typeof a !== 'string' && typeof b !== 'string') {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
    }
    return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
  }
  return compareBase64(base64Of(a), base64Of(b));
}

type Members = Partial<Record<string, unknown>>;

/**
 * The order DynamoDB's `<`, `<=`, `>`, `>=` and BETWEEN use: two strings by UTF-8 bytes, two numbers
 * by value, two binaries by unsigned bytes. Any other pair (different types, or a type with no
 * order: BOOL, NULL, sets, L, M) is unordered and gives undefined, which every comparison treats as
 * false (alternator's tests, checked against DynamoDB: `x < :v` with a list x is a failed condition).
 *
 * @example
 * compareValues({ N: '-1.5' }, { N: '2' }); // -1
 * compareValues({ N: '1' }, { S: '1' }); // undefined
 */
export function compareValues(a: AttributeValue, b: AttributeValue): -1 | 0 | 1 | undefined {
  const x = a as Members;
  const y = b as Members;
  if (x.S !== undefined) return y.S !== undefined ? compareUtf8(x.S as string, y.S as string) : undefined;
  if (x.N !== undefined) return y.N !== undefined ? compareNumberText(x.N as string, y.N as string) : undefined;
  if (x.B !== undefined) return y.B !== undefined ? compareBinary(x.B as Binary, y.B as Binary) : undefined;
  return undefined;
}

function sameStringSet(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  if (a.length > 16) {
    const set = new Set(a);
    for (const s of b) if (!set.has(s)) return false;
    return true;
  }
  // Set elements are distinct, so one inclusion and equal sizes make equal sets.
  for (const s of b) if (!a.includes(s)) return false;
  return true;
}

function sameNumberSet(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  return sameStringSet(a.map(normaliseNumber), b.map(normaliseNumber));
}

function sameBinarySet(a: Binary[], b: Binary[]): boolean {
  if (a.length !== b.length) return false;
  return sameStringSet(a.map(base64Of), b.map(base64Of));
}

/**
 * Whether two values are equal as DynamoDB's `=` sees them: same type and same value, numbers by
 * value ("1.50" = "1.5"), binaries by bytes (base64 text or Uint8Array), sets regardless of order,
 * lists element by element in order, maps key by key, all the way down.
 *
 * @example
 * valuesEqual({ SS: ['a', 'b'] }, { SS: ['b', 'a'] }); // true
 * valuesEqual({ N: '1' }, { S: '1' }); // false
 */
export function valuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  const x = a as Members;
  const y = b as Members;
  if (x.S !== undefined) return x.S === y.S;
  if (x.N !== undefined) return y.N !== undefined && compareNumberText(x.N as string, y.N as string) === 0;
  if (x.B !== undefined) return y.B !== undefined && base64Of(x.B as Binary) === base64Of(y.B as Binary);
  if (x.BOOL !== undefined) return y.BOOL !== undefined && !!x.BOOL === !!y.BOOL;
  if (x.NULL !== undefined) return y.NULL !== undefined;
  if (x.L !== undefined) {
    if (y.L === undefined) return false;
    const l = x.L as AttributeValue[];
    const m = y.L as AttributeValue[];
    if (l.length !== m.length) return false;
    for (let i = 0; i < l.length; i++) if (!valuesEqual(l[i]!, m[i]!)) return false;
    return true;
  }
  if (x.M !== undefined) {
    if (y.M === undefined) return false;
    const l = x.M as Record<string, AttributeValue>;
    const m = y.M as Record<string, AttributeValue>;
    let count = 0;
    for (const key in l) {
      if (!Object.prototype.hasOwnProperty.call(m, key) || !valuesEqual(l[key]!, m[key]!)) return false;
      count++;
    }
    for (const key in m) if (--count < 0) return false;
    return count === 0;
  }
  if (x.SS !== undefined) return y.SS !== undefined && sameStringSet(x.SS as string[], y.SS as string[]);
  if (x.NS !== undefined) return y.NS !== undefined && sameNumberSet(x.NS as string[], y.NS as string[]);
  if (x.BS !== undefined) return y.BS !== undefined && sameBinarySet(x.BS as Binary[], y.BS as Binary[]);
  return false;
}
