/**
 * Typed wrapper over the WebAssembly core (build/core.wasm): order-preserving
 * key encoding and B+trees of byte-string keys to u32 values.
 *
 * Keys travel through the module's static KEY buffer: encode or copy a key
 * there (encodeKey, encodeKeyPrefix, setKey), then pass its length to a tree
 * call. Trees and cursors are plain number handles that must be freed.
 *
 * @example
 * ```ts
 * const core = await Core.load();
 * const tree = core.treeNew();
 * const len = core.encodeKey(1, 'user#1', 2, '42');
 * core.treeSet(tree, len, 7);          // NONE: nothing was replaced
 * core.treeGet(tree, len);             // 7
 * core.treeFree(tree);
 * ```
 */

/** Returned where no value exists. Stored values are 0 .. 2^31-2. */
export const NONE = -1;
/** 1 = S, 2 = N, 3 = B. */
export type KeyType = 1 | 2 | 3;
/** A string for S (any JS string) and N (validated decimal text); bytes for B. */
export type KeyValue = string | Uint8Array;
/** Where a cursor starts: the first key >=, >, <=, < the key in KEY, or an end of the tree. */
export type SeekMode = 'ge' | 'gt' | 'le' | 'lt' | 'first' | 'last';

// Mirrors assembly/buffers.ts and assembly/cursor.ts.
const IN_SIZE = 65536;
const IN_HALF = 32768;
const KEY_SIZE = 8192;
const MAX_READ = 16384;
const MAX_VALUE = 0x7ffffffe;
const DEFAULT_FANOUT = 64;
const SEEK: Record<SeekMode, number> = { first: 0, last: 1, ge: 2, gt: 3, le: 4, lt: 5 };
const BULK_NOT_EMPTY = 1;
const BULK_NOT_INCREASING = 2;

interface Exports {
  memory: WebAssembly.Memory;
  buffer_in(): number;
  buffer_key(): number;
  buffer_out(): number;
  key_encode(pkType: number, pkLen: number, skType: number, skLen: number): number;
  key_keep_tail(len: number): void;
  index_key_encode(pkType: number, pkLen: number, skType: number, skLen: number): number;
  scalar_encode(type: number, len: number): number;
  tree_new(maxKeys: number): number;
  tree_free(t: number): void;
  tree_size(t: number): number;
  tree_get(t: number, len: number): number;
  tree_set(t: number, len: number, value: number): number;
  tree_delete(t: number, len: number): number;
  tree_floor(t: number, len: number): number;
  tree_get_many(t: number, n: number): void;
  tree_check(t: number): number;
  tree_corrupt(t: number, kind: number): number;
  bulk_begin(t: number): number;
  bulk_push(t: number, bytes: number): number;
  bulk_end(t: number): void;
  bulk_abort(t: number): void;
  cursor_open(t: number, mode: number, len: number): number;
  cursor_bound(c: number, len: number, inclusive: number): void;
  cursor_read(c: number, max: number, forward: number): number;
  cursor_key(c: number): number;
  cursor_close(c: number): void;
}

const encoder = new TextEncoder();
let instance: Promise<Core> | undefined;

async function instantiate(): Promise<Core> {
  const url = new URL('../../build/core.wasm', import.meta.url);
  let memory: WebAssembly.Memory | undefined;
  const imports = {
    env: {
      // AssemblyScript reports a failed allocation here; strings are UTF-16 with the byte length just before them.
      abort(message: number, file: number, line: number, column: number): never {
        const text = (p: number) => {
          if (!memory || p === 0) return '';
          const len = new Uint32Array(memory.buffer, p - 4, 1)[0];
          return String.fromCharCode(...new Uint16Array(memory.buffer, p, len >>> 1));
        };
        throw new Error(`core.wasm: ${text(message)} at ${text(file)}:${line}:${column}`);
      },
    },
  };
  let source: WebAssembly.WebAssemblyInstantiatedSource;
  if (url.protocol === 'file:') {
    const { readFile } = await import('node:fs/promises');
    source = await WebAssembly.instantiate(await readFile(url), imports);
  } else {
    source = await WebAssembly.instantiateStreaming(fetch(url), imports);
  }
  const exports = source.instance.exports as unknown as Exports;
  memory = exports.memory;
  return new Core(exports);
}

