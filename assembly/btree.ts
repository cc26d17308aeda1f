// B+tree over byte-string keys mapping to u32 values.
//
// Every operation takes its key from a probe (pointer, length, prefix) that
// the caller sets with setProbe; lookups (get, floor, seek) never allocate.
//
// Tree record (@unmanaged, one heap block per tree; its address is the handle).
//
// Node (one heap block, size fixed per tree; C = maxKeys + 1 slots, one more
// than a node may keep, so an insert can overflow a node before it splits):
//
//   0       4       8       12      16                            keysAt          valsAt
//   ┌───────┬───────┬───────┬───────┬──────────────┬──────────────┬───────────────┬─────────────────────────┐
//   │ count │ leaf  │ prev  │ next  │ word0[C] u64 │ rest[C]      │ key[C]  u32   │ leaf:     value[C] u32  │
//   │       │ 0 / 1 │ leaves only   │ bytes 0..8   │ 2 x u64:     │ → key record  │ internal: child[C+1] u32│
//   │       │       │               │              │ bytes 8..24  │               │                         │
//   └───────┴───────┴───────┴───────┴──────────────┴──────────────┴───────────────┴─────────────────────────┘
//
// word0[i] and rest[i] hold the first 24 bytes of key i (zero-padded) as three
// words, each read big-endian so that integer order is byte order: its inline
// prefix. Table keys start with an 8-byte hash, which ends most comparisons in
// word0 alone (an array of its own, so a search over it touches few cache
// lines); keys that share it (an item collection, or the entries of one index
// partition key value) mostly differ within the next 16 bytes, the partition
// key and the start of the sort key, which rest[i] keeps together. Either way
// a comparison rarely touches the out-of-line key record, a likely cache miss:
//
//   ┌────────────┬──────────────────┐
//   │ len    u32 │ bytes[len]       │   allocated copy, owned by one node slot
//   └────────────┴──────────────────┘
//
// Internal node with n keys has n+1 children and
//   keys(child[i]) < key[i] <= keys(child[i+1]).
// Separators are copies (never shared with leaves), so deleting a leaf key
// never touches internal nodes unless the leaf underflows.

import { KEY_SIZE, IN, OUT, NONE } from './buffers';

// @ts-ignore: decorator
@inline export const DEFAULT_FANOUT: i32 = 64;
// @ts-ignore: decorator
@inline export const MIN_FANOUT: i32 = 4;
// @ts-ignore: decorator
@inline export const MAX_FANOUT: i32 = 1024;
/** Height bound: even at MIN_FANOUT (>= 2 keys per node) 2^32 keys need < 33 levels. */
// @ts-ignore: decorator
@inline const MAX_HEIGHT: i32 = 40;
/** "TREE"; cleared on free so a stale handle traps instead of corrupting memory. */
// @ts-ignore: decorator
@inline export const TREE_MAGIC: u32 = 0x54524545;

// @ts-ignore: decorator
@inline const NODE_COUNT: usize = 0;
// @ts-ignore: decorator
@inline const NODE_LEAF: usize = 4;
// @ts-ignore: decorator
@inline const NODE_PREV: usize = 8;
// @ts-ignore: decorator
@inline const NODE_NEXT: usize = 12;
// @ts-ignore: decorator
@inline const NODE_PREFIX: usize = 16;
/** Bytes of each key kept inline in its node, as three big-endian u64 words. */
// @ts-ignore: decorator
@inline const PREFIX_BYTES: i32 = 24;

// checkValid results: the first broken invariant.
// @ts-ignore: decorator
@inline export const CHECK_OK: i32 = 0;
// @ts-ignore: decorator
@inline export const CHECK_OCCUPANCY: i32 = 1;
// @ts-ignore: decorator
@inline export const CHECK_ORDER: i32 = 2;
// @ts-ignore: decorator
@inline export const CHECK_PREFIX: i32 = 3;
// @ts-ignore: decorator
@inline export const CHECK_SEPARATOR: i32 = 4;
// @ts-ignore: decorator
@inline export const CHECK_DEPTH: i32 = 5;
// @ts-ignore: decorator
@inline export const CHECK_LINKS: i32 = 6;
// @ts-ignore: decorator
@inline export const CHECK_COUNT: i32 = 7;
// @ts-ignore: decorator
@inline export const CHECK_KEY_LENGTH: i32 = 8;

