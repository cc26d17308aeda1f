/**
 * The browser store: one IndexedDB database per Tidepool database, named `tidepool:<name>` so that
 * it never collides with the app's own databases.
 *
 *   log         auto-increment key -> { crc, data }          frames, in append order
 *   pages       page id            -> { crc, data }
 *   meta        'manifest'         -> { crc, data }             data = logFrom u32 LE | manifest
 *               'writer'           -> token of the connection that loaded the database last
 *
 *   crc = CRC32 of data; the frames from key logFrom on come after the manifest
 *
 * An IndexedDB transaction commits whole or not at all, so unlike a log file there is no torn
 * frame to drop: any record that fails its checksum is corruption. A checkpoint's pages, its
 * manifest and the deletion of the frames it covers commit in one transaction. Every write
 * transaction asks for `durability: 'strict'`: Chromium's default, 'relaxed', reports `complete`
 * before the data is flushed, and a write acknowledged then could be lost with the machine.
 *
 * Never two write transactions at once: every one includes the log store in its scope, so that
 * IndexedDB runs them one after another. Chromium discards an origin's whole IndexedDB database
 * when the browser dies while two write transactions on disjoint stores are both committing: on
 * reopening, it takes every lock of every unfinished transaction as exclusive to roll them back,
 * the two conflict on the database's own lock (which they held shared), and it judges the files
 * corrupt ("Invalid locks on disk"). Appends used to go to the log alone while a checkpoint
 * wrote pages and the manifest, and a kill in that window lost the database about once in twenty
 * kills in our crash test. An append now waits for a checkpoint's transaction to finish.
 *
 * One writer: `load` claims the database for this connection (its token under 'writer', in the
 * transaction that reads the log), and every write transaction first checks the claim, so a
 * connection another one has taken over from (a frozen tab's, resuming) can never write again.
 */
import CRC32 from 'crc-32';

// crc-32 (slicing by 16) is about 6x faster than @aws-crypto/crc32 on large frames; the value is the same.
const crc32 = (bytes: Uint8Array): number => CRC32.buf(bytes) >>> 0;
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction } from 'idb';
import { type Checkpoint, StorageCorruptionError, type Store } from './store.js';

interface Stored {
  crc: number;
  data: Uint8Array;
}

interface Schema extends DBSchema {
  log: { key: number; value: Stored };
  pages: { key: number; value: Stored };
  meta: { key: string; value: Stored | string };
}

/** Version 1 held one whole-database checkpoint; it is not read (see open). */
const VERSION = 2;
const MANIFEST = 'manifest';
const WRITER = 'writer';
const STRICT: IDBTransactionOptions = { durability: 'strict' };

/**
 * IndexedDB did not store a write, or can no longer be used: the site's storage quota is used up
 * (`cause` is the browser's QuotaExceededError), the browser closed the connection (site data
 * cleared, a disk error), or another connection is deleting or upgrading the database. The
 * durability layer fails the writes of that frame with InternalServerError, whose `cause` is this
 * error; once the connection is gone every later write fails the same way until the database is
 * opened again.
 */
export class StorageUnavailableError extends Error {
  override readonly name = 'StorageUnavailableError';
}

/**
 * The IndexedDB store, for `Tidepool.open({ store })` in a browser.
 *
 * @example
 * const db = await Tidepool.open({ store: await IndexedDbStore.open('notes') });
 */
export class IndexedDbStore implements Store {
  private db!: IDBPDatabase<Schema>;
  /** Set when the connection is gone: every later call rejects with it. */
  private lost?: StorageUnavailableError;
  /** The key of the last frame appended or loaded. */
  private lastKey = 0;
  /** This connection's claim to write, in meta under 'writer' (see load). */
  private readonly token = crypto.randomUUID();

  private constructor(private readonly name: string) {}

  /** Opens (creating if needed) the IndexedDB database `tidepool:<name>`. */
  static async open(name: string): Promise<IndexedDbStore> {
    const store = new IndexedDbStore(`tidepool:${name}`);
    let legacy = false;
    const opening = openDB<Schema>(store.name, VERSION, {
      upgrade(db, oldVersion, _newVersion, transaction) {
        // Left as it is (the upgrade aborted), rather than read without its checkpoint.
        if (oldVersion === 1) {
          legacy = true;
          transaction.abort();
          return;
        }
        db.createObjectStore('log', { autoIncrement: true });
        db.createObjectStore('pages');
        db.createObjectStore('meta');
      },
      // Closing lets the other connection go ahead instead of being blocked by this one forever.
      blocking: () => {
        store.db.close();
        store.lose(`another connection is deleting or upgrading IndexedDB database ${store.name}`);
      },
      terminated: () => store.lose(`the browser closed IndexedDB database ${store.name} (site data cleared, or a storage error)`),
    });
    try {
      store.db = await opening;
    } catch (error) {
      if (legacy) throw new StorageCorruptionError(`Tidepool: IndexedDB database ${store.name} was written before partitions had pages, which this version cannot read`);
      throw error;
    }
    return store;
  }

