/**
 * A table: its description (what DescribeTable returns), its items, and its secondary indexes.
 *
 * Items live in JS as slots (an array index) holding packed items; key spaces of wasm B+trees
 * (see KeySpace) map encoded keys to slots: the primary key space, and one per secondary index.
 * Index entries are maintained in the same write as the item, so a Query on an index always sees
 * the table as it is (DynamoDB's GSIs are eventually consistent; being consistent is allowed).
 *
 *   primary:  [hash(pk)][pk][sk]                      -> slot
 *   index:    [hash(index pk)][index pk][index sk][pk][sk]  -> slot   (the table key makes it unique)
 *   slots[slot] = packed item, sizes[slot] = item size
 */
import { Core, NONE, type KeyType } from '../core/wasm.js';
import {
  type AttributeValue,
  type Item,
  type PackedItem,
  DynamoError,
  base64ToBytes,
  packItem,
  readAttribute,
  readScalar,
  samePackedItem,
  unpackAttribute,
  unpackItem,
  utf8Length,
  attributeValueSize,
  itemSize,
} from '../model/index.js';
import { valuesEqual } from '../expressions/compare.js';
import * as msg from '../model/messages.js';
import type { Stream } from '../streams/streams.js';
import type { ChangeLog, UserIdentity } from './changes.js';
import type { TokenBucket } from './capacity.js';
import { type Bound, KeySpace, type Partition, compareBytes } from './keyspace.js';

export { type Bound, type Partition, compareBytes } from './keyspace.js';

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

const CORE_TYPE: Record<ScalarType, KeyType> = { S: 1, N: 2, B: 3 };
/** What one index entry counts for in its partition's size. */
const INDEX_ENTRY_BYTES = 64;
/** What a write replaced: the packed item (see unpackItem) and its size; no item, size 0. */
export interface WriteResult {
  old?: PackedItem;
  oldSize: number;
}

/** A secondary index as declared (CreateTable, or UpdateTable's Create). */
export interface IndexDefinition {
  name: string;
  global: boolean;
  hash: KeyAttribute;
  range?: KeyAttribute;
  projection: { ProjectionType: 'ALL' | 'KEYS_ONLY' | 'INCLUDE'; NonKeyAttributes?: string[] };
  throughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
}

export type IndexStatus = 'CREATING' | 'UPDATING' | 'DELETING' | 'ACTIVE';

/** A secondary index: its definition, its key space and what DescribeTable says of it. */
export class Index {
  status: IndexStatus = 'ACTIVE';
  /** True while an index added to a table with data is being filled (DescribeTable: Backfilling). */
  backfilling = false;
  throughput: Throughput;
  keys: KeySpace;
  /** Provisioned read and write rates of a GSI on a PROVISIONED table (see Database.provision). */
  buckets?: { read: TokenBucket; write: TokenBucket };

  constructor(
    readonly definition: IndexDefinition,
    readonly arn: string,
    private readonly core: Core,
    private readonly maxBytes: number,
  ) {
    this.keys = this.empty();
    this.throughput = { ReadCapacityUnits: definition.throughput?.ReadCapacityUnits ?? 0, WriteCapacityUnits: definition.throughput?.WriteCapacityUnits ?? 0, NumberOfDecreasesToday: 0 };
  }

  get name(): string {
    return this.definition.name;
  }

  /** Empties the index (before it is filled again from the table). */
  clear(): void {
    this.keys.drop();
    this.keys = this.empty();
  }

  private empty(): KeySpace {
    // Index partitions split by entry count (a nominal size per entry): entries do not move when
    // the items they point at grow or shrink.
    return new KeySpace(this.core, this.maxBytes, () => INDEX_ENTRY_BYTES);
  }

  get hash(): KeyAttribute {
    return this.definition.hash;
  }

  get range(): KeyAttribute | undefined {
    return this.definition.range;
  }
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
  /** Secondary indexes: global ones first, then local, each in declaration order. */
  readonly indexes: Index[] = [];
  /** Provisioned read and write rates of a PROVISIONED table (see Database.provision). */
  buckets?: { read: TokenBucket; write: TokenBucket };
  /** Tags by key (CreateTable's Tags, TagResource). */
  readonly tags = new Map<string, string>();
  /** While Time to Live is enabled, the attribute holding each item's expiry time. */
  ttlAttribute?: string;
  /** The table's latest stream, enabled or disabled (DescribeTable: LatestStreamArn). */
  stream?: Stream;