// bulk-load results
// @ts-ignore: decorator
@inline export const BULK_OK: i32 = 0;
// @ts-ignore: decorator
@inline export const BULK_NOT_EMPTY: i32 = 1;
// @ts-ignore: decorator
@inline export const BULK_NOT_INCREASING: i32 = 2;
// @ts-ignore: decorator
@inline export const BULK_BAD_RECORD: i32 = 3;

@unmanaged export class Tree {
  magic: u32;
  root: usize;
  count: u32;
  /** Levels including the leaves; 1 while the root is a leaf. */
  height: i32;
  maxKeys: i32;
  minKeys: i32;
  /** Bumped by every change that can move entries; cursors re-seek when it differs. */
  version: u32;
  nodeBytes: u32;
  keysAt: u32;
  valsAt: u32;
  /** Last leaf while a bulk load is in progress, else 0. */
  loading: usize;
}

// Layout of the tree being worked on, loaded once per exported call.
let KEYS_AT: usize = 0;
let VALS_AT: usize = 0;
/** Offset of a node's rest[] array from its word0[] array: 8 bytes per slot. */
let REST_AT: usize = 0;

// The probe key. PROBE may point into KEY, IN, a cursor or a key record.
let PROBE: usize = 0;
let PROBE_LEN: i32 = 0;
let PROBE_P0: u64 = 0;
let PROBE_P1: u64 = 0;
let PROBE_P2: u64 = 0;

/** Root-to-leaf path of the last descend(): node and child index per level. */
const PATH_NODE: usize = memory.data(MAX_HEIGHT * 4, 16);
const PATH_INDEX: usize = memory.data(MAX_HEIGHT * 4, 16);

// ---------------------------------------------------------------- accessors

// @ts-ignore: decorator
@inline export function enter(t: Tree): void {
  KEYS_AT = t.keysAt;
  VALS_AT = t.valsAt;
  REST_AT = (KEYS_AT - NODE_PREFIX) / 3;
}

// @ts-ignore: decorator
@inline export function count(n: usize): i32 { return load<i32>(n, NODE_COUNT); }
// @ts-ignore: decorator
@inline function setCount(n: usize, c: i32): void { store<i32>(n, c, NODE_COUNT); }
// @ts-ignore: decorator
@inline function isLeaf(n: usize): bool { return load<u32>(n, NODE_LEAF) != 0; }
// @ts-ignore: decorator
@inline export function prev(n: usize): usize { return load<u32>(n, NODE_PREV); }
// @ts-ignore: decorator
@inline export function next(n: usize): usize { return load<u32>(n, NODE_NEXT); }
// @ts-ignore: decorator
@inline function setPrev(n: usize, p: usize): void { store<u32>(n, p, NODE_PREV); }
// @ts-ignore: decorator
@inline function setNext(n: usize, p: usize): void { store<u32>(n, p, NODE_NEXT); }

// @ts-ignore: decorator
@inline function prefixSlot(n: usize, i: i32): usize { return n + NODE_PREFIX + (<usize>i << 3); }
// @ts-ignore: decorator
@inline function restSlot(n: usize, i: i32): usize { return n + NODE_PREFIX + REST_AT + (<usize>i << 4); }
// @ts-ignore: decorator
@inline function keySlot(n: usize, i: i32): usize { return n + KEYS_AT + (<usize>i << 2); }
// @ts-ignore: decorator
@inline function valSlot(n: usize, i: i32): usize { return n + VALS_AT + (<usize>i << 2); }

// i < C for every caller, so each slot load stays inside the node block.
// @ts-ignore: decorator
@inline export function keyAt(n: usize, i: i32): usize { return load<u32>(keySlot(n, i)); }
// @ts-ignore: decorator
@inline export function valAt(n: usize, i: i32): u32 { return load<u32>(valSlot(n, i)); }

/** Puts key record rec in slot i, with its inline prefix. */
// @ts-ignore: decorator
@inline function setEntry(n: usize, i: i32, rec: usize): void {
  let p = rec + 4;
  let len = load<i32>(rec);
  store<u64>(prefixSlot(n, i), wordOf(p, len, 0));
  let rest = restSlot(n, i);
  store<u64>(rest, wordOf(p, len, 8));
  store<u64>(rest, wordOf(p, len, 16), 8);
  store<u32>(keySlot(n, i), rec);
}
// @ts-ignore: decorator
@inline function setVal(n: usize, i: i32, v: u32): void { store<u32>(valSlot(n, i), v); }

