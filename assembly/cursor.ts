// Cursors: a position (leaf, index) plus a copy of the key there.
//
//   ┌──────┬──────┬───────┬─────────┬─────────┬───────┬───────────┬───────────┬──────────────────┐
//   │ tree │ leaf │ index │ version │ forward │ bound │ inclusive │ savedLen  │ saved[KEY_SIZE]  │
//   └──────┴──────┴───────┴─────────┴─────────┴───────┴───────────┴───────────┴──────────────────┘
//   leaf = 0: exhausted, for good.
//
// The position is only trusted while the tree's version is unchanged. Any
// insert or delete may split, merge or free the leaf, so a read after one
// re-seeks from the saved key: >= it when reading forward, <= it backward.
// Entries inserted behind the position are not revisited; a deleted saved
// key resumes at its successor. Copying the key after every read is the
// price of letting the engine mutate a tree while a cursor is open.
//
// The stop bound applies in the cursor's direction: the seek mode's natural
// one (ge/gt/first forward, le/lt/last backward) until the first read, then
// that of the last read. A cursor whose next entry lies past the bound is
// exhausted, so cursorKey answering "none" means a read would return nothing.

import { KEY, KEY_SIZE, OUT, OUT_SIZE } from './buffers';
import {
  Tree, enter, count, prev, next, keyAt, valAt, setProbe, setProbeRecord,
  compareProbe, findLeaf, edgeLeaf,
} from './btree';

// @ts-ignore: decorator
@inline export const SEEK_FIRST: i32 = 0;
// @ts-ignore: decorator
@inline export const SEEK_LAST: i32 = 1;
// @ts-ignore: decorator
@inline export const SEEK_GE: i32 = 2;
// @ts-ignore: decorator
@inline export const SEEK_GT: i32 = 3;
// @ts-ignore: decorator
@inline export const SEEK_LE: i32 = 4;
// @ts-ignore: decorator
@inline export const SEEK_LT: i32 = 5;

/** Values one read can return: OUT holds u32s. */
// @ts-ignore: decorator
@inline export const MAX_READ: i32 = OUT_SIZE >> 2;

@unmanaged export class Cursor {
  tree: Tree;
  leaf: usize;
  index: i32;
  version: u32;
  forward: bool;
  /** Key record of the stop bound, or 0. */
  bound: usize;
  inclusive: bool;
  savedLen: i32;
}

// @ts-ignore: decorator
@inline function saved(c: Cursor): usize {
  return changetype<usize>(c) + offsetof<Cursor>();
}

/** Positions c for the probe (or an edge) per mode; direction follows the mode. */
function seek(c: Cursor, mode: i32): void {
  let t = c.tree;
  let leaf: usize;
  let index: i32;
  let forward = mode == SEEK_FIRST || mode == SEEK_GE || mode == SEEK_GT;
  if (mode == SEEK_FIRST) {
    leaf = edgeLeaf(t, false);
    index = 0;
  } else if (mode == SEEK_LAST) {
    leaf = edgeLeaf(t, true);
    index = count(leaf) - 1;
  } else {
    leaf = findLeaf(t);
    let c = count(leaf);
    // ge: first key >= probe; gt: first > probe; le: last <= probe; lt: last < probe.
    let strict = mode == SEEK_GT || mode == SEEK_LE;
    let lo = 0;
    let hi = c;
    while (lo < hi) {
      let mid = (lo + hi) >>> 1;
      let r = compareProbe(leaf, mid);
      if (r < 0 || (r == 0 && !strict)) hi = mid;
      else lo = mid + 1;
    }
    index = forward ? lo : lo - 1;
  }
  // findLeaf lands on the probe's leaf; the answer may be the neighbour's
  // first or last entry (non-root leaves are never empty).
  if (forward && index >= count(leaf)) {
    leaf = next(leaf);
    index = 0;
  } else if (!forward && index < 0) {
    leaf = prev(leaf);
    if (leaf != 0) index = count(leaf) - 1;
  }
  c.leaf = leaf;
  c.index = index;
  c.forward = forward;
  c.version = t.version;
}