  private readonly primary: KeySpace;
  private readonly slots: (PackedItem | undefined)[] = [];
  private readonly sizes: number[] = [];
  private readonly freeSlots: number[] = [];
  private bytes = 0;
  private readonly sizeOf = (slot: number): number => this.sizes[slot];

  constructor(
    private readonly core: Core,
    private readonly changes: ChangeLog,
    definition: TableDefinition,
    arnPrefix: string,
    private readonly partitionMaxBytes: number,
    billingModeExplicit: boolean,
    indexes: IndexDefinition[] = [],
    private readonly itemCollectionMaxBytes = 10 * 1024 ** 3,
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
    this.primary = new KeySpace(core, partitionMaxBytes, this.sizeOf);
    for (const index of indexes) this.indexes.push(this.newIndex(index));
    if (this.indexes.some((index) => !index.definition.global)) this.collections = new Map();
  }

  /**
   * Bytes of the item collection (items sharing the partition key) that `key` belongs to, for
   * tables with local secondary indexes; undefined for other tables.
   */
  collectionBytes(key: Item): number | undefined {
    if (!this.collections) return undefined;
    return this.collections.get(this.collectionOf(this.encode(key))) ?? 0;
  }

  /**
   * Checks a group of writes (a batch or a transaction: one write per key) against the item
   * collection cap before any of them is applied, so that none is applied when one would cross it.
   * `size` is the new item's size, 0 for a delete.
   */
  checkCollections(writes: { key: Item; size: number }[]): void {
    if (!this.collections) return;
    const totals = new Map<string, number>();
    for (const { key, size } of writes) {
      const len = this.encode(key);
      const collection = this.collectionOf(len);
      const slot = this.primary.get(this.primary.route(len), len);
      const old = slot === NONE ? 0 : this.sizes[slot];
      totals.set(collection, (totals.get(collection) ?? this.collections.get(collection) ?? 0) + size - old);
    }
    for (const total of totals.values()) {
      if (total > this.itemCollectionMaxBytes) throw new DynamoError('ItemCollectionSizeLimitExceededException', msg.ITEM_COLLECTION_TOO_LARGE);
    }
  }

  /**
   * Bytes per item collection (items sharing a partition key), kept for tables with local
   * secondary indexes, whose collections DynamoDB caps at 10 GB. Keyed by the encoded partition key.
   */
  private collections?: Map<string, number>;