/** Moves k prefixes and key pointers (overlap allowed). */
// @ts-ignore: decorator
@inline function moveKeys(dst: usize, di: i32, src: usize, si: i32, k: i32): void {
  memory.copy(prefixSlot(dst, di), prefixSlot(src, si), <usize>k << 3);
  memory.copy(restSlot(dst, di), restSlot(src, si), <usize>k << 4);
  memory.copy(keySlot(dst, di), keySlot(src, si), <usize>k << 2);
}
/** Moves k values or child pointers (overlap allowed). */
// @ts-ignore: decorator
@inline function moveVals(dst: usize, di: i32, src: usize, si: i32, k: i32): void {
  memory.copy(valSlot(dst, di), valSlot(src, si), <usize>k << 2);
}

// ---------------------------------------------------------------- keys

/** Bytes at..at+8 of p[0..len], zero-padded, as a big-endian integer. */
// @ts-ignore: decorator
@inline function wordOf(p: usize, len: i32, at: i32): u64 {
  if (len >= at + 8) return bswap<u64>(load<u64>(p + <usize>at)); // 8 bytes inside the key
  let v: u64 = 0;
  for (let i = at; i < len; i++) v |= <u64>load<u8>(p + <usize>i) << (56 - (<u64>(i - at) << 3));
  return v;
}

/** Unsigned comparison of a[0..n] and b[0..n]: -1, 0 or 1. */
function compareBytes(a: usize, b: usize, n: i32): i32 {
  let i = 0;
  while (i + 8 <= n) {
    let x = load<u64>(a + <usize>i); // both ranges hold n bytes
    let y = load<u64>(b + <usize>i);
    if (x != y) return bswap<u64>(x) < bswap<u64>(y) ? -1 : 1;
    i += 8;
  }
  while (i < n) {
    let x = load<u8>(a + <usize>i);
    let y = load<u8>(b + <usize>i);
    if (x != y) return x < y ? -1 : 1;
    i++;
  }
  return 0;
}

/** Compares a[0..aLen] with a key record whose inline prefix is known to be equal. */
function compareTail(a: usize, aLen: i32, rec: usize): i32 {
  let bLen = load<i32>(rec);
  let m = min(aLen, bLen);
  // Equal prefixes mean the first min(m, PREFIX_BYTES) bytes are equal.
  if (m > PREFIX_BYTES) {
    let c = compareBytes(a + <usize>PREFIX_BYTES, rec + 4 + <usize>PREFIX_BYTES, m - PREFIX_BYTES);
    if (c != 0) return c;
  }
  return aLen < bLen ? -1 : i32(aLen > bLen);
}

/** Compares two key records. */
function compareRecords(a: usize, b: usize): i32 {
  let aLen = load<i32>(a);
  let bLen = load<i32>(b);
  let c = compareBytes(a + 4, b + 4, min(aLen, bLen));
  if (c != 0) return c;
  return aLen < bLen ? -1 : i32(aLen > bLen);
}

// @ts-ignore: decorator
@inline export function setProbe(p: usize, len: i32): void {
  PROBE = p;
  PROBE_LEN = len;
  PROBE_P0 = wordOf(p, len, 0);
  PROBE_P1 = wordOf(p, len, 8);
  PROBE_P2 = wordOf(p, len, 16);
}

/** Points the probe at a key record. */
// @ts-ignore: decorator
@inline export function setProbeRecord(rec: usize): void {
  setProbe(rec + 4, load<i32>(rec));
}

/** Sign of (probe - key i of node n). */
// @ts-ignore: decorator
@inline export function compareProbe(n: usize, i: i32): i32 {
  let w = load<u64>(prefixSlot(n, i));
  if (PROBE_P0 != w) return PROBE_P0 < w ? -1 : 1;
  let rest = restSlot(n, i);
  w = load<u64>(rest);
  if (PROBE_P1 != w) return PROBE_P1 < w ? -1 : 1;
  w = load<u64>(rest, 8);
  if (PROBE_P2 != w) return PROBE_P2 < w ? -1 : 1;
  return compareTail(PROBE, PROBE_LEN, keyAt(n, i));
}

