/**
 * A table: its description (what DescribeTable returns) and its items.
 *
 * Items live in JS as slots (an array index); the wasm B+trees map encoded keys to slots. A table
 * is a list of partitions, each owning a contiguous range of the encoded key space, which starts
 * with the 64-bit hash of the partition key, so partitions are ranges of the hash space as in
 * DynamoDB. A partition splits at its median key when its items outgrow `partitionMaxBytes`;
 * splitting at the median key rather than the hash midpoint lets one large item collection split
 * too, as DynamoDB splits by sort key once a single partition key value is hot.
 *
 *   router tree:  start key of partition 1..n  ->  partition id   (partition 0 starts at the empty key)
 *   partition:    encoded key  ->  slot        ;  slots[slot] = packed item, sizes[slot] = item size
 */
import { Core, NONE, type KeyType } from '../core/wasm.js';
import { type AttributeValue, type Item, type PackedItem, base64ToBytes, packItem, samePackedItem, unpackAttribute, unpackItem, utf8Length } from '../model/index.js';
import * as msg from '../model/messages.js';
import type { ChangeLog } from './changes.js';

export type ScalarType = 'S' | 'N' | 'B';
export type TableStatus = 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING';
export type BillingMode = 'PROVISIONED' | 'PAY_PER_REQUEST';

export interface KeyAttribute {
  name: string;
  type: ScalarType;
}

export interface Throughput {
  ReadCapacityUnits: number;
  WriteCapacityUnits: number;
  LastIncreaseDateTime?: number;
  LastDecreaseDateTime?: number;
  NumberOfDecreasesToday: number;
}

export interface TableDefinition {
  name: string;
  attributeDefinitions: { AttributeName: string; AttributeType: ScalarType }[];
  hash: KeyAttribute;
  range?: KeyAttribute;
  billingMode: BillingMode;
  throughput: { ReadCapacityUnits: number; WriteCapacityUnits: number };
}

interface Partition {
  id: number;
  tree: number;
  bytes: number;
  start: Uint8Array;
}

const CORE_TYPE: Record<ScalarType, KeyType> = { S: 1, N: 2, B: 3 };
/** Values read from a cursor per wasm call. */
const RANGE_BATCH = 64;

/** One end of a key range: an encoded key, and whether the range includes it. */
export interface Bound {
  key: Uint8Array;
  inclusive: boolean;
}

/** What a write replaced: the packed item (see unpackItem) and its size; no item, size 0. */
export interface WriteResult {
  old?: PackedItem;
  oldSize: number;
}

export class Table {
  readonly name: string;
  readonly arn: string;
  readonly id: string;
  readonly createdAt: number;
  readonly hash: KeyAttribute;
  readonly range?: KeyAttribute;
  readonly attributeDefinitions: TableDefinition['attributeDefinitions'];
  status: TableStatus = 'CREATING';
  billingMode: BillingMode;
  /** Set once the table has been switched to PAY_PER_REQUEST (DescribeTable shows it only then or when created so). */
  payPerRequestSince?: number;
  billingModeExplicit: boolean;
  throughput: Throughput;

  private readonly byId: Partition[] = [];
  /** Partitions in key order. */
  private readonly ordered: Partition[] = [];
  private readonly router: number;
  private readonly slots: (PackedItem | undefined)[] = [];
  private readonly sizes: number[] = [];
  private readonly freeSlots: number[] = [];
  private count = 0;
  private bytes = 0;

  constructor(
    private readonly core: Core,
    private readonly changes: ChangeLog,
    definition: TableDefinition,
    arnPrefix: string,
    private readonly partitionMaxBytes: number,
    billingModeExplicit: boolean,
  ) {
    this.name = definition.name;
    this.arn = `${arnPrefix}:table/${definition.name}`;
    this.id = crypto.randomUUID();
    this.createdAt = Date.now() / 1000;
    this.hash = definition.hash;
    this.range = definition.range;
    this.attributeDefinitions = definition.attributeDefinitions;
    this.billingMode = definition.billingMode;
    this.billingModeExplicit = billingModeExplicit;
    this.throughput = { ...definition.throughput, NumberOfDecreasesToday: 0 };
    this.router = core.treeNew();
    this.ordered.push(this.addPartition(new Uint8Array(0), core.treeNew()));
  }