  get itemCount(): number {
    return this.primary.size;
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  get partitionCount(): number {
    return this.primary.partitionCount;
  }

  // ---- lazy loading (storage) -------------------------------------------------------------------
  //
  // Storage can restore a table as stub partitions (bounds, counts and sizes, no entries) and fill
  // each from its page on first use. Secondary indexes and item collections are derived: they are
  // not maintained while any partition is a stub, and are rebuilt from the items when the last
  // one is filled. So storage loads every partition of a table with indexes before a write to it
  // or a read of an index.

  /** The table's partitions in key order (stubs included). */
  get partitions(): readonly Partition[] {
    return this.primary.partitions;
  }

  /** How many partitions are stubs; 0 when the whole table is in memory. */
  get stubs(): number {
    return this.primary.stubs;
  }

  /** Replaces this (empty) table's partitions with stubs, in key order, the first starting at the empty key. */
  restorePartitions(stubs: { start: Uint8Array; count: number; bytes: number }[]): void {
    this.primary.restore(stubs);
    this.bytes = stubs.reduce((sum, stub) => sum + stub.bytes, 0);
  }

  /** The partition that holds `key` (a checked key, or an item). */
  partitionOf(key: Item): Partition {
    return this.primary.route(this.encode(key));
  }

  /**
   * Fills a stub partition with its page's items (packed, in key order) and their sizes. When it
   * was the last stub, the indexes and item collections are rebuilt.
   */
  fill(partition: Partition, items: PackedItem[], sizes: number[]): void {
    const entries: [Uint8Array, number][] = [];
    let bytes = 0;
    for (let i = 0; i < items.length; i++) {
      const slot = this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.slots.length;
      this.slots[slot] = items[i];
      this.sizes[slot] = sizes[i];
      bytes += sizes[i];
      entries.push([this.core.keyBytes(this.encodeAny(items[i])), slot]);
    }
    this.bytes += bytes - partition.bytes;
    this.primary.fill(partition, entries, bytes);
    if (this.primary.stubs === 0) this.rebuildDerived();
  }

  /** The items of a loaded partition, packed, in key order, with their sizes: its page. Packed items are immutable, so the arrays are a snapshot. */
  page(partition: Partition): { items: PackedItem[]; sizes: number[] } {
    const slots = this.primary.slots(partition);
    return { items: slots.map((slot) => this.slots[slot]!), sizes: slots.map((slot) => this.sizes[slot]) };
  }

  /**
   * Re-applies a logged write (a whole item, or a deletion when `item` is null) to a loaded
   * partition, making no change record: the log already holds it.
   */
  replay(key: Item, item: Item | null): void {
    this.changes.quietly(() => {
      if (item) this.put(item, itemSize(item));
      else this.delete(key);
    });
  }

  /** Refills the indexes and item collections from the items. */
  private rebuildDerived(): void {
    for (const index of this.indexes) {
      index.clear();
      this.backfill(index);
    }
    if (this.collections) {
      this.collections.clear();
      this.primary.walk(undefined, undefined, true, (slot) => {
        const collection = this.collectionOf(this.encodeAny(this.slots[slot]!));
        this.collections!.set(collection, (this.collections!.get(collection) ?? 0) + this.sizes[slot]);
        return true;
      });
    }
  }

  /** The index with this name, or undefined. */
  index(name: string): Index | undefined {
    return this.indexes.find((index) => index.name === name);
  }

  /** Frees the wasm trees; the table is unusable afterwards. */
  drop(): void {
    this.primary.drop();
    for (const index of this.indexes) index.keys.drop();
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

  /**
   * Checks an item's secondary-index key attributes: present ones must have the index key's type
   * and not be empty; absent ones only leave the item out of that index (sparse indexes).
   */
  checkIndexKeys(item: Item): string | undefined {
    for (const index of this.indexes) {
      const message = checkIndexKeyPart(item, index, index.hash) ?? (index.range && checkIndexKeyPart(item, index, index.range));
      if (message) return message;
    }
    return undefined;
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

  /** A fresh copy of the key attributes of a packed item, with the index's key attributes too when given. */
  keyOfPacked(item: PackedItem, index?: Index): Item {
    const key: Item = { [this.hash.name]: unpackAttribute(item, this.hash.name)! };
    if (this.range) key[this.range.name] = unpackAttribute(item, this.range.name)!;
    if (index) {
      key[index.hash.name] = unpackAttribute(item, index.hash.name)!;
      if (index.range) key[index.range.name] = unpackAttribute(item, index.range.name)!;
    }
    return key;
  }

  /** Encodes the (already checked) key of `item` into the core's KEY buffer; returns its length. */
  private encode(item: Item): number {
    const h = this.hash;
    const r = this.range;
    const hv = scalar(item[h.name], h.type);
    return r ? this.core.encodeKey(CORE_TYPE[h.type], hv, CORE_TYPE[r.type], scalar(item[r.name], r.type)) : this.core.encodeKey(CORE_TYPE[h.type], hv);
  }

  /** The index key of an item (a packed one or an Item), or undefined when it is not in the index. */
  private indexKey(index: Index, item: Item | PackedItem): Uint8Array | undefined {
    this.keepTail(item);
    const len = this.encodeIndexKey(index, rawOf(item, index.hash), index.range && rawOf(item, index.range));
    return len === undefined ? undefined : this.core.keyBytes(len);
  }

  /**
   * Encodes an index key into the core's KEY buffer from the raw values of its attributes (B as
   * base64 text or bytes): those values, then the table key kept last by keepTail, so that entries
   * are unique. Returns its length, or undefined when an attribute is absent (sparse index).
   */
  private encodeIndexKey(index: Index, hv: string | Uint8Array | undefined, rv: string | Uint8Array | undefined): number | undefined {
    const r = index.range;
    if (hv === undefined || (r && rv === undefined)) return undefined;
    const h = index.hash;
    const core = this.core;
    return r ? core.encodeIndexKey(CORE_TYPE[h.type], keyValue(hv, h.type), CORE_TYPE[r.type], keyValue(rv!, r.type)) : core.encodeIndexKey(CORE_TYPE[h.type], keyValue(hv, h.type));
  }

  /** Encodes the table key of an item (packed or not) and keeps it for the item's index keys (Core.keepTail). */
  private keepTail(item: Item | PackedItem): void {
    this.core.keepTail(this.encodeAny(item));
  }

  /** Encodes the table key of an item, packed or not, into the core's KEY buffer; returns its length. */
  private encodeAny(item: Item | PackedItem): number {
    const h = this.hash;
    const r = this.range;
    const hv = keyValue(rawOf(item, h)!, h.type);
    return r ? this.core.encodeKey(CORE_TYPE[h.type], hv, CORE_TYPE[r.type], keyValue(rawOf(item, r)!, r.type)) : this.core.encodeKey(CORE_TYPE[h.type], hv);
  }

  /** The item collection of the table key in KEY[0..len] (see collectionOf). */
  private collectionOf(len: number): string {
    return collectionOf(this.core.keyBytes(len).subarray(8), this.range !== undefined);
  }

  // ---- reads and writes ------------------------------------------------------------------------

  /** Size of the item the last get() found, for capacity accounting without a second lookup. */
  lastReadSize = 0;

  /** A fresh copy of the item with this key, or undefined. */
  get(key: Item): Item | undefined {
    const packed = this.getPacked(key);
    return packed && unpackItem(packed);
  }

  /** The stored item with this key (never to be mutated; see unpackItem), or undefined. */
  getPacked(key: Item): PackedItem | undefined {
    const len = this.encode(key);
    const slot = this.primary.get(this.primary.route(len), len);
    if (slot === NONE) return undefined;
    this.lastReadSize = this.sizes[slot];
    return this.slots[slot]!;
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
   * throws, nothing is written. It must not call into any table: tables share the core's key
   * buffers. An item whose secondary-index keys are invalid is refused with DynamoDB's
   * ValidationException before anything is written.
   */
  upsert(key: Item, produce: (old: PackedItem | undefined) => { item: Item; size: number }): WriteResult {
    const len = this.encode(key);
    const partition = this.primary.route(len);
    const existing = this.primary.get(partition, len);
    // Index keys end with the table key, and the item collection is its partition key: take both
    // before produce() can reuse KEY. Both are derived, and rebuilt once no partition is a stub.
    const derived = this.primary.stubs === 0;
    if (this.indexes.length > 0) this.core.keepTail(len);
    const collection = derived && this.collections ? this.collectionOf(len) : undefined;
    const before = existing === NONE ? undefined : this.slots[existing]!;
    const oldSize = before === undefined ? 0 : this.sizes[existing];
    const { item, size } = produce(before);
    if (this.indexes.length > 0) {
      const message = this.checkIndexKeys(item);
      if (message) throw new DynamoError('ValidationException', message);
    }
    if (collection !== undefined) {
      const total = (this.collections!.get(collection) ?? 0) + size - oldSize;
      // The API reference's description; the service's own text for it is not recorded anywhere we could find.
      if (total > this.itemCollectionMaxBytes) throw new DynamoError('ItemCollectionSizeLimitExceededException', msg.ITEM_COLLECTION_TOO_LARGE);
      this.collections!.set(collection, total);
    }
    const packed = packItem(item);
    let slot: number;
    if (before === undefined) {
      slot = this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.slots.length;
      this.slots[slot] = packed;
      this.sizes[slot] = size;
      // produce() and the index keys used the core: encode the key again before inserting it.
      this.primary.insert(partition, this.encode(item), slot, size);
      this.bytes += size;
      this.changes.append(this.name, 'INSERT', this.keyOf(item), undefined, item);
    } else {
      slot = existing;
      this.slots[slot] = packed;
      this.sizes[slot] = size;
      this.bytes += size - oldSize;
      this.primary.grow(partition, size - oldSize);
      if (!samePackedItem(before, item)) this.changes.append(this.name, 'MODIFY', this.keyOf(item), before, item);
    }
    if (derived) for (const index of this.indexes) this.reindex(index, before, item, slot);
    return { old: before, oldSize };
  }

  /** Deletes the item with this key; returns what was there. `by` marks a deletion the service made (a TTL expiry). */
  delete(key: Item, by?: UserIdentity): WriteResult {
    const len = this.encode(key);
    const derived = this.primary.stubs === 0;
    const collection = derived && this.collections ? this.collectionOf(len) : undefined;
    if (this.indexes.length > 0) this.core.keepTail(len);
    const slot = this.primary.remove(len);
    if (slot === NONE) return { oldSize: 0 };
    const old = this.slots[slot]!;
    const oldSize = this.sizes[slot];
    for (const index of derived ? this.indexes : []) {
      const len = this.encodeIndexKey(index, rawOf(old, index.hash), index.range && rawOf(old, index.range));
      if (len !== undefined) index.keys.remove(len);
    }
    if (collection !== undefined) {
      const left = this.collections!.get(collection)! - oldSize;
      if (left > 0) this.collections!.set(collection, left);
      else this.collections!.delete(collection);
    }
    this.slots[slot] = undefined;
    this.freeSlots.push(slot);
    this.bytes -= oldSize;
    this.changes.append(this.name, 'REMOVE', this.keyOfPacked(old), old, undefined, by);
    return { old, oldSize };
  }

  /**
   * Keys of the items whose `attribute` is a Number of epoch seconds below `nowSeconds`: expired,
   * by the UpdateTimeToLive API reference's rule. Items without it, or with another type there,
   * never expire. Collected first: deleting during the walk would change the trees under it. O(n).
   */
  expiredKeys(attribute: string, nowSeconds: number): Item[] {
    const keys: Item[] = [];
    this.primary.walk(undefined, undefined, true, (slot) => {
      const item = this.slots[slot]!;
      const expiry = readScalar(item, attribute, 'N');
      if (expiry !== undefined && Number(expiry) < nowSeconds) keys.push(this.keyOfPacked(item));
      return true;
    });
    return keys;
  }

  /**
   * Moves an item's entry in `index` when a write changed its index key attribute values, or the
   * item entered or left the index; an index whose key values did not change needs no work, and
   * no key encoding. The item's table key must be kept (keepTail).
   */
  private reindex(index: Index, before: PackedItem | undefined, after: Item, slot: number): void {
    const h = index.hash;
    const r = index.range;
    const hv = (after[h.name] as Record<string, string | Uint8Array> | undefined)?.[h.type];
    const rv = r && (after[r.name] as Record<string, string | Uint8Array> | undefined)?.[r.type];
    if (before) {
      const oldH = readScalar(before, h.name, h.type);
      const oldR = r && readScalar(before, r.name, r.type);
      // Stored values are normal (numbers normalised, binaries base64), so text equality is value equality.
      if (oldH === hv && oldR === rv) return;
      const len = this.encodeIndexKey(index, oldH, oldR);
      if (len !== undefined) index.keys.remove(len);
    }
    const len = this.encodeIndexKey(index, hv, rv);
    if (len !== undefined) index.keys.insert(index.keys.route(len), len, slot, INDEX_ENTRY_BYTES);
  }

  // ---- ranges ----------------------------------------------------------------------------------

  /**
   * Visits the items whose encoded keys lie between `lower` and `upper` (either may be absent),
   * in key order or, with `forward` false, in reverse, until `visit` returns false: the table's
   * keys, or with `index` that index's keys. Visitors get the packed item (see unpackItem), so
   * that counting reads no attribute.
   */
  walk(lower: Bound | undefined, upper: Bound | undefined, forward: boolean, visit: (item: PackedItem, size: number) => boolean, index?: Index): void {
    (index ? index.keys : this.primary).walk(lower, upper, forward, (slot) => visit(this.slots[slot]!, this.sizes[slot]));
  }

  /** The encoded key of an item's key attributes (checked first with checkKey), in the table or in an index. */
  encodeKeyOf(key: Item, index?: Index): Uint8Array {
    return index ? this.indexKey(index, key)! : this.core.keyBytes(this.encode(key));
  }

  /**
   * The encoded key prefix for partition key `pk` and, optionally, sort key `sk` (raw values:
   * strings for S and N, Uint8Array for B) of the table or of an index: every key of those values
   * starts with it.
   */
  encodeKeyParts(pk: string | Uint8Array, sk?: string | Uint8Array, index?: Index): Uint8Array {
    const hash = index ? index.hash : this.hash;
    const range = index ? index.range : this.range;
    const h = CORE_TYPE[hash.type];
    const len = sk === undefined || !range ? this.core.encodeKey(h, pk) : this.core.encodeKey(h, pk, CORE_TYPE[range.type], sk);
    return this.core.keyBytes(len);
  }

  // ---- indexes ---------------------------------------------------------------------------------

  private newIndex(definition: IndexDefinition): Index {
    return new Index(definition, `${this.arn}/index/${definition.name}`, this.core, this.partitionMaxBytes);
  }

  /**
   * Adds a global secondary index to a table that may hold data, filling it from every item
   * (UpdateTable). Items whose index key attributes have the wrong type are left out, as DynamoDB
   * does during a backfill.
   */
  addIndex(definition: IndexDefinition): Index {
    const index = this.newIndex(definition);
    // With stubs, the index is filled once the last one loads (rebuildDerived).
    if (this.primary.stubs === 0) this.backfill(index);
    this.indexes.push(index);
    return index;
  }

  /** Fills an empty index from every item. */
  private backfill(index: Index): void {
    const slots: number[] = [];
    this.primary.walk(undefined, undefined, true, (slot) => {
      slots.push(slot);
      return true;
    });
    for (const slot of slots) {
      const packed = this.slots[slot]!;
      const key = this.indexKey(index, packed);
      const typed = [index.hash, index.range].every((attr) => !attr || (readAttribute(packed, attr.name) as Record<string, unknown> | undefined)?.[attr.type] !== undefined);
      if (!key || !typed) continue;
      const len = this.core.setKey(key);
      index.keys.insert(index.keys.route(len), len, slot, INDEX_ENTRY_BYTES);
    }
  }

  /** Removes a secondary index and frees its trees. */
  removeIndex(index: Index): void {
    this.indexes.splice(this.indexes.indexOf(index), 1);
    index.keys.drop();
  }

  /** Bytes an index holds (DescribeTable's IndexSizeBytes): `measure` sizes one item as the index projects it. */
  indexBytes(index: Index, measure: (item: PackedItem, size: number) => number): number {
    let bytes = 0;
    index.keys.walk(undefined, undefined, true, (slot) => {
      bytes += measure(this.slots[slot]!, this.sizes[slot]);
      return true;
    });
    return bytes;
  }

  /**
   * The write units a write costs each secondary index (Developer Guide, "Provisioned throughput
   * considerations for global secondary indexes"): an entry added or removed costs one write of
   * its projected size, an entry whose index key changed costs two (delete and put), an entry
   * whose projected attributes changed costs one, and an unaffected index costs nothing.
   */
  indexWriteUnits(before: PackedItem | undefined, after: Item | undefined, transactional = false): Map<Index, number> {
    const units = new Map<Index, number>();
    const perKb = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024)) * (transactional ? 2 : 1);
    for (const index of this.indexes) {
      const oldKey = before && this.indexKey(index, before);
      const newKey = after && this.indexKey(index, after);
      const names = this.projectedNames(index, before, after);
      const size = (item: Item | PackedItem) => projectedSize(item, names);
      let n = 0;
      if (oldKey && newKey) {
        if (compareBytes(oldKey, newKey) !== 0) n = perKb(size(before!)) + perKb(size(after!));
        else if (names.some((name) => !sameAttribute(readAttribute(before!, name), after![name]))) n = perKb(size(after!));
      } else if (oldKey) {
        n = perKb(size(before!));
      } else if (newKey) {
        n = perKb(size(after!));
      }
      units.set(index, n);
    }
    return units;
  }

  /** The attribute names an index holds of these items. */
  private projectedNames(index: Index, before: PackedItem | undefined, after: Item | undefined): string[] {
    const { ProjectionType: type, NonKeyAttributes: extra = [] } = index.definition.projection;
    if (type === 'ALL') {
      const names = new Set<string>(after ? Object.keys(after) : []);
      if (before) for (let i = 0; i < before.length; i += 3) names.add(before[i] as string);
      return [...names];
    }
    const names = new Set([this.hash.name, index.hash.name, ...(type === 'INCLUDE' ? extra : [])]);
    if (this.range) names.add(this.range.name);
    if (index.range) names.add(index.range.name);
    return [...names];
  }

  /** Checks every key space; returns a description of the first problem. */
  checkValid(): string | undefined {
    const primary = this.primary.checkValid();
    if (primary) return `table: ${primary}`;
    for (const index of this.indexes) {
      const problem = index.keys.checkValid();
      if (problem) return `index ${index.name}: ${problem}`;
    }
    return undefined;
  }
}

function scalar(value: AttributeValue | undefined, type: ScalarType): string | Uint8Array {
  const raw = (value as Record<string, string | Uint8Array>)[type];
  return type === 'B' && typeof raw === 'string' ? base64ToBytes(raw) : raw;
}

/** Checks one index key attribute of an item (see Table.checkIndexKeys). */
function checkIndexKeyPart(item: Item, index: Index, attr: KeyAttribute): string | undefined {
  const value = item[attr.name] as Record<string, unknown> | undefined;
  if (value === undefined) return undefined;
  const raw = value[attr.type];
  if (raw === undefined) return msg.indexKeyTypeMismatch(attr.name, attr.type, Object.keys(value)[0], index.name);
  if (attr.type !== 'N' && (attr.type === 'S' ? (raw as string).length === 0 : binaryLength(raw as string | Uint8Array) === 0)) {
    return attr.type === 'S' ? msg.emptyIndexKeyString(index.name, attr.name) : msg.emptyIndexKeyBinary(index.name, attr.name);
  }
  return undefined;
}

function binaryLength(raw: string | Uint8Array): number {
  return typeof raw === 'string' ? base64ToBytes(raw).length : raw.length;
}


/** The size of the named attributes of an item (packed or not), by DynamoDB's rules. */
function projectedSize(item: Item | PackedItem, names: string[]): number {
  let size = 0;
  for (const name of names) {
    const value = Array.isArray(item) ? readAttribute(item as PackedItem, name) : (item as Item)[name];
    if (value !== undefined) size += utf8Length(name) + attributeValueSize(value);
  }
  return size;
}

function sameAttribute(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  return a === undefined || b === undefined ? a === b : valuesEqual(a, b);
}

/** The raw value of a key attribute of an item (packed or not; B as base64 text or bytes), or undefined when absent. */
function rawOf(item: Item | PackedItem, attr: KeyAttribute): string | Uint8Array | undefined {
  return Array.isArray(item) ? readScalar(item as PackedItem, attr.name, attr.type) : ((item as Item)[attr.name] as Record<string, string | Uint8Array> | undefined)?.[attr.type];
}

/** A raw key value as the core takes it: binaries as bytes. */
function keyValue(raw: string | Uint8Array, type: ScalarType): string | Uint8Array {
  return type === 'B' && typeof raw === 'string' ? base64ToBytes(raw) : raw;
}

/**
 * The item collection of an encoded table key without its hash: its partition key
 * component, up to and including the component terminator (0x00 0x01; a 0x00 data byte is escaped
 * as 0x00 0xFF).
 */
function collectionOf(tail: Uint8Array, composite: boolean): string {
  let end = tail.length;
  if (composite) {
    for (let i = 0; i + 1 < tail.length; i++) {
      if (tail[i] === 0 && tail[i + 1] === 1) {
        end = i + 2;
        break;
      }
      if (tail[i] === 0) i++;
    }
  }
  return String.fromCharCode(...tail.subarray(0, end));
}
