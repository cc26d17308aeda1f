// The module's exports: plain numbers only, no bindings. Trees and cursors
// are handles (their heap addresses); keys travel through the static
// buffers, whose addresses JS reads once.

import { IN, KEY, OUT } from './buffers';
import { encodeTableKey, encodeScalar, keepTail, encodeIndexKey } from './keys';
import {
  Tree, TREE_MAGIC, enter, setProbe, treeNew, treeFree, treeGet, treeSet, treeDelete, treeFloor,
  treeGetMany, bulkBegin, bulkPush, bulkEnd, bulkAbort, checkValid, corrupt,
} from './btree';
import { Cursor, cursorOpen, cursorBound, cursorRead, cursorKey, cursorClose } from './cursor';

export function buffer_in(): usize { return IN; }
export function buffer_key(): usize { return KEY; }
export function buffer_out(): usize { return OUT; }

/** Table key into KEY from IN (pk) and IN + IN_HALF (sk; skType 0 = none); length or -1. */
export function key_encode(pkType: i32, pkLen: i32, skType: i32, skLen: i32): i32 {
  return encodeTableKey(pkType, pkLen, skType, skLen);
}

/** Keeps KEY[8..len] (a table key after key_encode) for index_key_encode. */
export function key_keep_tail(len: i32): void {
  keepTail(len);
}

/** Index key into KEY from IN as key_encode, then the kept table key tail; length or -1. */
export function index_key_encode(pkType: i32, pkLen: i32, skType: i32, skLen: i32): i32 {
  return encodeIndexKey(pkType, pkLen, skType, skLen);
}

/** Unescaped scalar encoding of IN[0..len] into KEY; length or -1. */
export function scalar_encode(type: i32, len: i32): i32 {
  return encodeScalar(type, len);
}

/** Traps on a freed or foreign handle rather than scribbling over the heap. */
// @ts-ignore: decorator
@inline function use(handle: usize): Tree {
  let t = changetype<Tree>(handle);
  if (t.magic != TREE_MAGIC) unreachable();
  enter(t);
  return t;
}

/** A tree handle, or 0 if maxKeys is out of range. */
export function tree_new(maxKeys: i32): usize {
  return changetype<usize>(treeNew(maxKeys));
}

export function tree_free(t: usize): void { treeFree(use(t)); }
export function tree_size(t: usize): u32 { return use(t).count; }

export function tree_get(t: usize, len: i32): u32 {
  let tree = use(t);
  setProbe(KEY, len);
  return treeGet(tree);
}

export function tree_set(t: usize, len: i32, value: u32): u32 {
  let tree = use(t);
  setProbe(KEY, len);
  return treeSet(tree, value);
}

export function tree_delete(t: usize, len: i32): u32 {
  let tree = use(t);
  setProbe(KEY, len);
  return treeDelete(tree);
}

export function tree_floor(t: usize, len: i32): u32 {
  let tree = use(t);
  setProbe(KEY, len);
  return treeFloor(tree);
}

export function tree_get_many(t: usize, n: i32): void { treeGetMany(use(t), n); }
export function tree_check(t: usize): i32 { return checkValid(use(t)); }
export function tree_corrupt(t: usize, kind: i32): i32 { return corrupt(use(t), kind); }

export function bulk_begin(t: usize): i32 { return bulkBegin(use(t)); }
export function bulk_push(t: usize, bytes: i32): i32 { return bulkPush(use(t), bytes); }
export function bulk_end(t: usize): void { bulkEnd(use(t)); }
export function bulk_abort(t: usize): void { bulkAbort(use(t)); }

export function cursor_open(t: usize, mode: i32, len: i32): usize {
  return changetype<usize>(cursorOpen(use(t), mode, len));
}

// @ts-ignore: decorator
@inline function cursor(handle: usize): Cursor {
  let c = changetype<Cursor>(handle);
  if (c.tree.magic != TREE_MAGIC) unreachable();
  return c;
}

export function cursor_bound(c: usize, len: i32, inclusive: bool): void { cursorBound(cursor(c), len, inclusive); }
export function cursor_read(c: usize, max: i32, forward: bool): i32 { return cursorRead(cursor(c), max, forward); }
export function cursor_key(c: usize): i32 { return cursorKey(cursor(c)); }
export function cursor_close(c: usize): void { cursorClose(changetype<Cursor>(c)); }
