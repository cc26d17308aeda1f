// Order-preserving key encoding: unsigned bytewise comparison of two encodings
// (memcmp, then shorter first) gives DynamoDB's order of the values.
//
//   S  UTF-8 bytes as given (DynamoDB orders strings by UTF-8 bytes)
//   B  raw bytes as given
//   N  normalised to 0.d1d2..dn x 10^E, d1 != 0, no trailing zeros:
//
//        zero       ┌────┐
//                   │ 02 │
//                   └────┘
//        positive   ┌────┬─────────┬────────────────────────┐
//                   │ 03 │ E + 129 │ p1 p2 .. pm            │
//                   └────┴─────────┴────────────────────────┘
//        negative   ┌────┬───────────────┬──────────────────────────────┬────┐
//                   │ 01 │ 255-(E + 129) │ 101-p1 101-p2 .. 101-pm      │ FF │
//                   └────┴───────────────┴──────────────────────────────┴────┘
//
//      Each pk is a pair of digits, 10*d(2k) + d(2k+1) + 1 (1..100), the odd
//      last digit padded with 0. Pairs halve the length; the +1 keeps the
//      mantissa free of 00 bytes so composite keys rarely need escaping.
//      A negative mantissa is complemented so larger magnitudes sort first;
//      its FF trailer (above every complemented pair) makes -0.1 sort after
//      -0.15, i.e. a shorter mantissa after a longer one sharing its prefix.
//      DynamoDB's range, 1E-130 .. 9.99..E+125, is E = -129 .. 126, which the
//      bias 129 maps onto exactly one byte.
//
// Table keys (see encodeTableKey) escape each component and terminate it so
// that boundaries are unambiguous and a partition's keys share a prefix.

import { IN, IN_HALF, KEY, KEY_SIZE, TAIL } from './buffers';

/** Key types are 1 = S, 2 = N, 3 = B; only N is transformed. */
// @ts-ignore: decorator
@inline const TYPE_N: i32 = 2;

// @ts-ignore: decorator
@inline const N_NEGATIVE: u8 = 0x01;
// @ts-ignore: decorator
@inline const N_ZERO: u8 = 0x02;
// @ts-ignore: decorator
@inline const N_POSITIVE: u8 = 0x03;
// @ts-ignore: decorator
@inline const N_NEGATIVE_END: u8 = 0xFF;
// @ts-ignore: decorator
@inline const EXPONENT_BIAS: i32 = 129;
// @ts-ignore: decorator
@inline const EXPONENT_MIN: i32 = -129;
// @ts-ignore: decorator
@inline const EXPONENT_MAX: i32 = 126;
/** DynamoDB allows 38 significant digits; anything past this is dropped
 *  (input is validated upstream, this only bounds the scratch space). */
// @ts-ignore: decorator
@inline const MAX_DIGITS: i32 = 64;
/** Saturates absurd exponents long before i32 overflow; clamped afterwards. */
// @ts-ignore: decorator
@inline const EXPONENT_SATURATE: i32 = 100000;

/** Seed of the partition hash: ASCII "tidepool". Changing it moves every key. */
// @ts-ignore: decorator
@inline const HASH_SEED: u64 = 0x74696465706F6F6C;

// Escape sequences inside a table-key component. An escaped 00 (00 FF) sorts
// above the terminator (00 01), so a component that is a prefix of another
// sorts first, as it should.
// @ts-ignore: decorator
@inline const ESCAPE: u8 = 0xFF;
// @ts-ignore: decorator
@inline const TERMINATOR: u8 = 0x01;

// @ts-ignore: decorator
@inline const HASH_BYTES: i32 = 8;

/** A number's significant digits, one per byte, while it is parsed. */
const DIGITS: usize = memory.data(MAX_DIGITS, 16);
/** A number's encoding before it is escaped into a table key. */
const NUMBER: usize = memory.data(MAX_DIGITS / 2 + 4, 16);

// ---------------------------------------------------------------- xxHash64

// @ts-ignore: decorator
@inline const P1: u64 = 0x9E3779B185EBCA87;
// @ts-ignore: decorator
@inline const P2: u64 = 0xC2B2AE3D27D4EB4F;
// @ts-ignore: decorator
@inline const P3: u64 = 0x165667B19E3779F9;
// @ts-ignore: decorator
@inline const P4: u64 = 0x85EBCA77C2B2AE63;
// @ts-ignore: decorator
@inline const P5: u64 = 0x27D4EB2F165667C5;

