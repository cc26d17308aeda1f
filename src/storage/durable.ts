/**
 * Durability: the write-ahead log of change records with group commit, checkpoints, and recovery,
 * over any Store. DESIGN.md's write path ends here: a write's change record goes into the next
 * log frame, and the caller is answered once that frame is durable.
 *
 * Group commit: records collect while a frame is being written; when it is durable, everything
 * that arrived meanwhile goes into the next frame, in one append. All records of one request (a
 * transaction's, a batch's) are appended in the same tick, so they land in one frame: a crash
 * keeps all of them or none.
 *
 * Frames hold JSON entries: `{ w: table, k: keys, n: new image or null }` for a write (stored
 * form, so replaying is putting or deleting whole items and is idempotent) and `{ c: catalog }`,
 * the whole catalog, after any change to tables. A checkpoint is `{ catalog, items }`, after which
 * the store drops the log.
 */
import type { ChangeRecord } from '../engine/changes.js';
import type { Database, TableState } from '../engine/database.js';
import type { Table } from '../engine/table.js';
import { DynamoError, type Item, itemSize, unpackItem } from '../model/index.js';
import { StorageCorruptionError, type Store } from './store.js';

type Entry = { w: string; k: Item; n: Item | null } | { c: TableState[] };

interface Snapshot {
  catalog: TableState[];
  items: Record<string, Item[]>;
}

export interface DurableOptions {
  /** Log bytes after which a checkpoint is written and the log dropped. Default 64 MiB. */
  checkpointBytes?: number;
}

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
  private readonly unsubscribe: () => void;
  private idle?: Deferred;
  /** While a failed frame's writes are undone: memory returns to what the log holds, so nothing is logged. */
  private undoing = false;

  private constructor(
    private readonly db: Database,
    private readonly store: Store,
    options: DurableOptions,
  ) {
    this.checkpointBytes = options.checkpointBytes ?? 64 * 1024 * 1024;
    this.unsubscribe = db.changes.subscribe((record) => {
      if (this.undoing) return;
      this.records.push(record);
      this.entries.push({ w: record.table, k: record.keys, n: record.newImage ?? null });
      this.schedule();
    });
    db.onCatalogChange = () => this.catalogChanged();
  }

  /** Recovers `db` (which must be empty) from `store`, then logs every write made to it. */
  static async open(db: Database, store: Store, options: DurableOptions = {}): Promise<Durable> {
    const { checkpoint, log } = await store.load();
    let catalog: TableState[] = [];
    if (checkpoint) {
      const snapshot = parse<Snapshot>(checkpoint, 'the checkpoint');
      db.restoreCatalog(snapshot.catalog);
      catalog = snapshot.catalog;
      for (const [name, items] of Object.entries(snapshot.items)) {
        const table = tableOf(db, name);
        for (const item of items) table.put(item, itemSize(item));
      }
    }
    log.forEach((frame, i) => {
      for (const entry of parse<Entry[]>(frame, `log frame ${i}`)) {
        if ('c' in entry) {
          db.restoreCatalog(entry.c);
          catalog = entry.c;
        } else if (entry.n) {
          tableOf(db, entry.w).put(entry.n, itemSize(entry.n));
        } else {
          tableOf(db, entry.w).delete(entry.k);
        }
      }
    });
    // Streams restart after the replay: replayed writes are not new stream records.
    db.restoreStreams(catalog);
    const durable = new Durable(db, store, options);
    durable.logBytes = log.reduce((n, frame) => n + frame.length, 0);
    return durable;
  }

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

  /** Waits for pending frames, then releases the store. */
  async close(): Promise<void> {
    this.unsubscribe();
    this.db.onCatalogChange = undefined;
    if (this.flushing || this.scheduled) {
      this.idle ??= deferred();
      await this.idle.promise;
    }
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
      try {
        await this.store.append(frame);
      } catch (cause) {
        this.inFlight = undefined;
        this.fail(records, hadCatalog, waiting, cause);
        // A store that keeps failing (a lost IndexedDB connection) must not be retried in a loop:
        // the next write tries again.
        break;
      }
      this.logBytes += frame.length;
      this.inFlight = undefined;
      waiting.resolve();
      if (this.logBytes >= this.checkpointBytes && this.entries.length === 0) await this.checkpoint();
    }
    this.flushing = false;
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

  private async checkpoint(): Promise<void> {
    const catalog = this.db.catalog();
    const items: Record<string, Item[]> = {};
    for (const state of catalog) {
      if (state.deleting) continue;
      const table = this.db.tableOrUndefined(state.definition.name)!;
      const list: Item[] = [];
      table.walk(undefined, undefined, true, (packed) => {
        list.push(unpackItem(packed));
        return true;
      });
      items[table.name] = list;
    }
    const snapshot: Snapshot = { catalog, items };
    try {
      await this.store.checkpoint(encoder.encode(JSON.stringify(snapshot)));
      this.logBytes = 0;
    } catch {
      // The log still holds everything: the next frame past the threshold tries again.
    }
  }
}

function parse<T>(bytes: Uint8Array, what: string): T {
  try {
    return JSON.parse(decoder.decode(bytes)) as T;
  } catch (cause) {
    throw new StorageCorruptionError(`Tidepool: ${what} cannot be read back`, { cause });
  }
}

function tableOf(db: Database, name: string): Table {
  const table = db.tableOrUndefined(name);
  if (!table) throw new StorageCorruptionError(`Tidepool: the log writes to table ${name}, which its catalog does not have`);
  return table;
}