function checkValue(value: number): void {
  if (!(Number.isInteger(value) && value >= 0 && value <= MAX_VALUE)) {
    throw new RangeError(`tree values must be integers 0..${MAX_VALUE}, got ${value}`);
  }
}

export class Core {
  /** The instance for this process; instantiated on first call. */
  static load(): Promise<Core> {
    return (instance ??= instantiate());
  }

  private readonly ex: Exports;
  private readonly inAt: number;
  private readonly keyAt: number;
  private readonly outAt: number;
  // Views over memory; growing memory detaches them (byteLength drops to 0), see sync().
  private u8!: Uint8Array;
  private dv!: DataView;
  private inAll!: Uint8Array;
  private inPk!: Uint8Array;
  private inSk!: Uint8Array;
  private key!: Uint8Array;

  /** @internal use Core.load() */
  constructor(ex: Exports) {
    this.ex = ex;
    this.inAt = ex.buffer_in();
    this.keyAt = ex.buffer_key();
    this.outAt = ex.buffer_out();
    this.refresh();
  }

  private refresh(): void {
    const buf = this.ex.memory.buffer;
    this.u8 = new Uint8Array(buf);
    this.dv = new DataView(buf);
    this.inAll = new Uint8Array(buf, this.inAt, IN_SIZE);
    this.inPk = new Uint8Array(buf, this.inAt, IN_HALF);
    this.inSk = new Uint8Array(buf, this.inAt + IN_HALF, IN_SIZE - IN_HALF);
    this.key = new Uint8Array(buf, this.keyAt, KEY_SIZE);
  }

  /** Call before touching a view: any earlier wasm call may have grown memory. */
  private sync(): void {
    if (this.u8.byteLength === 0) this.refresh();
  }

  private put(view: Uint8Array, type: KeyType, v: KeyValue): number {
    if ((type === 3) === (typeof v === 'string')) {
      throw new TypeError(`key type ${type} takes ${type === 3 ? 'a Uint8Array' : 'a string'}`);
    }
    if (typeof v === 'string') {
      // Short ASCII text (every number, most key strings) is cheaper to copy than to hand to
      // the native encoder; anything else goes to the encoder.
      if (v.length <= 64) {
        let i = 0;
        for (; i < v.length; i++) {
          const c = v.charCodeAt(i);
          if (c > 0x7f) break;
          view[i] = c;
        }
        if (i === v.length) return i;
      }
      const r = encoder.encodeInto(v, view);
      if (r.read < v.length) throw new RangeError('key value too long');
      return r.written;
    }
    if (v.length > view.length) throw new RangeError('key value too long');
    view.set(v);
    return v.length;
  }

  /** Encodes a table key into KEY; returns its length. Omit sk for hash-only tables. */
  encodeKey(pkType: KeyType, pk: KeyValue, skType?: KeyType, sk?: KeyValue): number {
    return this.encodeWith(this.ex.key_encode, pkType, pk, skType, sk);
  }

  /**
   * Keeps the table key in KEY[0..len] (from encodeKey), without its hash, for encodeIndexKey: what
   * every index key of that item ends with. KEY is free for other keys afterwards.
   */
  keepTail(len: number): void {
    if (!(len >= 8 && len <= KEY_SIZE)) throw new RangeError(`not an encoded table key length: ${len}`);
    this.ex.key_keep_tail(len);
  }

  /**
   * Encodes an index key into KEY: the index key attributes as encodeKey does, then the table key
   * kept by keepTail, which makes an item's entry unique. Returns its length.
   */
  encodeIndexKey(pkType: KeyType, pk: KeyValue, skType?: KeyType, sk?: KeyValue): number {
    return this.encodeWith(this.ex.index_key_encode, pkType, pk, skType, sk);
  }

  private encodeWith(encode: Exports['key_encode'], pkType: KeyType, pk: KeyValue, skType?: KeyType, sk?: KeyValue): number {
    this.sync();
    const pkLen = this.put(this.inPk, pkType, pk);
    let skLen = 0;
    if (skType !== undefined) {
      if (sk === undefined) throw new TypeError('sort key type given without a value');
      skLen = this.put(this.inSk, skType, sk);
    }
    const len = encode(pkType, pkLen, skType ?? 0, skLen);
    if (len < 0) throw new RangeError('encoded key exceeds 8 KiB');
    return len;
  }

