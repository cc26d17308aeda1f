/**
 * What bench/host.js measures in the page: GetItem through openDatabase (a worker, batched), a
 * bare postMessage round trip and a bare Comlink round trip carrying the same key, and Dexie's get
 * of the same items on the page.
 */
import * as Comlink from 'comlink';
import { Dexie, type Table } from 'dexie';
import { openDatabase, type TidepoolDatabase } from 'tidepool/browser';
import { loadItem, loadKey, TABLE } from './data.js';
import type { Echo } from './echo-worker.js';

export type Target = 'tidepool' | 'postMessage' | 'comlink' | 'dexie';

let db: TidepoolDatabase;
let echo: Comlink.Remote<Echo>;
let dexie: Table;
/** The bare postMessage echo: a message per call, answered by id. */
let poster: Worker;
const posted = new Map<number, (value: unknown) => void>();
let nextPost = 0;
let keys: { pk: { S: string }; sk: { N: string } }[] = [];

/** Reads key `i` of the loaded items the way `target` reads; rejects if the item is not there. */
function read(target: Target, i: number): Promise<unknown> {
  const key = keys[i % keys.length];
  if (target === 'tidepool') return db.getItem({ TableName: TABLE.TableName, Key: key });
  if (target === 'comlink') return echo.echo(key);
  if (target === 'postMessage') {
    const id = nextPost++;
    poster.postMessage({ id, key });
    return new Promise((resolve) => posted.set(id, resolve));
  }
  return dexie.get([key.pk.S, key.sk.N]);
}

const sorted = (values: number[]) => values.slice().sort((a, b) => a - b);

export const bench = {
  /** Loads `count` items of `bytes` into both databases; keys are then read in a stride order that touches them all. */
  async setup(count: number, bytes: number): Promise<void> {
    db = await openDatabase('bench-host');
    await db.createTable(TABLE);
    const writes = [];
    for (let at = 0; at < count; at += 25) {
      const puts = Array.from({ length: Math.min(25, count - at) }, (_, i) => ({ PutRequest: { Item: loadItem(at + i, bytes) } }));
      writes.push(db.batchWriteItem({ RequestItems: { [TABLE.TableName]: puts } }));
    }
    await Promise.all(writes);
    const dexieDb = new Dexie('bench-host-dexie', { chromeTransactionDurability: 'strict' });
    dexieDb.version(1).stores({ items: '[pk.S+sk.N]' });
    await dexieDb.open();
    dexie = dexieDb.table('items');
    await dexie.bulkPut(Array.from({ length: count }, (_, i) => loadItem(i, bytes)));
    echo = Comlink.wrap<Echo>(new Worker(new URL('./echo-worker.ts', import.meta.url), { type: 'module' }));
    poster = new Worker(new URL('./post-worker.ts', import.meta.url), { type: 'module' });
    poster.onmessage = ({ data }: MessageEvent<{ id: number; key: unknown }>) => {
      posted.get(data.id)?.(data.key);
      posted.delete(data.id);
    };
    keys = Array.from({ length: count }, (_, i) => loadKey((i * 7919) % count) as (typeof keys)[number]);
  },

  /** One call at a time: p50 and p99 of `count` calls, in microseconds. */
  async latency(target: Target, count: number): Promise<{ p50: number; p99: number; isolated: boolean }> {
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const start = performance.now();
      await read(target, i);
      times.push((performance.now() - start) * 1000);
    }
    const all = sorted(times);
    // Without cross-origin isolation Chromium rounds performance.now() to 100 us, too coarse for these figures.
    return { p50: all[Math.floor(count * 0.5)], p99: all[Math.floor(count * 0.99)], isolated: crossOriginIsolated };
  },

  /** `inFlight` callers, each issuing its next call when the last is answered, until `count` calls: calls per second. */
  async throughput(target: Target, inFlight: number, count: number): Promise<number> {
    let next = 0;
    const caller = async () => {
      while (next < count) await read(target, next++);
    };
    const start = performance.now();
    await Promise.all(Array.from({ length: inFlight }, caller));
    return count / ((performance.now() - start) / 1000);
  },
};
