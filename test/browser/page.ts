/**
 * The page that the browser tests and bench/browser.js drive: each function on `window.tidepool`
 * does one step in the browser (open, write, read, damage the stored data) and returns plain data
 * for `page.evaluate` to carry back.
 */
import { openDB } from 'idb';
import { Tidepool, type Item, type Output } from '../../src/index.js';
import { IndexedDbStore } from '../../src/storage/indexeddb.js';
import { mulberry32, randomInt } from '../support/random.js';
import { loadItem, loadKey, TABLE } from './data.js';

declare global {
  interface Window {
    tidepool: typeof api;
    /** Set by the crash test (exposeFunction): hears of each acknowledged batch. */
    ack(keys: string[]): Promise<void>;
  }
}

type Request = [action: string, input: unknown];
/** An item of the test table, whose key attributes are known to be there. */
type Keyed = Item & { pk: { S: string }; sk: { N: string } };

const open = async (name: string, checkpointBytes?: number) => Tidepool.open({ store: await IndexedDbStore.open(name), checkpointBytes });

/** An error as data: what crosses back from the page and what the tests assert on. */
function plainError(error: unknown): { name: string; message: string; cause?: { name: string; message: string } } {
  const { name, message, cause } = error as Error & { cause?: Error };
  return cause ? { name, message, cause: { name: cause.name, message: cause.message } } : { name, message };
}