// @ts-ignore: decorator
@inline function round(acc: u64, lane: u64): u64 {
  return rotl<u64>(acc + lane * P2, 31) * P1;
}

// @ts-ignore: decorator
@inline function merge(acc: u64, v: u64): u64 {
  return (acc ^ round(0, v)) * P1 + P4;
}

/** xxHash64 (the published algorithm, little-endian lanes as on every wasm host). */
export function xxh64(p: usize, len: i32, seed: u64): u64 {
  let end = p + <usize>len;
  let h: u64;
  if (len >= 32) {
    let v1 = seed + P1 + P2;
    let v2 = seed + P2;
    let v3 = seed;
    let v4 = seed - P1;
    let limit = end - 32;
    do {
      // p + 32 <= end: four whole lanes are inside the input
      v1 = round(v1, load<u64>(p));
      v2 = round(v2, load<u64>(p, 8));
      v3 = round(v3, load<u64>(p, 16));
      v4 = round(v4, load<u64>(p, 24));
      p += 32;
    } while (p <= limit);
    h = rotl<u64>(v1, 1) + rotl<u64>(v2, 7) + rotl<u64>(v3, 12) + rotl<u64>(v4, 18);
    h = merge(h, v1);
    h = merge(h, v2);
    h = merge(h, v3);
    h = merge(h, v4);
  } else {
    h = seed + P5;
  }
  h += <u64>len;
  while (p + 8 <= end) {
    h ^= round(0, load<u64>(p)); // whole lane inside the input
    h = rotl<u64>(h, 27) * P1 + P4;
    p += 8;
  }
  if (p + 4 <= end) {
    h ^= <u64>load<u32>(p) * P1; // 4 bytes inside the input
    h = rotl<u64>(h, 23) * P2 + P3;
    p += 4;
  }
  while (p < end) {
    h ^= <u64>load<u8>(p) * P5;
    h = rotl<u64>(h, 11) * P1;
    p++;
  }
  h ^= h >> 33;
  h *= P2;
  h ^= h >> 29;
  h *= P3;
  h ^= h >> 32;
  return h;
}

// ---------------------------------------------------------------- numbers

/**
 * number := [+-]? digit* ('.' digit*)? ([eE] [+-]? digit+)?
 * Writes the encoding of the (validated) decimal text at src to dst and
 * returns its length (at most 3 + MAX_DIGITS / 2 bytes).
 */
export function encodeNumber(src: usize, len: i32, dst: usize): i32 {
  let end = src + <usize>len;
  let p = src;
  let negative = false;
  if (p < end) {
    let c = load<u8>(p);
    if (c == 0x2D) { negative = true; p++; } // '-'
    else if (c == 0x2B) p++;                 // '+'
  }
  // Significant digits go to DIGITS one per byte; `first` is the index of the
  // first non-zero digit among all mantissa digits, `intDigits` the count of
  // digits before the point, so E = intDigits - first + exponent.
  let digits = 0;      // all mantissa digits seen
  let intDigits = -1;  // -1 until a point is seen
  let first = -1;
  let kept = 0;        // significant digits stored
  let lastNonZero = 0; // kept count up to the last non-zero digit
  while (p < end) {
    let c = <i32>load<u8>(p);
    if (c == 0x2E) { intDigits = digits; p++; continue; } // '.'
    let d = c - 0x30;
    if (<u32>d > 9) break;
    if (first < 0 && d != 0) first = digits;
    if (first >= 0 && kept < MAX_DIGITS) {
      store<u8>(DIGITS + <usize>kept, <u8>d);
      kept++;
      if (d != 0) lastNonZero = kept;
    }
    digits++;
    p++;
  }
  if (intDigits < 0) intDigits = digits;
  if (first < 0) {
    store<u8>(dst, N_ZERO);
    return 1;
  }
  let exponent = 0;
  if (p < end) { // 'e' or 'E'
    p++;
    let expNegative = false;
    if (p < end) {
      let c = load<u8>(p);
      if (c == 0x2D) { expNegative = true; p++; }
      else if (c == 0x2B) p++;
    }
    while (p < end) {
      let d = <i32>load<u8>(p) - 0x30;
      if (exponent < EXPONENT_SATURATE) exponent = exponent * 10 + d;
      p++;
    }
    if (expNegative) exponent = -exponent;
  }
  let e = intDigits - first + exponent;
  if (e < EXPONENT_MIN) e = EXPONENT_MIN;
  if (e > EXPONENT_MAX) e = EXPONENT_MAX;
  let biased = e + EXPONENT_BIAS;
  store<u8>(dst, negative ? N_NEGATIVE : N_POSITIVE);
  store<u8>(dst, <u8>(negative ? 255 - biased : biased), 1);
  let out = dst + 2;
  for (let i = 0; i < lastNonZero; i += 2) {
    let hi = <i32>load<u8>(DIGITS + <usize>i);
    let lo = i + 1 < lastNonZero ? <i32>load<u8>(DIGITS + <usize>i + 1) : 0;
    let pair = hi * 10 + lo + 1;
    store<u8>(out, <u8>(negative ? 101 - pair : pair));
    out++;
  }
  if (negative) {
    store<u8>(out, N_NEGATIVE_END);
    out++;
  }
  return <i32>(out - dst);
}

