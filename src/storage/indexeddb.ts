/**
 * The browser store: one IndexedDB database per Tidepool database, named `tidepool:<name>` so that
 * it never collides with the app's own databases.
 *
 *   log         auto-increment key -> { crc, data }   the frames since the checkpoint, in append order
 *   checkpoint  'checkpoint'       -> { crc, data }
 *
 *   crc = CRC32 of data
 *
 * An IndexedDB transaction commits whole or not at all, so unlike a log file there is no torn
 * frame to drop: any record that fails its checksum is corruption. Every write transaction asks
 * for `durability: 'strict'`: Chromium's default, 'relaxed', reports `complete` before the data
 * is flushed, and a write acknowledged then could be lost with the machine.
 */
import CRC32 from 'crc-32';

// crc-32 (slicing by 16) is about 6x faster than @aws-crypto/crc32 on large frames; the value is the same.
const crc32 = (bytes: Uint8Array): number => CRC32.buf(bytes) >>> 0;
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { StorageCorruptionError, type Store } from './store.js';

interface Stored {
  crc: number;
  data: Uint8Array;
}

interface Schema extends DBSchema {
  log: { key: number; value: Stored };
  checkpoint: { key: string; value: Stored };
}

const VERSION = 1;
const CHECKPOINT = 'checkpoint';
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

  private constructor(private readonly name: string) {}

  /** Opens (creating if needed) the IndexedDB database `tidepool:<name>`. */
  static async open(name: string): Promise<IndexedDbStore> {
    const store = new IndexedDbStore(`tidepool:${name}`);
    store.db = await openDB<Schema>(store.name, VERSION, {
      upgrade(db) {
        db.createObjectStore('log', { autoIncrement: true });
        db.createObjectStore('checkpoint');
      },
      // Closing lets the other connection go ahead instead of being blocked by this one forever.
      blocking: () => {
        store.db.close();
        store.lose(`another connection is deleting or upgrading IndexedDB database ${store.name}`);
      },
      terminated: () => store.lose(`the browser closed IndexedDB database ${store.name} (site data cleared, or a storage error)`),
    });
    return store;
  }

  async load(): Promise<{ checkpoint?: Uint8Array; log: Uint8Array[] }> {
    if (this.lost) throw this.lost;
    const tx = this.db.transaction(['log', 'checkpoint'], 'readonly');
    const [checkpoint, log] = await Promise.all([tx.objectStore('checkpoint').get(CHECKPOINT), tx.objectStore('log').getAll(), tx.done]);
    return {
      checkpoint: checkpoint && this.verify(checkpoint, 'the checkpoint'),
      log: log.map((frame, i) => this.verify(frame, `log frame ${i}`)),
    };
  }

  async append(frame: Uint8Array): Promise<void> {
    await this.write(() => {
      const tx = this.db.transaction('log', 'readwrite', STRICT);
      return [tx.store.add(stored(frame)), tx.done];
    });
  }

  /** The new checkpoint and the emptied log commit in one transaction. */
  async checkpoint(snapshot: Uint8Array): Promise<void> {
    await this.write(() => {
      const tx = this.db.transaction(['log', 'checkpoint'], 'readwrite', STRICT);
      return [tx.objectStore('checkpoint').put(stored(snapshot), CHECKPOINT), tx.objectStore('log').clear(), tx.done];
    });
  }

  async close(): Promise<void> {
    this.db.close();
  }

  /**
   * Runs one write transaction. A DOMException from it means the browser did not store the
   * write: it becomes a StorageUnavailableError carrying the native exception as its `cause`.
   */
  private async write(start: () => Promise<unknown>[]): Promise<void> {
    if (this.lost) throw this.lost;
    try {
      // The requests' promises too, so that a failed request is not an unhandled rejection.
      await Promise.all(start());
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