async function scanAll(db: Tidepool): Promise<Item[]> {
  const items: Item[] = [];
  let ExclusiveStartKey: Output | undefined;
  do {
    const page = await db.send('Scan', { TableName: TABLE.TableName, ExclusiveStartKey });
    items.push(...page.Items);
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

async function countAll(db: Tidepool): Promise<number> {
  let count = 0;
  let ExclusiveStartKey: Output | undefined;
  do {
    const page = await db.send('Scan', { TableName: TABLE.TableName, Select: 'COUNT', ExclusiveStartKey });
    count += page.Count;
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return count;
}

/** BatchWriteItem requests of 25 loadItems each, `first` to `first + count - 1`. */
function batches(first: number, count: number, bytes: number): Request[] {
  const requests: Request[] = [];
  for (let at = first; at < first + count; at += 25) {
    const puts = [];
    for (let i = at; i < Math.min(at + 25, first + count); i++) puts.push({ PutRequest: { Item: loadItem(i, bytes) } });
    requests.push(['BatchWriteItem', { RequestItems: { [TABLE.TableName]: puts } }]);
  }
  return requests;
}

/** Sends the requests from `writers` loops at once, each waiting for its last answer: group commit packs what is in flight. */
async function sendAll(db: Tidepool, requests: Request[], writers: number): Promise<void> {
  let next = 0;
  const loop = async () => {
    while (next < requests.length) {
      const [action, input] = requests[next++];
      const out = await db.send(action, input);
      if (Object.keys(out.UnprocessedItems ?? {}).length > 0) throw new Error('BatchWriteItem left items unprocessed');
    }
  };
  await Promise.all(Array.from({ length: writers }, loop));
}

const api = {
  /** Runs the requests one after another, then leaves the database open, as a tab that is closed would. */
  async run(name: string, requests: Request[], checkpointBytes?: number): Promise<void> {
    const db = await open(name, checkpointBytes);
    for (const [action, input] of requests) await db.send(action, input);
  },

  /** Every item of the table, in key order. */
  async scan(name: string): Promise<Keyed[]> {
    const db = await open(name);
    const items = (await scanAll(db)) as Keyed[];
    await db.close();
    return items.sort((a, b) => a.pk.S.localeCompare(b.pk.S) || Number(a.sk.N) - Number(b.sk.N));
  },

  /** What the IndexedDB database holds: whether there is a manifest, how many pages, and how many log frames it replays. */
  async records(name: string): Promise<{ manifest: boolean; pages: number; frames: number }> {
    const idb = await openDB(`tidepool:${name}`);
    const manifest = await idb.get('meta', 'manifest');
    const logFrom = manifest ? new DataView(manifest.data.buffer).getUint32(0, true) : 1;
    const result = { manifest: manifest !== undefined, pages: await idb.count('pages'), frames: await idb.count('log', IDBKeyRange.lowerBound(logFrom)) };
    idb.close();
    return result;
  },

  /** Flips one byte of the first log frame, the manifest or the first page, leaving its checksum as it was. */
  async corrupt(name: string, what: 'log' | 'manifest' | 'page'): Promise<void> {
    const idb = await openDB(`tidepool:${name}`);
    const tx = idb.transaction(({ log: 'log', manifest: 'meta', page: 'pages' } as const)[what], 'readwrite');
    const cursor = await tx.store.openCursor();
    if (!cursor) throw new Error(`no ${what} record to corrupt`);
    const data = cursor.value.data.slice();
    data[data.length >> 1] ^= 0x20;
    await Promise.all([cursor.update({ ...cursor.value, data }), tx.done]);
    idb.close();
  },

  /** How the first Scan fails after opening the database, or null if it does not. */
  async scanError(name: string): Promise<ReturnType<typeof plainError> | null> {
    const db = await open(name);
    try {
      await scanAll(db);
      return null;
    } catch (error) {
      return plainError(error);
    } finally {
      await db.close();
    }
  },

  /** How opening the database fails, or null if it opens. */
  async openError(name: string): Promise<ReturnType<typeof plainError> | null> {
    try {
      await (await open(name)).close();
      return null;
    } catch (error) {
      return plainError(error);
    }
  },

  /**
   * Writes BatchWriteItems of 1..25 items (keys `<round>:<n>`, each item naming its batch and the
   * batch's size) from four loops at once, for ever, calling window.ack with each batch's keys
   * once it is answered. The test kills the browser.
   */
  async stream(name: string, round: number, seed: number, checkpointBytes: number): Promise<never> {
    const db = await open(name, checkpointBytes);
    if (round === 0) await db.send('CreateTable', TABLE);
    const random = mulberry32(seed);
    let n = 0;
    let batch = 0;
    const loop = async (): Promise<never> => {
      for (;;) {
        const size = randomInt(random, 1, 25);
        const keys = Array.from({ length: size }, () => `${round}:${n++}`);
        const fields = { sk: { N: String(round) }, batch: { N: String(batch++) }, size: { N: String(size) } };
        const puts = keys.map((key) => ({ PutRequest: { Item: { pk: { S: key }, ...fields, data: { S: `value of ${key}` } } } }));
        await db.send('BatchWriteItem', { RequestItems: { [TABLE.TableName]: puts } });
        void window.ack(keys);
      }
    };
    return Promise.race(Array.from({ length: 4 }, loop));
  },

  /**
   * Creates the table and loads `count` loadItems of about `bytes` bytes with BatchWriteItem, then
   * closes the database (which writes a last checkpoint) or, with `leaveOpen`, leaves it as a
   * closed tab would: the last writes only in the log.
   */
  async load(name: string, count: number, bytes: number, writers: number, leaveOpen = false): Promise<void> {
    const db = await open(name);
    await db.send('CreateTable', TABLE);
    await sendAll(db, batches(0, count, bytes), writers);
    if (!leaveOpen) await db.close();
  },

  /**
   * The scopes of the write transactions Tidepool opens while `count` loadItems are written from
   * four loops with checkpoints every `checkpointBytes` and the database is closed: each scope's
   * store names, sorted, and how many checkpoints' transactions wrote pages.
   */
  async writeScopes(name: string, count: number, checkpointBytes: number): Promise<{ scopes: string[][]; withPages: number }> {
    const native = IDBDatabase.prototype.transaction;
    const seen = new Map<string, string[]>();
    let withPages = 0;
    IDBDatabase.prototype.transaction = function (this: IDBDatabase, names: string | string[], mode?: IDBTransactionMode, options?: IDBTransactionOptions) {
      if (mode === 'readwrite') {
        const scope = [names].flat().sort();
        seen.set(scope.join(), scope);
        if (scope.includes('pages')) withPages++;
      }
      return native.call(this, names, mode, options);
    };
    try {
      const db = await open(name, checkpointBytes);
      await db.send('CreateTable', TABLE);
      await sendAll(db, batches(0, count, 200), 4);
      await db.close();
    } finally {
      IDBDatabase.prototype.transaction = native;
    }
    return { scopes: [...seen.values()].sort(), withPages };
  },

  /**
   * Two connections to one database, as a frozen writer tab and the tab that took over from it:
   * `first` writes, `second` opens it; what first's store says of its claim before and after, and
   * second's; how `first`'s next writes and close fail, and which of the items (loadItem 1 to 4,
   * written by first, first, second, first) a third connection reads.
   */
  async takenOver(name: string): Promise<{ claims: boolean[]; write: unknown; again: unknown; close: unknown; items: string[] }> {
    const firstStore = await IndexedDbStore.open(name);
    const first = await Tidepool.open({ store: firstStore });
    await first.send('CreateTable', TABLE);
    await first.send('PutItem', { TableName: TABLE.TableName, Item: loadItem(1, 50) });
    const claims = [await firstStore.claimed()];
    const secondStore = await IndexedDbStore.open(name);
    const second = await Tidepool.open({ store: secondStore });
    claims.push(await firstStore.claimed(), await secondStore.claimed());
    const write = await first.send('PutItem', { TableName: TABLE.TableName, Item: loadItem(2, 50) }).then(() => null, plainError);
    await second.send('PutItem', { TableName: TABLE.TableName, Item: loadItem(3, 50) });
    const again = await first.send('PutItem', { TableName: TABLE.TableName, Item: loadItem(4, 50) }).then(() => null, plainError);
    const close = await first.close().then(() => null, plainError);
    await second.close();
    const third = await open(name);
    const items = (await scanAll(third)).map((item) => (item.pk as { S: string }).S).sort();
    await third.close();
    return { claims, write, again, close, items };
  },

  /** Opens the database, reads one item and counts them all. */
  async getAndCount(name: string, i: number): Promise<{ item: Item | undefined; count: number }> {
    const db = await open(name);
    const { Item } = await db.send('GetItem', { TableName: TABLE.TableName, Key: loadKey(i) });
    const count = await countAll(db);
    await db.close();
    return { item: Item, count };
  },

  /** Another connection deletes the IndexedDB database under an open Tidepool: the next write fails (it does not hang, nor block the delete). */
  async deleteUnderneath(name: string): Promise<{ deleted: boolean; failed: ReturnType<typeof plainError> | undefined }> {
    const db = await open(name);
    await db.send('CreateTable', TABLE);
    const request = indexedDB.deleteDatabase(`tidepool:${name}`);
    const deleted = await new Promise<boolean>((resolve, reject) => {
      request.onsuccess = () => resolve(true);
      request.onerror = () => reject(request.error);
    });
    const failed = await db.send('PutItem', { TableName: TABLE.TableName, Item: loadItem(1, 50) }).then(() => undefined, plainError);
    return { deleted, failed };
  },

  /** Writes a large item; returns how the write fails (the test has shrunk the origin's quota), or null. */
  async overQuota(name: string): Promise<ReturnType<typeof plainError> | null> {
    const db = await open(name);
    await db.send('CreateTable', TABLE);
    const error = await db.send('PutItem', { TableName: TABLE.TableName, Item: loadItem(1, 300_000) }).then(() => null, plainError);
    // The failed write was undone in memory: the item is not there.
    const { Item } = await db.send('GetItem', { TableName: TABLE.TableName, Key: loadKey(1) });
    if (Item) throw new Error('the failed write is still visible');
    return error;
  },

  // bench/browser.js: each returns the milliseconds of the timed part only.

  /** Loads `count` loadItems as BatchWriteItems from `writers` loops into a new database, timing the writes. */
  async benchTidepool(name: string, count: number, bytes: number, writers: number): Promise<number> {
    const db = await open(name);
    await db.send('CreateTable', TABLE);
    const requests = batches(0, count, bytes);
    const start = performance.now();
    await sendAll(db, requests, writers);
    const ms = performance.now() - start;
    await db.close();
    return ms;
  },

  /** The same items in one Dexie bulkPut, with the same durability as Tidepool's writes. */
  async benchDexie(name: string, count: number, bytes: number): Promise<number> {
    const { Dexie } = await import('dexie');
    const db = new Dexie(name, { chromeTransactionDurability: 'strict' });
    db.version(1).stores({ items: '[pk.S+sk.N]' });
    await db.open();
    const items = Array.from({ length: count }, (_, i) => loadItem(i, bytes));
    const start = performance.now();
    await db.table('items').bulkPut(items);
    const ms = performance.now() - start;
    db.close();
    return ms;
  },

  /** From the start of opening the database to the answer of its first GetItem (item `i`, which must be there). */
  async benchFirstGet(name: string, i: number): Promise<number> {
    const start = performance.now();
    const db = await open(name);
    const { Item } = await db.send('GetItem', { TableName: TABLE.TableName, Key: loadKey(i) });
    const ms = performance.now() - start;
    if (!Item) throw new Error(`item ${i} is missing`);
    await db.close();
    return ms;
  },
};

window.tidepool = api;