  /**
   * Reads what is durable, and claims the database for this connection in the same transaction:
   * any connection that loaded it before can no longer write (see write), so nothing it writes
   * from now on can be missing from what this one read.
   */
  async load(): Promise<{ manifest?: Uint8Array; log: Uint8Array[] }> {
    if (this.lost) throw this.lost;
    const tx = this.db.transaction(['log', 'meta'], 'readwrite', STRICT);
    const claim = tx.objectStore('meta').put(this.token, WRITER);
    claim.catch(() => undefined); // reported by tx.done
    const stored = (await tx.objectStore('meta').get(MANIFEST)) as Stored | undefined;
    const data = stored && this.verify(stored, 'the manifest');
    const logFrom = data ? new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(0, true) : 1;
    const from = IDBKeyRange.lowerBound(logFrom);
    const [keys, log] = await Promise.all([tx.objectStore('log').getAllKeys(from), tx.objectStore('log').getAll(from), claim, tx.done]);
    this.lastKey = keys.length > 0 ? keys[keys.length - 1] : logFrom - 1;
    return {
      manifest: data?.subarray(4),
      log: log.map((frame, i) => this.verify(frame, `log frame ${i}`)),
    };
  }

  /**
   * Whether this connection still holds the claim `load` made: false once another has loaded the
   * database since. A read of one key, which waits only for write transactions already started.
   */
  async claimed(): Promise<boolean> {
    if (this.lost) return false;
    return (await this.db.get('meta', WRITER)) === this.token;
  }

  async append(frame: Uint8Array): Promise<void> {
    let key = 0;
    await this.write(['log', 'meta'], (tx) => [tx.objectStore('log').add(stored(frame)).then((added) => (key = added))]);
    this.lastKey = key;
  }

  cut(): number {
    return this.lastKey + 1;
  }

  async readPage(id: number): Promise<Uint8Array> {
    if (this.lost) throw this.lost;
    const page = await this.db.get('pages', id);
    if (!page) throw new StorageCorruptionError(`Tidepool: IndexedDB database ${this.name} is corrupt: page ${id} is missing`);
    return this.verify(page, `page ${id}`);
  }

  async checkpoint({ cut, pages, drop, manifest }: Checkpoint): Promise<void> {
    const data = new Uint8Array(4 + manifest.length);
    new DataView(data.buffer).setUint32(0, cut, true);
    data.set(manifest, 4);
    await this.write(['log', 'pages', 'meta'], (tx) => {
      const store = tx.objectStore('pages');
      return [
        ...[...pages].map(([id, page]) => store.put(stored(page), id)),
        ...drop.map((id) => store.delete(id)),
        tx.objectStore('meta').put(stored(data), MANIFEST),
        tx.objectStore('log').delete(IDBKeyRange.upperBound(cut, true)),
      ];
    });
  }

  async close(): Promise<void> {
    this.db.close();
  }

  /**
   * Runs one write transaction over `scope` (which includes the log, see above), once it has
   * checked that this connection still holds the claim `load` made; if another has taken over,
   * the transaction is aborted and this store is lost. A DOMException means the browser did not
   * store the write: it becomes a StorageUnavailableError carrying the native exception as its
   * `cause`.
   */
  private async write<S extends ('log' | 'pages' | 'meta')[]>(scope: S, start: (tx: IDBPTransaction<Schema, S, 'readwrite'>) => Promise<unknown>[]): Promise<void> {
    if (this.lost) throw this.lost;
    const tx = this.db.transaction(scope, 'readwrite', STRICT);
    const claimed = tx.objectStore('meta').get(WRITER).then((writer) => {
      if (writer === this.token) return Promise.all(start(tx));
      this.lose(`another connection has taken over writing IndexedDB database ${this.name} (this one's tab was frozen or stalled)`);
      tx.abort();
      throw this.lost;
    });
    try {
      // The requests' promises too, so that a failed request is not an unhandled rejection.
      await Promise.all([claimed, tx.done]);
    } catch (error) {
      if (this.lost) throw this.lost;
      if (!(error instanceof DOMException)) throw error;
      const reason =
        error.name === 'QuotaExceededError'
          ? `the storage quota for this site is used up: IndexedDB database ${this.name} cannot grow`
          : `IndexedDB did not store the write to ${this.name} (${error.name}: ${error.message})`;
      throw new StorageUnavailableError(`Tidepool: ${reason}`, { cause: error });
    }
  }

  private lose(reason: string): void {
    this.lost ??= new StorageUnavailableError(`Tidepool: ${reason}`);
  }

  private verify(record: Stored, what: string): Uint8Array {
    if (record?.data instanceof Uint8Array && crc32(record.data) === record.crc) return record.data;
    throw new StorageCorruptionError(`Tidepool: IndexedDB database ${this.name} is corrupt: ${what} fails its checksum`);
  }
}

/** A view is stored with its whole buffer (structured clone), so a partial view is copied first. */
function stored(bytes: Uint8Array): Stored {
  const data = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
  return { crc: crc32(data), data };
}