  get itemCount(): number {
    return this.count;
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  get partitionCount(): number {
    return this.ordered.length;
  }

  /** Frees the wasm trees; the table is unusable afterwards. */
  drop(): void {
    for (const p of this.byId) this.core.treeFree(p.tree);
    this.core.treeFree(this.router);
    this.byId.length = 0;
    this.ordered.length = 0;
  }

  // ---- keys ----------------------------------------------------------------------------------

  /**
   * Checks that `key` holds exactly the key attributes with the right types; returns DynamoDB's
   * message otherwise. Used for Key parameters (GetItem, DeleteItem, ExclusiveStartKey).
   */
  checkKey(key: Item): string | undefined {
    let n = 0;
    for (const _ in key) n++;
    if (n !== (this.range ? 2 : 1)) return msg.KEY_SCHEMA_MISMATCH;
    return this.checkKeyPart(key, this.hash, true, false) ?? (this.range && this.checkKeyPart(key, this.range, false, false));
  }

  /** Checks the key attributes of a whole item (PutItem). */
  checkItemKey(item: Item): string | undefined {
    return this.checkKeyPart(item, this.hash, true, true) ?? (this.range && this.checkKeyPart(item, this.range, false, true));
  }

  private checkKeyPart(item: Item, attr: KeyAttribute, isHash: boolean, inItem: boolean): string | undefined {
    const value = item[attr.name] as Record<string, unknown> | undefined;
    if (value === undefined) return inItem ? msg.missingKey(attr.name) : msg.KEY_SCHEMA_MISMATCH;
    const raw = value[attr.type];
    if (raw === undefined) return inItem ? msg.keyTypeMismatch(attr.name, attr.type, Object.keys(value)[0]) : msg.KEY_SCHEMA_MISMATCH;
    if (attr.type === 'N') return undefined;
    const length = attr.type === 'S' ? utf8Length(raw as string) : binaryLength(raw as string | Uint8Array);
    if (length === 0) return attr.type === 'S' ? msg.emptyKeyString(attr.name) : msg.emptyKeyBinary(attr.name);
    if (isHash && length > 2048) return msg.PARTITION_KEY_TOO_LARGE;
    if (!isHash && length > 1024) return msg.SORT_KEY_TOO_LARGE;
    return undefined;
  }

  /** The key attributes of an item, as a new Item sharing the item's values. */
  keyOf(item: Item): Item {
    const key: Item = { [this.hash.name]: item[this.hash.name] };
    if (this.range) key[this.range.name] = item[this.range.name];
    return key;
  }

  /** A fresh copy of the key attributes of a packed item. */
  keyOfPacked(item: PackedItem): Item {
    const key: Item = { [this.hash.name]: unpackAttribute(item, this.hash.name)! };
    if (this.range) key[this.range.name] = unpackAttribute(item, this.range.name)!;
    return key;
  }

  /** Encodes the (already checked) key of `item` into the core's KEY buffer; returns its length. */
  private encode(item: Item): number {
    const h = this.hash;
    const r = this.range;
    const hv = scalar(item[h.name], h.type);
    return r ? this.core.encodeKey(CORE_TYPE[h.type], hv, CORE_TYPE[r.type], scalar(item[r.name], r.type)) : this.core.encodeKey(CORE_TYPE[h.type], hv);
  }

  /** The partition owning the key in the KEY buffer. */
  private route(len: number): Partition {
    if (this.ordered.length === 1) return this.ordered[0];
    const id = this.core.treeFloor(this.router, len);
    return id === NONE ? this.ordered[0] : this.byId[id];
  }

  // ---- reads and writes ------------------------------------------------------------------------

  /** Size of the item the last get() found, for capacity accounting without a second lookup. */
  lastReadSize = 0;

  /** A fresh copy of the item with this key, or undefined. */
  get(key: Item): Item | undefined {
    const len = this.encode(key);
    const slot = this.core.treeGet(this.route(len).tree, len);
    if (slot === NONE) return undefined;
    this.lastReadSize = this.sizes[slot];
    return unpackItem(this.slots[slot]!);
  }

  /**
   * Inserts or replaces `item`, which must be in stored form (toStoredItem) and which the table
   * owns from now on; returns the item it replaced.
   */
  put(item: Item, size: number): WriteResult {
    return this.upsert(item, () => ({ item, size }));
  }

  /**
   * Read-modify-write with one key lookup: `produce` gets the packed item with this key (or
   * undefined; see unpackItem) and returns the item to store, in stored form, with its size. If it
   * throws, nothing is written. It must not call back into the table.
   */
  upsert(key: Item, produce: (old: PackedItem | undefined) => { item: Item; size: number }): WriteResult {
    const len = this.encode(key);
    const partition = this.route(len);
    const existing = this.core.treeGet(partition.tree, len);
    const before = existing === NONE ? undefined : this.slots[existing]!;
    const { item, size } = produce(before);
    const packed = packItem(item);
    if (before === undefined) {
      const slot = this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.slots.length;
      this.slots[slot] = packed;
      this.sizes[slot] = size;
      // produce() may have used the core: encode the key again before inserting it.
      this.core.treeSet(partition.tree, this.encode(item), slot);
      this.count++;
      this.changes.append(this.name, 'INSERT', this.keyOf(item), undefined, item);
      this.grow(partition, size);
      return { oldSize: 0 };
    }
    const oldSize = this.sizes[existing];
    this.slots[existing] = packed;
    this.sizes[existing] = size;
    if (!samePackedItem(before, item)) this.changes.append(this.name, 'MODIFY', this.keyOf(item), before, item);
    this.grow(partition, size - oldSize);
    return { old: before, oldSize };
  }

  /** Deletes the item with this key; returns what was there. */
  delete(key: Item): WriteResult {
    const len = this.encode(key);
    const partition = this.route(len);
    const slot = this.core.treeDelete(partition.tree, len);
    if (slot === NONE) return { oldSize: 0 };
    const old = this.slots[slot]!;
    const oldSize = this.sizes[slot];
    this.slots[slot] = undefined;
    this.freeSlots.push(slot);
    this.count--;
    partition.bytes -= oldSize;
    this.bytes -= oldSize;
    this.changes.append(this.name, 'REMOVE', this.keyOfPacked(old), old, undefined);
    return { old, oldSize };
  }

  private grow(partition: Partition, bytes: number): void {
    partition.bytes += bytes;
    this.bytes += bytes;
    if (partition.bytes > this.partitionMaxBytes) this.split(partition);
  }

  // ---- ranges ----------------------------------------------------------------------------------

  /**
   * Visits the items whose encoded keys lie between `lower` and `upper` (either may be absent),
   * in key order or, with `forward` false, in reverse, until `visit` returns false. Key order is
   * the hash of the partition key, then the partition key, then the sort key: a whole table for
   * Scan, one item collection for Query. Visitors get the packed item (see unpackItem), so that
   * counting reads no attribute.
   */
  walk(lower: Bound | undefined, upper: Bound | undefined, forward: boolean, visit: (item: PackedItem, size: number) => boolean): void {
    const core = this.core;
    const [from, to] = forward ? [lower, upper] : [upper, lower];
    const step = forward ? 1 : -1;
    const first = from ? this.ordered.indexOf(this.route(core.setKey(from.key))) : forward ? 0 : this.ordered.length - 1;
    for (let index = first; index >= 0 && index < this.ordered.length; index += step) {
      const partition = this.ordered[index];
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
          for (const slot of slots) {
            if (!visit(this.slots[slot]!, this.sizes[slot])) return;
          }
        }
      } finally {
        core.cursorClose(cursor);
      }
      // Going backward, every earlier partition lies below this one's start.
      if (!forward && to && compareBytes(partition.start, to.key) <= 0) return;
    }
  }

  /** The encoded key of an item's key attributes (checked first with checkKey). */
  encodeKeyOf(key: Item): Uint8Array {
    return this.core.keyBytes(this.encode(key));
  }

  /**
   * The encoded key for partition key `pk` and, optionally, sort key `sk` (raw values of the
   * table's key types: strings for S and N, Uint8Array for B). Without `sk`, the prefix shared by
   * the whole item collection.
   */
  encodeKeyParts(pk: string | Uint8Array, sk?: string | Uint8Array): Uint8Array {
    const h = CORE_TYPE[this.hash.type];
    const len = sk === undefined || !this.range ? this.core.encodeKey(h, pk) : this.core.encodeKey(h, pk, CORE_TYPE[this.range.type], sk);
    return this.core.keyBytes(len);
  }

  // ---- partitions ------------------------------------------------------------------------------

  private addPartition(start: Uint8Array, tree: number): Partition {
    const partition: Partition = { id: this.byId.length, tree, bytes: 0, start };
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
    for (let i = middle; i < entries.length; i++) upperBytes += this.sizes[entries[i][1]];
    upper.bytes = upperBytes;
    partition.bytes -= upperBytes;
    core.treeSet(this.router, core.setKey(upper.start), upper.id);
    this.ordered.splice(this.ordered.indexOf(partition) + 1, 0, upper);
  }

  /** Checks every partition tree and the router; returns a description of the first problem. */
  checkValid(): string | undefined {
    for (const p of this.ordered) {
      const code = this.core.treeCheck(p.tree);
      if (code !== 0) return `partition ${p.id}: tree invariant ${code}`;
    }
    let total = 0;
    for (let i = 0; i < this.ordered.length; i++) {
      const p = this.ordered[i];
      const next = this.ordered[i + 1];
      total += this.core.treeSize(p.tree);
      for (const [key] of this.core.entries(p.tree)) {
        if (compareBytes(key, p.start) < 0 || (next && compareBytes(key, next.start) >= 0)) return `partition ${p.id}: key outside its range`;
      }
    }
    if (total !== this.count) return `item count ${this.count} but trees hold ${total}`;
    return undefined;
  }
}

function scalar(value: AttributeValue | undefined, type: ScalarType): string | Uint8Array {
  const raw = (value as Record<string, string | Uint8Array>)[type];
  return type === 'B' && typeof raw === 'string' ? base64ToBytes(raw) : raw;
}

function binaryLength(raw: string | Uint8Array): number {
  return typeof raw === 'string' ? base64ToBytes(raw).length : raw.length;
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