  /** Encodes hash + partition component into KEY: the prefix of every key in that item collection. */
  encodeKeyPrefix(pkType: KeyType, pk: KeyValue): number {
    return this.encodeKey(pkType, pk);
  }

  /**
   * Order-preserving encoding of one scalar, unescaped: bytewise order of the
   * results is DynamoDB's order of the values (N by numeric value).
   * @example core.encodeScalar(2, '1.0') equals core.encodeScalar(2, '10e-1')
   */
  encodeScalar(type: KeyType, v: KeyValue): Uint8Array {
    this.sync();
    const len = this.ex.scalar_encode(type, this.put(this.inAll, type, v));
    if (len < 0) throw new RangeError('encoded key exceeds 8 KiB');
    return this.key.slice(0, len);
  }

  /** A copy of KEY[0..len]. */
  keyBytes(len: number): Uint8Array {
    this.sync();
    return this.key.slice(0, len);
  }

  /** Copies bytes into KEY; returns the length. */
  setKey(bytes: Uint8Array): number {
    if (bytes.length > KEY_SIZE) throw new RangeError('key exceeds 8 KiB');
    this.sync();
    this.key.set(bytes);
    return bytes.length;
  }

  /** The partition hash in KEY[0..8] (after encodeKey/encodeKeyPrefix), for segment math. */
  keyHash(): bigint {
    this.sync();
    return this.dv.getBigUint64(this.keyAt, false);
  }

  /** A new empty tree holding at most `fanout` keys per node (4..1024). */
  /** Bytes of linear memory the core holds (it only grows). */
  get memoryBytes(): number {
    return this.ex.memory.buffer.byteLength;
  }

  treeNew(fanout: number = DEFAULT_FANOUT): number {
    const t = this.ex.tree_new(fanout);
    if (t === 0) throw new RangeError(`fanout must be 4..1024, got ${fanout}`);
    return t;
  }

  /** Frees the tree and its keys. Close its cursors first. */
  treeFree(tree: number): void {
    this.ex.tree_free(tree);
  }

  treeSize(tree: number): number {
    return this.ex.tree_size(tree) >>> 0;
  }

  /** Value under KEY[0..keyLen] or NONE. O(log n). */
  treeGet(tree: number, keyLen: number): number {
    return this.ex.tree_get(tree, keyLen);
  }

  /** Inserts or replaces; returns the old value or NONE. */
  treeSet(tree: number, keyLen: number, value: number): number {
    checkValue(value);
    return this.ex.tree_set(tree, keyLen, value);
  }

  /** Removes KEY[0..keyLen]; returns its value or NONE. */
  treeDelete(tree: number, keyLen: number): number {
    return this.ex.tree_delete(tree, keyLen);
  }

  /** Value of the greatest key <= KEY[0..keyLen], or NONE. */
  treeFloor(tree: number, keyLen: number): number {
    return this.ex.tree_floor(tree, keyLen);
  }

  /**
   * Walks the whole tree, O(n): 0 if valid, else the first broken invariant:
   * 1 occupancy, 2 key order, 3 inline prefix, 4 separator bounds,
   * 5 leaf depth, 6 sibling links, 7 count, 8 key length.
   */
  treeCheck(tree: number): number {
    return this.ex.tree_check(tree);
  }

  /** @internal test hook: breaks one invariant (kinds 1..5); true if it could. */
  treeCorrupt(tree: number, kind: number): boolean {
    return this.ex.tree_corrupt(tree, kind) !== 0;
  }

