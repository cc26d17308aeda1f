/**
 * Durability: the write-ahead log of change records with group commit, checkpoints of partition
 * pages, lazy loading, and recovery, over any Store. DESIGN.md's write path ends here: a write's
 * change record goes into the next log frame, and the caller is answered once that frame is
 * durable.
 *
 * Group commit: records collect while a frame is being written; when it is durable, everything
 * that arrived meanwhile goes into the next frame, in one append. All records of one request (a
 * transaction's, a batch's) are appended in the same tick, so they land in one frame: a crash
 * keeps all of them or none.
 *
 * Frames hold JSON entries: `{ w: table, k: keys, n: new image or null }` for a write (stored
 * form, so replaying is putting or deleting whole items and is idempotent) and `{ c: catalog }`,
 * the whole catalog, after any change to tables.
 *
 * Checkpoints: each table partition (KeySpace) is one page, `{ items, sizes }` in JSON, its
 * packed items in key order. The manifest names the catalog and, per table, its partitions in key
 * order with their start keys, entry counts, sizes and pages. A checkpoint writes the pages of the
 * partitions changed since the last one, in the background, and a new manifest; the store then
 * drops the log frames the manifest covers, and the pages it no longer names. Splits are in it as
 * two partitions with new pages in place of the old one. Secondary indexes are not written: they
 * are rebuilt from the items (see Table, lazy loading).
 *
 * Opening reads the manifest and the log after it, never a page: each table's partitions start as
 * stubs, and the log's writes to a stub wait in a list of that partition, in log order. A request
 * loads what it touches first (touches.ts; Tidepool.execute): the partition's page, then its
 * waiting writes, so that a partition is never seen without them and a transaction is never seen
 * half applied. Secondary indexes and item collections need the whole table: a write to a table
 * with indexes, or a read of an index, loads all of the table.
 */
import type { ChangeRecord } from '../engine/changes.js';
import type { Database, TableState } from '../engine/database.js';
import type { Partition, Table } from '../engine/table.js';
import { DynamoError, type Item, type PackedItem, base64ToBytes, bytesToBase64, itemSize } from '../model/index.js';
import { StorageCorruptionError, type Store } from './store.js';
import { touches } from './touches.js';

type Write = { w: string; k: Item; n: Item | null };
type Entry = Write | { c: TableState[] };

/** A partition in the manifest: its start key (base64), entry count, item bytes and page. */
interface PartitionEntry {
  start: string;
  count: number;
  bytes: number;
  page: number;
}

interface Manifest {
  catalog: TableState[];
  /** Every table of the catalog that is not being deleted, by name. */
  tables: Record<string, { id: string; partitions: PartitionEntry[] }>;
  /** The next page id: ids are never reused. */
  nextPage: number;
}

interface Page {
  items: PackedItem[];
  sizes: number[];
}

/** A checkpoint as taken: the manifest and, for each changed partition, its new page id, items and the version they are. */
interface Snapshot {
  manifest: Manifest;
  pages: { partition: Partition; id: number; version: number; page: Page }[];
}

export interface DurableOptions {
  /**
   * Log bytes after which a checkpoint is written and the log dropped: how much log opening a
   * database replays at most (but see AMPLIFICATION). Default 4 MiB.
   */
  checkpointBytes?: number;
}

/**
 * A checkpoint writes at most this many page bytes per log byte it drops: it waits until the log
 * holds half the bytes of the partitions it would rewrite. Random writes all over a large table
 * would otherwise rewrite the whole table every `checkpointBytes` (measured: durable PutItem on a
 * 20 MB table, 64 in flight, lost about two thirds of its rate at 4). So the log that opening
 * replays stays below max(checkpointBytes, changed partition bytes / 2).
 */
