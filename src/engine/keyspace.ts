/**
 * A key space: encoded keys -> item slots, as a list of partitions, each a wasm B+tree owning a
 * contiguous range of keys. A table's primary key space and each of its secondary indexes is one.
 * Keys start with the 64-bit hash of their partition key, so partitions are ranges of the hash
 * space, as in DynamoDB. A partition splits at its median key once its items outgrow `maxBytes`;
 * splitting at the median key rather than the hash midpoint lets one large item collection split
 * too, as DynamoDB splits by sort key once a single partition key value is hot.
 *
 *   router tree:  start key of partition 1..n  ->  partition id   (partition 0 starts at the empty key)
 *   partition:    encoded key  ->  slot
 */
import { type Core, NONE } from '../core/wasm.js';

export interface Partition {
  id: number;
  tree: number;
  bytes: number;
  start: Uint8Array;
  /**
   * False while the partition is a stub: its bounds, size and entry count are known (from a
   * checkpoint's manifest) but its entries are still in its page, and its tree is empty.
   * Storage fills it (KeySpace.fill) before anything routes to it.
   */
  loaded: boolean;
  /** Entries, counted for stubs too. */
  count: number;
  /** Bumped by every change to the partition; storage compares it with what its page holds. */
  version: number;
}

/** One end of a key range: an encoded key, and whether the range includes it. */
export interface Bound {
  key: Uint8Array;
  inclusive: boolean;
}

/** Values read from a cursor per wasm call. */
const RANGE_BATCH = 64;

export class KeySpace {
  private readonly byId: Partition[] = [];
  /** Partitions in key order. */
  private readonly ordered: Partition[] = [];
  private readonly router: number;
  private entries = 0;
  private unloaded = 0;

  constructor(
    private readonly core: Core,
    private readonly maxBytes: number,
    /** Bytes an entry counts for, by its slot (for partition sizes). */
    private readonly sizeOf: (slot: number) => number,
  ) {
    this.router = core.treeNew();
    this.ordered.push(this.addPartition(new Uint8Array(0), core.treeNew()));
  }

  get size(): number {
    return this.entries;
  }

  get partitionCount(): number {
    return this.ordered.length;
  }

  /** The partitions in key order. */
  get partitions(): readonly Partition[] {
    return this.ordered;
  }

  /** How many partitions are stubs (see Partition.loaded). */
  get stubs(): number {
    return this.unloaded;
  }

  /**
   * Replaces the (empty) key space with stub partitions, in key order, the first starting at the
   * empty key: recovery, before their pages are read.
   */
  restore(stubs: { start: Uint8Array; count: number; bytes: number }[]): void {
    for (const p of this.byId) this.core.treeFree(p.tree);
    this.byId.length = 0;
    this.ordered.length = 0;
    this.entries = 0;
    this.unloaded = stubs.length;
    for (const { start, count, bytes } of stubs) {
      const partition = this.addPartition(start, this.core.treeNew());
      Object.assign(partition, { loaded: false, count, bytes });
      this.entries += count;
      if (start.length > 0) this.core.treeSet(this.router, this.core.setKey(start), partition.id);
      this.ordered.push(partition);
    }
  }

  /**
   * Fills a stub with its entries, given in strictly increasing key order (bulk loaded), and the
   * size and count its page holds.
   */
  fill(partition: Partition, entries: Iterable<[Uint8Array, number]>, bytes: number): void {
    if (partition.loaded) throw new Error('Tidepool: a partition was filled twice');
    this.core.bulkLoad(partition.tree, entries);
    const count = this.core.treeSize(partition.tree);
    this.entries += count - partition.count;
    Object.assign(partition, { loaded: true, count, bytes });
    this.unloaded--;
  }

  /** The partition owning the key in the core's KEY buffer. */
  route(len: number): Partition {
    if (this.ordered.length === 1) return this.ordered[0];
    const id = this.core.treeFloor(this.router, len);
    return id === NONE ? this.ordered[0] : this.byId[id];
  }

  /** The slot under the key in the KEY buffer, or NONE. */
  get(partition: Partition, len: number): number {
    if (!partition.loaded) throw notLoaded();
    return this.core.treeGet(partition.tree, len);
  }

  /** Adds the key in the KEY buffer (not present) with its slot and size. */
  insert(partition: Partition, len: number, slot: number, bytes: number): void {
    if (!partition.loaded) throw notLoaded();
    this.core.treeSet(partition.tree, len, slot);
    this.entries++;
    partition.count++;
    this.grow(partition, bytes);
  }

  /** Removes the key in the KEY buffer; returns its slot or NONE. */
  remove(len: number): number {
    const partition = this.route(len);
    if (!partition.loaded) throw notLoaded();
    const slot = this.core.treeDelete(partition.tree, len);
    if (slot !== NONE) {
      this.entries--;
      partition.count--;
      partition.bytes -= this.sizeOf(slot);
      partition.version++;
    }
    return slot;
  }

  /** Records that an entry of `partition` changed size by `bytes`. */
  grow(partition: Partition, bytes: number): void {
    partition.bytes += bytes;
    partition.version++;
    if (partition.bytes > this.maxBytes) this.split(partition);
  }