/** First index in n[0..c] whose key is >= the probe. */
function lowerBound(n: usize, c: i32): i32 {
  let lo = 0;
  let hi = c;
  while (lo < hi) {
    let mid = (lo + hi) >>> 1;
    if (compareProbe(n, mid) <= 0) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** First index in n[0..c] whose key is > the probe. */
function upperBound(n: usize, c: i32): i32 {
  let lo = 0;
  let hi = c;
  while (lo < hi) {
    let mid = (lo + hi) >>> 1;
    if (compareProbe(n, mid) < 0) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The record of the key the last delete removed, kept for the next copyKey:
 * a moving index entry is a delete then an insert of a key of about the same
 * length, and reusing the record spares the allocator a free and an
 * allocation. A record's capacity is at least the length it stores.
 */
let SPARE: usize = 0;

function copyKey(p: usize, len: i32): usize {
  let rec = SPARE;
  if (rec != 0 && load<i32>(rec) >= len) SPARE = 0;
  else rec = heap.alloc(<usize>len + 4);
  store<i32>(rec, len);
  memory.copy(rec + 4, p, <usize>len);
  return rec;
}

/** Gives up a deleted key's record: it becomes the spare, and the previous spare is freed. */
function releaseKey(rec: usize): void {
  if (SPARE != 0) heap.free(SPARE);
  SPARE = rec;
}

// @ts-ignore: decorator
@inline function copyRecord(rec: usize): usize {
  return copyKey(rec + 4, load<i32>(rec));
}

// ---------------------------------------------------------------- trees

function newNode(t: Tree, leaf: bool): usize {
  let n = heap.alloc(t.nodeBytes);
  setCount(n, 0);
  store<u32>(n, leaf ? 1 : 0, NODE_LEAF);
  setPrev(n, 0);
  setNext(n, 0);
  return n;
}

/** A new empty tree, or 0 if maxKeys is outside MIN_FANOUT..MAX_FANOUT. */
export function treeNew(maxKeys: i32): Tree | null {
  if (maxKeys < MIN_FANOUT || maxKeys > MAX_FANOUT) return null;
  let t = changetype<Tree>(heap.alloc(offsetof<Tree>()));
  let slots = <u32>maxKeys + 1;
  t.magic = TREE_MAGIC;
  t.count = 0;
  t.height = 1;
  t.maxKeys = maxKeys;
  // The smallest occupancy that a merge of an underflowing node with a
  // minimal sibling still fits: (min - 1) + 1 + min <= maxKeys.
  t.minKeys = maxKeys >> 1;
  t.version = 0;
  t.keysAt = <u32>NODE_PREFIX + slots * <u32>PREFIX_BYTES;
  t.valsAt = t.keysAt + (slots << 2);
  t.nodeBytes = t.valsAt + ((slots + 1) << 2);
  t.loading = 0;
  t.root = newNode(t, true);
  return t;
}

function freeNode(n: usize): void {
  let c = count(n);
  for (let i = 0; i < c; i++) heap.free(keyAt(n, i));
  if (!isLeaf(n)) {
    for (let i = 0; i <= c; i++) freeNode(valAt(n, i));
  }
  heap.free(n);
}

export function treeFree(t: Tree): void {
  enter(t);
  freeNode(t.root);
  t.magic = 0;
  heap.free(changetype<usize>(t));
}

/** The leaf where the probe belongs, without recording the path. */
// @ts-ignore: decorator
@inline export function findLeaf(t: Tree): usize {
  let n = t.root;
  while (!isLeaf(n)) n = valAt(n, upperBound(n, count(n)));
  return n;
}

/** Like findLeaf, recording the path in PATH_NODE / PATH_INDEX. */
function descend(t: Tree): usize {
  let n = t.root;
  let level: usize = 0;
  while (!isLeaf(n)) {
    let i = upperBound(n, count(n));
    store<u32>(PATH_NODE + (level << 2), n); // level < height <= MAX_HEIGHT
    store<i32>(PATH_INDEX + (level << 2), i);
    n = valAt(n, i);
    level++;
  }
  return n;
}

export function edgeLeaf(t: Tree, last: bool): usize {
  let n = t.root;
  while (!isLeaf(n)) n = valAt(n, last ? count(n) : 0);
  return n;
}

/** Value stored under the probe, or NONE. O(log n), no allocation. */
export function treeGet(t: Tree): u32 {
  let leaf = findLeaf(t);
  let c = count(leaf);
  let i = lowerBound(leaf, c);
  if (i < c && compareProbe(leaf, i) == 0) return valAt(leaf, i);
  return NONE;
}

/** Value of the greatest key <= the probe, or NONE. */
export function treeFloor(t: Tree): u32 {
  let leaf = findLeaf(t);
  let i = upperBound(leaf, count(leaf)) - 1;
  if (i >= 0) return valAt(leaf, i);
  // Stale separators can route a probe to a leaf whose keys all exceed it;
  // then the floor is the last key of the previous leaf (never empty).
  let p = prev(leaf);
  return p != 0 ? valAt(p, count(p) - 1) : NONE;
}

/** Inserts or replaces the probe's value; returns the old value or NONE. */
export function treeSet(t: Tree, value: u32): u32 {
  let leaf = descend(t);
  let c = count(leaf);
  let i = lowerBound(leaf, c);
  if (i < c && compareProbe(leaf, i) == 0) {
    let old = valAt(leaf, i);
    setVal(leaf, i, value);
    return old;
  }
  moveKeys(leaf, i + 1, leaf, i, c - i);
  moveVals(leaf, i + 1, leaf, i, c - i);
  setEntry(leaf, i, copyKey(PROBE, PROBE_LEN));
  setVal(leaf, i, value);
  setCount(leaf, c + 1);
  t.count++;
  t.version++;
  if (c + 1 > t.maxKeys) split(t, leaf);
  return NONE;
}

/** Splits the overflowing leaf and any parents it overflows, using the path of descend(). */
function split(t: Tree, leaf: usize): void {
  let c = count(leaf);
  let keep = c >> 1;
  let right = newNode(t, true);
  moveKeys(right, 0, leaf, keep, c - keep);
  moveVals(right, 0, leaf, keep, c - keep);
  setCount(right, c - keep);
  setCount(leaf, keep);
  let after = next(leaf);
  setNext(right, after);
  if (after != 0) setPrev(after, right);
  setPrev(right, leaf);
  setNext(leaf, right);
  let sep = copyRecord(keyAt(right, 0));
  let left = leaf;
  let level = t.height - 1;
  while (level > 0) {
    level--;
    let parent = <usize>load<u32>(PATH_NODE + (<usize>level << 2));
    let at = load<i32>(PATH_INDEX + (<usize>level << 2));
    let pc = count(parent);
    moveKeys(parent, at + 1, parent, at, pc - at);
    moveVals(parent, at + 2, parent, at + 1, pc - at);
    setEntry(parent, at, sep);
    setVal(parent, at + 1, <u32>right);
    pc++;
    setCount(parent, pc);
    if (pc <= t.maxKeys) return;
    // The middle separator moves up; the halves keep floor(pc/2) and the rest.
    let half = pc >> 1;
    let sibling = newNode(t, false);
    moveKeys(sibling, 0, parent, half + 1, pc - half - 1);
    moveVals(sibling, 0, parent, half + 1, pc - half);
    setCount(sibling, pc - half - 1);
    setCount(parent, half);
    sep = keyAt(parent, half);
    left = parent;
    right = sibling;
  }
  let root = newNode(t, false);
  setEntry(root, 0, sep);
  setVal(root, 0, <u32>left);
  setVal(root, 1, <u32>right);
  setCount(root, 1);
  t.root = root;
  t.height++;
}

/** Removes the probe; returns its value or NONE. */
export function treeDelete(t: Tree): u32 {
  let leaf = descend(t);
  let c = count(leaf);
  let i = lowerBound(leaf, c);
  if (i >= c || compareProbe(leaf, i) != 0) return NONE;
  let old = valAt(leaf, i);
  releaseKey(keyAt(leaf, i));
  moveKeys(leaf, i, leaf, i + 1, c - i - 1);
  moveVals(leaf, i, leaf, i + 1, c - i - 1);
  setCount(leaf, c - 1);
  t.count--;
  t.version++;
  rebalance(t, leaf);
  return old;
}

/** Restores minimum occupancy up the path of descend(), borrowing before merging. */
function rebalance(t: Tree, node: usize): void {
  let min = t.minKeys;
  let level = t.height - 1;
  while (level > 0 && count(node) < min) {
    let parent = <usize>load<u32>(PATH_NODE + (<usize>(level - 1) << 2));
    let at = load<i32>(PATH_INDEX + (<usize>(level - 1) << 2));
    let pc = count(parent);
    let left: usize = at > 0 ? <usize>valAt(parent, at - 1) : 0;
    let right: usize = at < pc ? <usize>valAt(parent, at + 1) : 0;
    if (left != 0 && count(left) > min) {
      if (isLeaf(node)) borrowLeafLeft(parent, at, left, node);
      else borrowInnerLeft(parent, at, left, node);
      return;
    }
    if (right != 0 && count(right) > min) {
      if (isLeaf(node)) borrowLeafRight(parent, at, node, right);
      else borrowInnerRight(parent, at, node, right);
      return;
    }
    if (left != 0) merge(parent, at - 1, left, node);
    else merge(parent, at, node, right);
    node = parent;
    level--;
  }
  if (level == 0 && !isLeaf(node) && count(node) == 0) {
    t.root = valAt(node, 0);
    heap.free(node);
    t.height--;
  }
}

/** Replaces parent separator i with a copy of key 0 of leaf n. */
function resetSeparator(parent: usize, i: i32, n: usize): void {
  heap.free(keyAt(parent, i));
  setEntry(parent, i, copyRecord(keyAt(n, 0)));
}

function borrowLeafLeft(parent: usize, at: i32, left: usize, node: usize): void {
  let c = count(node);
  let lc = count(left) - 1;
  moveKeys(node, 1, node, 0, c);
  moveVals(node, 1, node, 0, c);
  moveKeys(node, 0, left, lc, 1);
  moveVals(node, 0, left, lc, 1);
  setCount(node, c + 1);
  setCount(left, lc);
  resetSeparator(parent, at - 1, node);
}

function borrowLeafRight(parent: usize, at: i32, node: usize, right: usize): void {
  let c = count(node);
  let rc = count(right) - 1;
  moveKeys(node, c, right, 0, 1);
  moveVals(node, c, right, 0, 1);
  moveKeys(right, 0, right, 1, rc);
  moveVals(right, 0, right, 1, rc);
  setCount(node, c + 1);
  setCount(right, rc);
  resetSeparator(parent, at, right);
}

/** Rotates right through the parent: separator down into node, left's last key up. */
function borrowInnerLeft(parent: usize, at: i32, left: usize, node: usize): void {
  let c = count(node);
  let lc = count(left) - 1;
  moveKeys(node, 1, node, 0, c);
  moveVals(node, 1, node, 0, c + 1);
  moveKeys(node, 0, parent, at - 1, 1);
  moveVals(node, 0, left, lc + 1, 1);
  moveKeys(parent, at - 1, left, lc, 1);
  setCount(node, c + 1);
  setCount(left, lc);
}

/** Rotates left through the parent: separator down into node, right's first key up. */
function borrowInnerRight(parent: usize, at: i32, node: usize, right: usize): void {
  let c = count(node);
  let rc = count(right) - 1;
  moveKeys(node, c, parent, at, 1);
  moveVals(node, c + 1, right, 0, 1);
  moveKeys(parent, at, right, 0, 1);
  moveKeys(right, 0, right, 1, rc);
  moveVals(right, 0, right, 1, rc + 1);
  setCount(node, c + 1);
  setCount(right, rc);
}

/** Merges right into left and removes separator i (between them) from parent. */
function merge(parent: usize, i: i32, left: usize, right: usize): void {
  let lc = count(left);
  let rc = count(right);
  if (isLeaf(left)) {
    moveKeys(left, lc, right, 0, rc);
    moveVals(left, lc, right, 0, rc);
    setCount(left, lc + rc);
    let after = next(right);
    setNext(left, after);
    if (after != 0) setPrev(after, left);
    heap.free(keyAt(parent, i));
  } else {
    moveKeys(left, lc, parent, i, 1);
    moveKeys(left, lc + 1, right, 0, rc);
    moveVals(left, lc + 1, right, 0, rc + 1);
    setCount(left, lc + 1 + rc);
  }
  heap.free(right);
  let pc = count(parent);
  moveKeys(parent, i, parent, i + 1, pc - i - 1);
  moveVals(parent, i + 1, parent, i + 2, pc - i - 1);
  setCount(parent, pc - 1);
}

/** Looks up `n` keys packed in IN as [len u32][bytes], writing values to OUT. */
export function treeGetMany(t: Tree, n: i32): void {
  let p = IN;
  for (let i = 0; i < n; i++) {
    let len = load<i32>(p); // JS packed n whole records into IN
    setProbe(p + 4, len);
    store<u32>(OUT + (<usize>i << 2), treeGet(t));
    p += 4 + <usize>len;
  }
}

// ---------------------------------------------------------------- bulk load

export function bulkBegin(t: Tree): i32 {
  if (t.count != 0) return BULK_NOT_EMPTY;
  t.loading = t.root;
  return BULK_OK;
}

/**
 * Appends records packed in IN[0..bytes] as [len u32][value u32][key bytes],
 * filling leaves left to right. Keys must strictly increase across all
 * pushes; on error the tree is emptied again.
 */
export function bulkPush(t: Tree, bytes: i32): i32 {
  let p = IN;
  let end = IN + <usize>bytes;
  let tail = t.loading;
  while (p < end) {
    if (p + 8 > end) return bulkFail(t, BULK_BAD_RECORD);
    let len = load<i32>(p);      // header inside IN[0..bytes]
    let value = load<u32>(p, 4);
    let key = p + 8;
    if (<u32>len > <u32>KEY_SIZE || key + <usize>len > end) return bulkFail(t, BULK_BAD_RECORD);
    setProbe(key, len);
    let c = count(tail);
    if (c > 0 && compareProbe(tail, c - 1) <= 0) return bulkFail(t, BULK_NOT_INCREASING);
    if (c == t.maxKeys) {
      let leaf = newNode(t, true);
      setNext(tail, leaf);
      setPrev(leaf, tail);
      tail = leaf;
      t.loading = leaf;
      c = 0;
    }
    setEntry(tail, c, copyKey(key, len));
    setVal(tail, c, value);
    setCount(tail, c + 1);
    t.count++;
    p = key + <usize>len;
  }
  t.loading = tail;
  return BULK_OK;
}

function bulkFail(t: Tree, code: i32): i32 {
  bulkAbort(t);
  return code;
}

/** Drops everything loaded so far; the tree is empty and valid again. */
export function bulkAbort(t: Tree): void {
  let leaf = t.root;
  while (leaf != 0) {
    let after = next(leaf);
    freeNode(leaf);
    leaf = after;
  }
  t.loading = 0;
  t.count = 0;
  t.height = 1;
  t.version++;
  t.root = newNode(t, true);
}

/** Evens out the last leaf, then builds the internal levels bottom-up. */
export function bulkEnd(t: Tree): void {
  let tail = t.loading;
  t.loading = 0;
  t.version++;
  let min = t.minKeys;
  let before = prev(tail);
  let tc = count(tail);
  if (before != 0 && tc < min) {
    // before is full, so both end up with at least (maxKeys + 1) / 2 >= min.
    let bc = count(before);
    let move = ((bc + tc) >> 1) - tc;
    moveKeys(tail, move, tail, 0, tc);
    moveVals(tail, move, tail, 0, tc);
    moveKeys(tail, 0, before, bc - move, move);
    moveVals(tail, 0, before, bc - move, move);
    setCount(tail, tc + move);
    setCount(before, bc - move);
  }
  let n = 0;
  for (let leaf = t.root; leaf != 0; leaf = next(leaf)) n++;
  if (n == 1) return;
  // Per level: nodes[i] and the record of the smallest key under it.
  let nodes = heap.alloc(<usize>n << 2);
  let mins = heap.alloc(<usize>n << 2);
  let i = 0;
  for (let leaf = t.root; leaf != 0; leaf = next(leaf)) {
    store<u32>(nodes + (<usize>i << 2), leaf); // i < n: one slot per leaf
    store<u32>(mins + (<usize>i << 2), keyAt(leaf, 0));
    i++;
  }
  let fan = t.maxKeys + 1;
  let height = 1;
  while (n > 1) {
    let parents = (n + fan - 1) / fan;
    let j = 0;
    for (let p = 0; p < parents; p++) {
      let take = fan;
      if (p == parents - 1) take = n - j;
      // Split the last two parents evenly when the last would underflow;
      // both then get at least (fan + 1) / 2 = minKeys + 1 children.
      else if (p == parents - 2 && n - j - fan < min + 1) take = (n - j) >> 1;
      let parent = newNode(t, false);
      for (let k = 0; k < take; k++) {
        let c = j + k; // c < n: reads stay inside this level's arrays
        setVal(parent, k, load<u32>(nodes + (<usize>c << 2)));
        if (k > 0) setEntry(parent, k - 1, copyRecord(load<u32>(mins + (<usize>c << 2))));
      }
      setCount(parent, take - 1);
      // p <= j, so this overwrites only slots already consumed.
      store<u32>(nodes + (<usize>p << 2), parent);
      store<u32>(mins + (<usize>p << 2), load<u32>(mins + (<usize>j << 2)));
      j += take;
    }
    n = parents;
    height++;
  }
  t.root = load<u32>(nodes);
  t.height = height;
  heap.free(nodes);
  heap.free(mins);
}

// ---------------------------------------------------------------- checkValid

let CHECK_LAST_LEAF: usize = 0;
let CHECK_SEEN: u32 = 0;

/**
 * 0 if every invariant holds, else the CHECK_* code of the first broken one.
 * Walks the whole tree: O(n).
 */
export function checkValid(t: Tree): i32 {
  CHECK_LAST_LEAF = 0;
  CHECK_SEEN = 0;
  let r = checkNode(t, t.root, 1, 0, 0);
  if (r != CHECK_OK) return r;
  if (CHECK_LAST_LEAF == 0 || next(CHECK_LAST_LEAF) != 0) return CHECK_LINKS;
  if (CHECK_SEEN != t.count) return CHECK_COUNT;
  return CHECK_OK;
}

/** lo (inclusive) and hi (exclusive) bound the keys under n; 0 = unbounded. */
function checkNode(t: Tree, n: usize, depth: i32, lo: usize, hi: usize): i32 {
  if (isLeaf(n) != (depth == t.height)) return CHECK_DEPTH;
  let c = count(n);
  if (c > t.maxKeys) return CHECK_OCCUPANCY;
  if (n == t.root ? (!isLeaf(n) && c < 1) : c < t.minKeys) return CHECK_OCCUPANCY;
  for (let i = 0; i < c; i++) {
    let rec = keyAt(n, i);
    let len = load<i32>(rec);
    if (<u32>len > <u32>KEY_SIZE) return CHECK_KEY_LENGTH;
    let rest = restSlot(n, i);
    if (wordOf(rec + 4, len, 0) != load<u64>(prefixSlot(n, i)) || wordOf(rec + 4, len, 8) != load<u64>(rest) || wordOf(rec + 4, len, 16) != load<u64>(rest, 8)) return CHECK_PREFIX;
    if (i > 0 && compareRecords(keyAt(n, i - 1), rec) >= 0) return CHECK_ORDER;
  }
  if (c > 0) {
    if (lo != 0 && compareRecords(keyAt(n, 0), lo) < 0) return CHECK_SEPARATOR;
    if (hi != 0 && compareRecords(keyAt(n, c - 1), hi) >= 0) return CHECK_SEPARATOR;
  }
  if (isLeaf(n)) {
    if (prev(n) != CHECK_LAST_LEAF) return CHECK_LINKS;
    if (CHECK_LAST_LEAF != 0 && next(CHECK_LAST_LEAF) != n) return CHECK_LINKS;
    CHECK_LAST_LEAF = n;
    CHECK_SEEN += <u32>c;
    return CHECK_OK;
  }
  for (let i = 0; i <= c; i++) {
    let r = checkNode(t, valAt(n, i), depth + 1, i > 0 ? keyAt(n, i - 1) : lo, i < c ? keyAt(n, i) : hi);
    if (r != CHECK_OK) return r;
  }
  return CHECK_OK;
}

/**
 * Test hook: breaks one invariant on purpose so tests can prove checkValid
 * notices. 1 swaps two keys of the first leaf, 2 cuts a back link, 3 skews
 * the count, 4 corrupts a stored prefix, 5 underfills a leaf. Returns 0 if
 * the tree is too small for that corruption.
 */
export function corrupt(t: Tree, kind: i32): i32 {
  let first = edgeLeaf(t, false);
  let c = count(first);
  if (kind == 1 && c >= 2) {
    let k0 = keyAt(first, 0);
    setEntry(first, 0, keyAt(first, 1));
    setEntry(first, 1, k0);
    return 1;
  }
  if (kind == 2 && next(first) != 0) { setPrev(next(first), 0); return 1; }
  if (kind == 3) { t.count++; return 1; }
  if (kind == 4 && c >= 1) { store<u64>(prefixSlot(first, 0), load<u64>(prefixSlot(first, 0)) ^ 1); return 1; }
  if (kind == 5 && next(first) != 0) { setCount(first, t.minKeys - 1); return 1; } // leaks the cut entries
  return 0;
}