const AMPLIFICATION = 2;

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(error: Error): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A group nobody waits on (a TTL sweep's deletes) must not become an unhandled rejection.
  promise.catch(() => {});
  return { promise, resolve, reject };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
/** Lets the event loop run (appends, requests) between the pages a checkpoint encodes. */
const yieldToEvents = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export class Durable {
  /** Records of writes not yet in a frame, and the entries they become. */
  private records: ChangeRecord[] = [];
  private entries: Entry[] = [];
  private catalogDirty = false;
  /** Settles when the entries now pending are durable (created by the first caller to wait). */
  private waiting?: Deferred;
  /** Settles when the frame being written is durable. */
  private inFlight?: Promise<void>;
  private flushing = false;
  private scheduled = false;
  private logBytes = 0;
  private readonly checkpointBytes: number;
  private unsubscribe?: () => void;
  private idle?: Deferred;
  /** While a failed frame's writes are undone: memory returns to what the log holds, so nothing is logged. */
  private undoing = false;

  /** Per partition, the page of the latest manifest holding it and the version of it that page is. */
  private readonly saved = new WeakMap<Partition, { page: number; version: number }>();
  /** The pages the latest durable manifest names. */
  private livePages = new Set<number>();
  private nextPage = 1;
  /** Logged writes to stub partitions, in log order: applied when the partition loads. */
  private readonly pending = new Map<Partition, Write[]>();
  private readonly loading = new Map<Partition, Promise<void>>();
  /** Whether every table is wholly in memory (no stubs): requests need not be looked at. */
  private loaded = true;
  /** A checkpoint is being prepared or written. */
  private checkpointing?: Promise<void>;
  /** The next frame (or, with none coming, now) takes the checkpoint's snapshot. */
  private snapshotWanted = false;
  /** Settles when the checkpoint of the snapshot wanted next is durable (or failed). */
  private written?: Deferred;

  private constructor(
    private readonly db: Database,
    private readonly store: Store,
    options: DurableOptions,
  ) {
    this.checkpointBytes = options.checkpointBytes ?? 4 * 1024 * 1024;
  }

  /** Recovers `db` (which must be empty) from `store`, then logs every write made to it. */
  static async open(db: Database, store: Store, options: DurableOptions = {}): Promise<Durable> {
    const { manifest, log } = await store.load();
    const durable = new Durable(db, store, options);
    let catalog: TableState[] = [];
    if (manifest) {
      const m = parse<Manifest>(manifest, 'the manifest');
      db.restoreCatalog(m.catalog);
      catalog = m.catalog;
      for (const [name, { id, partitions }] of Object.entries(m.tables)) {
        const table = db.tableOrUndefined(name);
        if (table?.id !== id) throw new StorageCorruptionError(`Tidepool: the manifest has pages for table ${name}, which its catalog does not have`);
        table.restorePartitions(partitions.map(({ start, count, bytes }) => ({ start: base64ToBytes(start), count, bytes })));
        table.partitions.forEach((partition, i) => {
          durable.saved.set(partition, { page: partitions[i].page, version: partition.version });
          durable.livePages.add(partitions[i].page);
        });
      }
      durable.nextPage = m.nextPage;
      for (const state of m.catalog) {
        if (!state.deleting && !m.tables[state.definition.name]) throw new StorageCorruptionError(`Tidepool: the manifest has no pages for table ${state.definition.name}`);
      }
    }
    log.forEach((frame, i) => {
      for (const entry of parse<Entry[]>(frame, `log frame ${i}`)) {
        if ('c' in entry) {
          db.restoreCatalog(entry.c);
          catalog = entry.c;
        } else {
          durable.replay(entry);
        }
      }
    });
    // Streams restart after the replay: replayed writes are not new stream records.
    db.restoreStreams(catalog);
    durable.logBytes = log.reduce((n, frame) => n + frame.length, 0);
    durable.loaded = durable.tables().every((table) => table.stubs === 0);
    durable.start();
    // Time to Live sweeps whole tables: those with it enabled load in the background.
    for (const table of durable.tables()) if (table.ttlAttribute !== undefined && table.stubs > 0) durable.loadAll(table).catch(() => {});
    return durable;
  }

  private start(): void {
    this.unsubscribe = this.db.changes.subscribe((record) => {
      if (this.undoing) return;
      this.records.push(record);
      this.entries.push({ w: record.table, k: record.keys, n: record.newImage ?? null });
      this.schedule();
    });
    this.db.onCatalogChange = () => this.catalogChanged();
  }

  /** Applies a logged write: now if its partition is loaded, else when it loads. */
  private replay(write: Write): void {
    const table = this.db.tableOrUndefined(write.w);
    if (!table) throw new StorageCorruptionError(`Tidepool: the log writes to table ${write.w}, which its catalog does not have`);
    const partition = table.partitionOf(write.k);
    if (partition.loaded) {
      table.replay(write.k, write.n);
      return;
    }
    const waiting = this.pending.get(partition);
    if (waiting) waiting.push(write);
    else this.pending.set(partition, [write]);
  }

  // ---- lazy loading ---------------------------------------------------------------------------

  /**
   * Loads what `action` on `input` touches (see touches.ts) and is not in memory yet; undefined
   * when there is nothing to load, so that the caller can stay synchronous. Rejects with a
   * StorageCorruptionError for a page that fails its checksum, which stays unloaded.
   */
  prepare(action: string, input: unknown): Promise<void> | undefined {
    if (this.loaded) return undefined;
    const loads: Promise<void>[] = [];
    for (const touch of touches(action, input)) {
      const table = this.db.tableOrUndefined(touch.table);
      if (!table || table.stubs === 0 || (touch.ifIndexed && table.indexes.length === 0)) continue;
      if (!touch.keys || (touch.write && table.indexes.length > 0)) {
        loads.push(this.loadAll(table));
        continue;
      }
      for (const key of touch.keys) {
        let partition: Partition;
        try {
          // A key the action will reject (missing, mistyped or malformed attributes) needs nothing loaded.
          if (table.checkItemKey(key) !== undefined) continue;
          partition = table.partitionOf(key);
        } catch {
          continue;
        }
        if (!partition.loaded) loads.push(this.load(table, partition));
      }
    }
    if (loads.length > 0) return Promise.all(loads).then(() => undefined);
    // A table deleted before it was loaded leaves no stubs behind.
    this.loaded = this.tables().every((table) => table.stubs === 0);
    return undefined;
  }

  /** Loads every partition of `table`. */
  private loadAll(table: Table): Promise<void> {
    return Promise.all(table.partitions.filter((partition) => !partition.loaded).map((partition) => this.load(table, partition))).then(() => undefined);
  }

  private load(table: Table, partition: Partition): Promise<void> {
    let loading = this.loading.get(partition);
    if (!loading) {
      loading = this.read(table, partition).finally(() => this.loading.delete(partition));
      this.loading.set(partition, loading);
    }
    return loading;
  }

  /** Reads a stub's page, fills it, and applies the log's writes to it. */
  private async read(table: Table, partition: Partition): Promise<void> {
    const { page: id } = this.saved.get(partition)!;
    const bytes = await this.store.readPage(id);
    // Deleted (or re-created) while the page was read.
    if (this.db.tableOrUndefined(table.name) !== table) return;
    const page = parse<Page>(bytes, `page ${id}`);
    if (!Array.isArray(page.items) || !Array.isArray(page.sizes) || page.items.length !== page.sizes.length || page.items.length !== partition.count) {
      throw new StorageCorruptionError(`Tidepool: page ${id} does not hold the ${partition.count} items its manifest says`);
    }
    table.fill(partition, page.items, page.sizes);
    this.saved.set(partition, { page: id, version: partition.version });
    const writes = this.pending.get(partition);
    this.pending.delete(partition);
    for (const write of writes ?? []) table.replay(write.k, write.n);
    if (table.stubs === 0) this.loaded = this.tables().every((other) => other.stubs === 0);
  }

  private tables(): Table[] {
    return this.db.tableNames().map((name) => this.db.tableOrUndefined(name)!);
  }

  // ---- the log --------------------------------------------------------------------------------

  /** Call after a control-plane action changed the catalog: the next frame carries it. */
  catalogChanged(): void {
    this.catalogDirty = true;
    this.schedule();
  }

  /**
   * Resolves once every write made so far is durable. Rejects with InternalServerError if the
   * frame holding them failed, in which case those writes (and any made after them that were not
   * yet durable) have been undone in memory too.
   */
  commit(): Promise<void> {
    // Frames are written one at a time: pending entries are durable after the frame in flight.
    if (this.entries.length === 0 && !this.catalogDirty) return this.inFlight ?? Promise.resolve();
    this.waiting ??= deferred();
    return this.waiting.promise;
  }

  /**
   * Waits for pending frames and checkpoints, writes a last checkpoint if the log holds anything
   * (the next open then replays none), then releases the store.
   */
  async close(): Promise<void> {
    this.unsubscribe?.();
    this.db.onCatalogChange = undefined;
    if (this.flushing || this.scheduled) {
      this.idle ??= deferred();
      await this.idle.promise;
    }
    // Memory is ahead of the log only after a failed frame: then no checkpoint is taken.
    const consistent = this.entries.length === 0 && !this.catalogDirty;
    if (this.snapshotWanted) {
      this.snapshotWanted = false;
      this.written?.reject(new Error('closed'));
    }
    await this.checkpointing;
    // A failure leaves the log, which still holds everything.
    if (consistent && this.logBytes > 0) await this.checkpoint().catch(() => {});
    await this.store.close();
  }

  private schedule(): void {
    if (this.flushing || this.scheduled) return;
    this.scheduled = true;
    // Same-tick writes share the first frame.
    queueMicrotask(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.entries.length > 0 || this.catalogDirty) {
      const entries = this.entries;
      const records = this.records;
      const hadCatalog = this.catalogDirty;
      if (hadCatalog) entries.push({ c: this.db.catalog() });
      const waiting = this.waiting ?? deferred();
      // A later commit() waits for this frame too; no one may, so its failure is no unhandled rejection.
      waiting.promise.catch(() => undefined);
      this.inFlight = waiting.promise;
      this.entries = [];
      this.records = [];
      this.catalogDirty = false;
      this.waiting = undefined;
      const frame = encoder.encode(JSON.stringify(entries));
      // Memory is now the log plus this frame: a snapshot taken here is the log up to its end.
      const snapshot = this.snapshotWanted ? this.snapshot() : undefined;
      this.snapshotWanted = false;
      try {
        await this.store.append(frame);
      } catch (cause) {
        this.inFlight = undefined;
        this.fail(records, hadCatalog, waiting, cause);
        if (snapshot) this.snapshotWanted = true;
        // A store that keeps failing (a lost IndexedDB connection) must not be retried in a loop:
        // the next write tries again.
        break;
      }
      this.logBytes += frame.length;
      this.inFlight = undefined;
      waiting.resolve();
      if (snapshot) this.write(snapshot);
      this.considerCheckpoint();
    }
    this.flushing = false;
    // Memory is the log: a snapshot still wanted is taken now.
    if (this.snapshotWanted && this.entries.length === 0 && !this.catalogDirty) {
      this.snapshotWanted = false;
      this.write(this.snapshot());
    }
    this.idle?.resolve();
    this.idle = undefined;
  }

  /**
   * A frame failed: nothing in it is durable. Its writes, and those that arrived since (they may
   * build on them), are undone in memory, newest first, and their callers get InternalServerError.
   * Memory is then what the log holds, so the undo itself is not logged.
   */
  private fail(records: ChangeRecord[], hadCatalog: boolean, waiting: Deferred | undefined, cause: unknown): void {
    const later = this.records;
    const laterWaiting = this.waiting;
    this.records = [];
    this.entries = [];
    this.waiting = undefined;
    // The catalog in memory is not rolled back: it is written again with the next frame.
    if (hadCatalog) this.catalogDirty = true;
    this.undoing = true;
    try {
      for (const record of records.concat(later).reverse()) {
        const table = this.db.tableOrUndefined(record.table);
        if (!table) continue;
        const old = record.oldImage;
        if (old) table.put(old, itemSize(old));
        else table.delete(record.keys);
      }
    } finally {
      this.undoing = false;
    }
    const error = new DynamoError('InternalServerError', 'Internal server error', { cause });
    waiting?.reject(error);
    laterWaiting?.reject(error);
  }

  // ---- checkpoints ----------------------------------------------------------------------------

  /** Starts a checkpoint when the log has grown enough (see checkpointBytes, AMPLIFICATION). */
  private considerCheckpoint(): void {
    if (this.checkpointing || this.logBytes < this.checkpointBytes || this.logBytes * AMPLIFICATION < this.changedBytes()) return;
    this.checkpointing = this.checkpoint()
      .catch(() => {
        // The log still holds everything: a later frame past the threshold tries again.
      })
      .finally(() => (this.checkpointing = undefined));
  }

  /**
   * Loads the partitions the log's tail still waits on (the log that holds their writes is about
   * to be dropped), then has the next frame (or, with none coming, this moment) take a snapshot,
   * and resolves once the checkpoint is durable.
   */
  private async checkpoint(): Promise<void> {
    for (const table of this.tables()) {
      await Promise.all(table.partitions.filter((partition) => this.pending.has(partition)).map((partition) => this.load(table, partition)));
    }
    this.pending.clear();
    const done = deferred();
    this.written = done;
    if (this.flushing || this.scheduled || this.entries.length > 0 || this.catalogDirty) {
      this.snapshotWanted = true;
      if (!this.flushing) this.schedule();
    } else {
      this.write(this.snapshot());
    }
    await done.promise;
  }

  /** The bytes of the partitions a checkpoint now would write. */
  private changedBytes(): number {
    let bytes = 0;
    for (const table of this.tables()) {
      for (const partition of table.partitions) if (this.changed(partition)) bytes += partition.bytes;
    }
    return bytes;
  }

  private changed(partition: Partition): boolean {
    return partition.loaded && this.saved.get(partition)?.version !== partition.version;
  }

  /**
   * The manifest and the changed partitions as they are now, synchronously. Packed items are
   * immutable, so holding them is a consistent copy: the pages are encoded later.
   */
  private snapshot(): Snapshot {
    const catalog = this.db.catalog();
    const tables: Manifest['tables'] = {};
    const pages: Snapshot['pages'] = [];
    for (const state of catalog) {
      if (state.deleting) continue;
      const table = this.db.tableOrUndefined(state.definition.name)!;
      tables[table.name] = {
        id: table.id,
        partitions: table.partitions.map((partition) => {
          let page = this.saved.get(partition)?.page;
          if (page === undefined || this.changed(partition)) {
            page = this.nextPage++;
            pages.push({ partition, id: page, version: partition.version, page: table.page(partition) });
          }
          return { start: bytesToBase64(partition.start), count: partition.count, bytes: partition.bytes, page };
        }),
      };
    }
    return { manifest: { catalog, tables, nextPage: this.nextPage }, pages };
  }

  /**
   * Marks the log position the snapshot is (everything appended so far), then encodes its pages a
   * few at a time, letting appends and requests run in between, and writes them with the manifest.
   */
  private write(snapshot: Snapshot): void {
    const written = this.written;
    this.written = undefined;
    const cut = this.store.cut();
    const covered = this.logBytes;
    const commit = async () => {
      const pages = new Map<number, Uint8Array>();
      for (const { id, page } of snapshot.pages) {
        pages.set(id, encoder.encode(JSON.stringify(page)));
        await yieldToEvents();
      }
      const live = new Set<number>();
      for (const { partitions } of Object.values(snapshot.manifest.tables)) for (const { page } of partitions) live.add(page);
      const drop = [...this.livePages].filter((page) => !live.has(page));
      await this.store.checkpoint({ cut, pages, drop, manifest: encoder.encode(JSON.stringify(snapshot.manifest)) });
      this.livePages = live;
      for (const { partition, id, version } of snapshot.pages) this.saved.set(partition, { page: id, version });
      this.logBytes -= covered;
    };
    commit().then(
      () => written?.resolve(),
      (error: Error) => written?.reject(error),
    );
  }
}

function parse<T>(bytes: Uint8Array, what: string): T {
  try {
    return JSON.parse(decoder.decode(bytes)) as T;
  } catch (cause) {
    throw new StorageCorruptionError(`Tidepool: ${what} cannot be read back`, { cause });
  }
}