  /** The slots of a (loaded) partition in key order: what storage writes to its page. */
  slots(partition: Partition): number[] {
    const out: number[] = [];
    const cursor = this.core.cursorOpen(partition.tree, 'first');
    try {
      for (;;) {
        const slots = this.core.cursorRead(cursor, 1024, true);
        if (slots.length === 0) break;
        for (const slot of slots) out.push(slot);
      }
    } finally {
      this.core.cursorClose(cursor);
    }
    return out;
  }

  /**
   * Visits the slots whose keys lie between `lower` and `upper` (either may be absent), in key
   * order or, with `forward` false, in reverse, until `visit` returns false.
   */
  walk(lower: Bound | undefined, upper: Bound | undefined, forward: boolean, visit: (slot: number) => boolean): void {
    const core = this.core;
    const [from, to] = forward ? [lower, upper] : [upper, lower];
    const step = forward ? 1 : -1;
    const first = from ? this.ordered.indexOf(this.route(core.setKey(from.key))) : forward ? 0 : this.ordered.length - 1;
    for (let index = first; index >= 0 && index < this.ordered.length; index += step) {
      const partition = this.ordered[index];
      if (!partition.loaded) throw notLoaded();
      // Partitions are contiguous key ranges: going forward, stop at the first one wholly past the bound.
      if (forward && to && index > first) {
        const order = compareBytes(partition.start, to.key);
        if (order > 0 || (order === 0 && !to.inclusive)) return;
      }
      let cursor: number;
      if (from && index === first) {
        const mode = forward ? (from.inclusive ? 'ge' : 'gt') : from.inclusive ? 'le' : 'lt';
        cursor = core.cursorOpen(partition.tree, mode, core.setKey(from.key));
      } else {
        cursor = core.cursorOpen(partition.tree, forward ? 'first' : 'last');
      }
      try {
        if (to) core.cursorBound(cursor, core.setKey(to.key), to.inclusive);
        for (;;) {
          const slots = core.cursorRead(cursor, RANGE_BATCH, forward);
          if (slots.length === 0) break;
          for (const slot of slots) if (!visit(slot)) return;
        }
      } finally {
        core.cursorClose(cursor);
      }
      // Going backward, every earlier partition lies below this one's start.
      if (!forward && to && compareBytes(partition.start, to.key) <= 0) return;
    }
  }

  /** Frees the wasm trees; the key space is unusable afterwards. */
  drop(): void {
    for (const p of this.byId) this.core.treeFree(p.tree);
    this.core.treeFree(this.router);
    this.byId.length = 0;
    this.ordered.length = 0;
  }

  /** Checks every partition tree and range and the entry count; returns the first problem. */
  checkValid(): string | undefined {
    let total = 0;
    for (let i = 0; i < this.ordered.length; i++) {
      const p = this.ordered[i];
      if (!p.loaded) {
        total += p.count;
        continue;
      }
      if (this.core.treeSize(p.tree) !== p.count) return `partition ${p.id}: ${p.count} entries counted but its tree holds ${this.core.treeSize(p.tree)}`;
      const code = this.core.treeCheck(p.tree);
      if (code !== 0) return `partition ${p.id}: tree invariant ${code}`;
      const next = this.ordered[i + 1];
      total += this.core.treeSize(p.tree);
      for (const [key] of this.core.entries(p.tree)) {
        if (compareBytes(key, p.start) < 0 || (next && compareBytes(key, next.start) >= 0)) return `partition ${p.id}: key outside its range`;
      }
    }
    return total === this.entries ? undefined : `${this.entries} entries counted but trees hold ${total}`;
  }

  private addPartition(start: Uint8Array, tree: number): Partition {
    const partition: Partition = { id: this.byId.length, tree, bytes: 0, start, loaded: true, count: 0, version: 0 };
    this.byId.push(partition);
    return partition;
  }

  private split(partition: Partition): void {
    const core = this.core;
    const entries = Array.from(core.entries(partition.tree));
    if (entries.length < 2) return;
    const middle = entries.length >> 1;
    const lowerTree = core.treeNew();
    const upperTree = core.treeNew();
    core.bulkLoad(lowerTree, entries.slice(0, middle));
    core.bulkLoad(upperTree, entries.slice(middle));
    core.treeFree(partition.tree);
    partition.tree = lowerTree;
    const upper = this.addPartition(entries[middle][0], upperTree);
    let upperBytes = 0;
    for (let i = middle; i < entries.length; i++) upperBytes += this.sizeOf(entries[i][1]);
    upper.bytes = upperBytes;
    upper.count = entries.length - middle;
    partition.bytes -= upperBytes;
    partition.count = middle;
    partition.version++;
    core.treeSet(this.router, core.setKey(upper.start), upper.id);
    this.ordered.splice(this.ordered.indexOf(partition) + 1, 0, upper);
  }
}

/** A route reached a stub: storage did not load what a request touches (a bug, never silently ignored). */
function notLoaded(): Error {
  return new Error('Tidepool: a partition was used before storage loaded it');
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** The smallest byte string greater than every string that starts with `prefix`, or undefined. */
export function successor(prefix: Uint8Array): Uint8Array | undefined {
  let end = prefix.length;
  while (end > 0 && prefix[end - 1] === 0xff) end--;
  if (end === 0) return undefined;
  const next = prefix.slice(0, end);
  next[end - 1]++;
  return next;
}