  /**
   * Fills an empty tree from strictly increasing keys, building full leaves
   * bottom-up; records cross to wasm in 64 KiB batches. Throws (leaving the
   * tree empty) if the tree is not empty or keys do not strictly increase.
   */
  bulkLoad(tree: number, entries: Iterable<[Uint8Array, number]>): void {
    const ex = this.ex;
    if (ex.bulk_begin(tree) === BULK_NOT_EMPTY) throw new Error('bulkLoad needs an empty tree');
    let used = 0;
    const flush = () => {
      const code = ex.bulk_push(tree, used);
      used = 0;
      if (code === BULK_NOT_INCREASING) throw new Error('bulkLoad keys must be strictly increasing');
      if (code !== 0) throw new Error('bulkLoad record malformed');
    };
    try {
      for (const [key, value] of entries) {
        checkValue(value);
        if (key.length > KEY_SIZE) throw new RangeError('key exceeds 8 KiB');
        if (used + 8 + key.length > IN_SIZE) flush();
        this.sync();
        const at = this.inAt + used;
        this.dv.setUint32(at, key.length, true);
        this.dv.setUint32(at + 4, value, true);
        this.u8.set(key, at + 8);
        used += 8 + key.length;
      }
      if (used > 0) flush();
      ex.bulk_end(tree);
    } catch (e) {
      ex.bulk_abort(tree);
      throw e;
    }
  }

  /** Values of many keys in a few wasm calls; NONE where absent. */
  getMany(tree: number, keys: Uint8Array[]): Int32Array {
    const result = new Int32Array(keys.length);
    let i = 0;
    while (i < keys.length) {
      this.sync();
      const start = i;
      let used = 0;
      while (i < keys.length && i - start < MAX_READ) {
        const key = keys[i];
        if (key.length > KEY_SIZE) throw new RangeError('key exceeds 8 KiB');
        if (used + 4 + key.length > IN_SIZE) break;
        this.dv.setUint32(this.inAt + used, key.length, true);
        this.u8.set(key, this.inAt + used + 4);
        used += 4 + key.length;
        i++;
      }
      this.ex.tree_get_many(tree, i - start);
      result.set(new Int32Array(this.ex.memory.buffer, this.outAt, i - start), start);
    }
    return result;
  }

  /**
   * Opens a cursor at the first key >= / > / <= / < KEY[0..keyLen], or at
   * the first or last key. Cursors survive changes to the tree: after one,
   * the next read resumes from the key it was positioned at.
   */
  cursorOpen(tree: number, mode: SeekMode, keyLen?: number): number {
    const m = SEEK[mode];
    if (m >= SEEK.ge && keyLen === undefined) throw new TypeError(`cursorOpen '${mode}' needs a key`);
    return this.ex.cursor_open(tree, m, keyLen ?? 0);
  }

  /**
   * Stops the cursor at KEY[0..keyLen] (kept if inclusive). The bound applies
   * in the cursor's direction: its seek mode's (ge/gt/first forward, else
   * backward) until the first read, then that of the last read.
   */
  cursorBound(cursor: number, keyLen: number, inclusive: boolean): void {
    this.ex.cursor_bound(cursor, keyLen, inclusive ? 1 : 0);
  }

  /** Up to max values, advancing; fewer than max only when exhausted. */
  cursorRead(cursor: number, max: number, forward: boolean): Uint32Array {
    const dir = forward ? 1 : 0;
    if (max <= MAX_READ) {
      const n = this.ex.cursor_read(cursor, max, dir);
      return new Uint32Array(this.ex.memory.buffer, this.outAt, n).slice();
    }
    const parts: Uint32Array[] = [];
    let total = 0;
    while (total < max) {
      const want = Math.min(MAX_READ, max - total);
      const n = this.ex.cursor_read(cursor, want, dir);
      parts.push(new Uint32Array(this.ex.memory.buffer, this.outAt, n).slice());
      total += n;
      if (n < want) break;
    }
    const out = new Uint32Array(total);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  /** A copy of the key the next read would return, or undefined if exhausted. */
  cursorKey(cursor: number): Uint8Array | undefined {
    const len = this.ex.cursor_key(cursor);
    if (len < 0) return undefined;
    this.sync();
    return this.u8.slice(this.outAt, this.outAt + len);
  }

  cursorClose(cursor: number): void {
    this.ex.cursor_close(cursor);
  }

  /** Every entry in key order, one cursor step at a time (slow path). */
  *entries(tree: number): Generator<[Uint8Array, number]> {
    const cursor = this.cursorOpen(tree, 'first');
    try {
      for (;;) {
        const key = this.cursorKey(cursor);
        if (key === undefined) return;
        yield [key, this.cursorRead(cursor, 1, true)[0]];
      }
    } finally {
      this.cursorClose(cursor);
    }
  }
}