/** Copies the key at the position so the cursor survives tree changes. */
function save(c: Cursor): void {
  if (c.leaf == 0) return;
  let rec = keyAt(c.leaf, c.index);
  let len = load<i32>(rec); // record header; len <= KEY_SIZE
  memory.copy(saved(c), rec + 4, <usize>len);
  c.savedLen = len;
}

/** After a tree change, re-seeks from the saved key in the given direction. */
function revalidate(c: Cursor, forward: bool): void {
  if (c.leaf == 0 || c.version == c.tree.version) return;
  setProbe(saved(c), c.savedLen);
  seek(c, forward ? SEEK_GE : SEEK_LE);
  c.forward = forward;
  save(c);
}

/** Whether the entry at (leaf, index) is inside the bound, given the probe is the bound. */
// @ts-ignore: decorator
@inline function inside(leaf: usize, index: i32, forward: bool, inclusive: bool): bool {
  let r = compareProbe(leaf, index); // sign of (bound - key)
  if (forward) return r > 0 || (inclusive && r == 0);
  return r < 0 || (inclusive && r == 0);
}

/** Ends c if its position lies past the bound in its direction. */
function settle(c: Cursor): void {
  if (c.leaf == 0 || c.bound == 0) return;
  setProbeRecord(c.bound);
  if (!inside(c.leaf, c.index, c.forward, c.inclusive)) c.leaf = 0;
}

export function cursorOpen(t: Tree, mode: i32, len: i32): Cursor {
  enter(t);
  let c = changetype<Cursor>(heap.alloc(offsetof<Cursor>() + <usize>KEY_SIZE));
  c.tree = t;
  c.bound = 0;
  c.inclusive = false;
  c.savedLen = 0;
  if (mode >= SEEK_GE) setProbe(KEY, len);
  seek(c, mode);
  save(c);
  return c;
}

/** Sets the stop bound to the key in KEY[0..len]. */
export function cursorBound(c: Cursor, len: i32, inclusive: bool): void {
  enter(c.tree);
  if (c.bound != 0) heap.free(c.bound);
  let rec = heap.alloc(<usize>len + 4);
  store<i32>(rec, len);
  memory.copy(rec + 4, KEY, <usize>len);
  c.bound = rec;
  c.inclusive = inclusive;
  revalidate(c, c.forward);
  settle(c);
}

/** Writes up to max values to OUT, moving in the given direction; returns how many. */
export function cursorRead(c: Cursor, max: i32, forward: bool): i32 {
  enter(c.tree);
  if (max > MAX_READ) max = MAX_READ;
  revalidate(c, forward);
  c.forward = forward;
  let leaf = c.leaf;
  let index = c.index;
  let bounded = c.bound != 0;
  let inclusive = c.inclusive;
  if (bounded) setProbeRecord(c.bound);
  let n = 0;
  while (leaf != 0 && n < max) {
    if (bounded && !inside(leaf, index, forward, inclusive)) { leaf = 0; break; }
    store<u32>(OUT + (<usize>n << 2), valAt(leaf, index)); // n < MAX_READ
    n++;
    if (forward) {
      if (++index >= count(leaf)) { leaf = next(leaf); index = 0; }
    } else if (--index < 0) {
      leaf = prev(leaf);
      if (leaf != 0) index = count(leaf) - 1;
    }
  }
  // Look one step ahead so an exhausted range reports so immediately.
  if (leaf != 0 && bounded && !inside(leaf, index, forward, inclusive)) leaf = 0;
  c.leaf = leaf;
  c.index = index;
  save(c);
  return n;
}

/** Copies the key the next read would return to OUT; returns its length or -1 at the end. */
export function cursorKey(c: Cursor): i32 {
  enter(c.tree);
  revalidate(c, c.forward);
  settle(c);
  if (c.leaf == 0) return -1;
  let rec = keyAt(c.leaf, c.index);
  let len = load<i32>(rec); // record header
  memory.copy(OUT, rec + 4, <usize>len);
  return len;
}

export function cursorClose(c: Cursor): void {
  if (c.bound != 0) heap.free(c.bound);
  heap.free(changetype<usize>(c));
}