// ---------------------------------------------------------------- scalars

/** Writes the unescaped encoding of IN[0..len] to KEY; returns its length or -1 if too long. */
export function encodeScalar(type: i32, len: i32): i32 {
  if (type == TYPE_N) return encodeNumber(IN, len, KEY);
  if (len > KEY_SIZE) return -1;
  memory.copy(KEY, IN, <usize>len);
  return len;
}

/**
 * Escapes and terminates one component into KEY[at..]; returns the new end or
 * -1 if it would overflow KEY.
 */
function appendComponent(type: i32, src: usize, len: i32, at: i32): i32 {
  if (type == TYPE_N) {
    len = encodeNumber(src, len, NUMBER);
    src = NUMBER;
  }
  let end = src + <usize>len;
  let dst = KEY + <usize>at;
  let limit = KEY + <usize>KEY_SIZE - 4; // an escaped byte and the terminator
  while (src < end) {
    if (dst > limit) return -1;
    let b = load<u8>(src++);
    store<u8>(dst++, b);
    if (b == 0) store<u8>(dst++, ESCAPE);
  }
  store<u8>(dst, 0);
  store<u8>(dst, TERMINATOR, 1);
  return <i32>(dst + 2 - KEY);
}

/**
 * Encodes a table key into KEY. The partition value is IN[0..pkLen], the sort
 * value IN[IN_HALF..IN_HALF+skLen] (skType 0 = no sort key). Returns the
 * length, or -1 if the key exceeds KEY_SIZE.
 *
 *   0          8                               h                              n
 *   ┌──────────┬───────────────────────────────┬──────────────────────────────┐
 *   │ hash BE  │ escape(pk) 00 01              │ escape(sk) 00 01  (optional) │
 *   └──────────┴───────────────────────────────┴──────────────────────────────┘
 *   hash = xxh64(KEY[8..h], HASH_SEED), big-endian so bytewise order = numeric
 *
 * The hash spreads partitions evenly over the key space (parallel-scan
 * segments split it by hash), while the partition component still follows
 * so that a whole item collection is one contiguous range: KEY[0..h] with
 * no sort key is the prefix of every key in the collection.
 */
export function encodeTableKey(pkType: i32, pkLen: i32, skType: i32, skLen: i32): i32 {
  let h = appendComponent(pkType, IN, pkLen, HASH_BYTES);
  if (h < 0) return -1;
  // KEY[0..8] is inside the static KEY buffer
  store<u64>(KEY, bswap<u64>(xxh64(KEY + HASH_BYTES, h - HASH_BYTES, HASH_SEED)));
  if (skType == 0) return h;
  return appendComponent(skType, IN + IN_HALF, skLen, h);
}

/** Length of the table key tail in TAIL (see keepTail). */
let TAIL_LEN: i32 = 0;

/**
 * Keeps KEY[8..len], a table key without its hash, in TAIL: an item's index keys end with it, so
 * that entries are unique, and one item's index keys are encoded while KEY is reused for them.
 */
export function keepTail(len: i32): void {
  TAIL_LEN = len - HASH_BYTES;
  memory.copy(TAIL, KEY + HASH_BYTES, <usize>TAIL_LEN);
}

/**
 * Encodes an index key into KEY: the index key attributes as encodeTableKey does, then the tail
 * kept by keepTail. Returns the length, or -1 if the key exceeds KEY_SIZE.
 */
export function encodeIndexKey(pkType: i32, pkLen: i32, skType: i32, skLen: i32): i32 {
  let len = encodeTableKey(pkType, pkLen, skType, skLen);
  if (len < 0 || len + TAIL_LEN > KEY_SIZE) return -1;
  memory.copy(KEY + <usize>len, TAIL, <usize>TAIL_LEN);
  return len + TAIL_LEN;
}
