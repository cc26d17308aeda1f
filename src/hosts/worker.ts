/**
 * The worker a page's `openDatabase` starts: it owns the engine and its IndexedDB store, so the
 * page's main thread never runs a query, and answers the page's batches (see worker-protocol.ts).
 */
import * as Comlink from 'comlink';
import { Tidepool } from '../index.js';
import { IndexedDbStore } from '../storage/indexeddb.js';
import { encodeResponse, type WireRequest, type WireResponse } from './protocol.js';
import { toPlainError, type Batch, type Deliver, type Reply, type WatchedRead, type WorkerApi, type WorkerStats } from './worker-protocol.js';

interface Watch extends WatchedRead {
  table: unknown;
  deliver: Comlink.Remote<Deliver>;
  /** The JSON of the result last delivered. */
  last?: string;
}

let db: Tidepool | undefined;
let wire: ((request: WireRequest) => WireResponse | Promise<WireResponse>) | undefined;
const stats: WorkerStats = { batches: 0, calls: 0 };
const watches = new Map<number, Watch>();
let nextWatch = 1;
/** Watches whose table a write has changed since they last ran. */
const stale = new Set<Watch>();

const failed = (error: unknown): Reply => ({ ok: false, error: toPlainError(error) });
const answered = (response: WireResponse): Reply => ({ ok: true, response: encodeResponse(response) });

function database(): Tidepool {
  if (!db) throw new Error('Tidepool database is closed');
  return db;
}

/**
 * Starts every call of the batch in order before awaiting any: execute() applies a write to the
 * engine synchronously and only its durability is awaited, so the order of the batch is the order
 * of the writes, and a whole batch of writes shares the store's group commit.
 */
function start(batch: Batch): Array<Reply | Promise<Reply>> {
  return batch.map((call): Reply | Promise<Reply> => {
    try {
      if (call.kind === 'wire') {
        const response = wire!(call.request);
        return response instanceof Promise ? response.then(answered) : answered(response);
      }
      const output = database().execute(call.action, call.input);
      return output instanceof Promise ? output.then((value): Reply => ({ ok: true, value }), failed) : { ok: true, value: output };
    } catch (error) {
      return failed(error);
    }
  });
}

function stop(id: number): void {
  const watch = watches.get(id);
  if (!watch) return;
  watches.delete(id);
  stale.delete(watch);
  watch.deliver[Comlink.releaseProxy]();
}

function refresh(id: number, watch: Watch): void {
  let reply: Reply;
  try {
    // A read answers synchronously: it waits for no log.
    const output = database().execute(watch.action, watch.input);
    const json = JSON.stringify(output);
    if (json === watch.last) return;
    watch.last = json;
    reply = { ok: true, value: output };
  } catch (error) {
    reply = failed(error);
  }
  void watch.deliver(reply);
  if (!reply.ok) stop(id);
}

/**
 * Runs after the write that made the records, never inside it: a listener is called mid-action,
 * before a batch or transaction has applied all its items. All records of one tick make one run.
 */
function refreshStale(): void {
  for (const [id, watch] of watches) if (stale.has(watch)) refresh(id, watch);
  stale.clear();
}

/** Marks the watches of `table` (of every table, without one) to run again. */
function changed(table?: string): void {
  const first = stale.size === 0;
  for (const watch of watches.values()) if (table === undefined || watch.table === table) stale.add(watch);
  if (first && stale.size > 0) queueMicrotask(refreshStale);
}

/** DeleteTable makes no change records, but ends every watch of its table with ResourceNotFoundException. */
const deletesTable = (call: Batch[number]) =>
  call.kind === 'action' ? call.action === 'DeleteTable' : (call.request.headers['x-amz-target'] ?? '').endsWith('.DeleteTable');

const api: WorkerApi = {
  async open(name) {
    if (db) throw new Error('Tidepool worker: a database is already open');
    db = await Tidepool.open({ store: await IndexedDbStore.open(name) });
    wire = db.protocol();
    db.onChange((record) => changed(record.table));
    return Tidepool.actions;
  },

  async run(batch) {
    stats.batches++;
    stats.calls += batch.length;
    const started = start(batch);
    if (watches.size > 0 && batch.some(deletesTable)) changed();
    const replies = await Promise.all(started);
    const bodies: ArrayBuffer[] = [];
    for (const reply of replies) if ('response' in reply) bodies.push(reply.response.body.buffer as ArrayBuffer);
    return Comlink.transfer(replies, bodies);
  },

  watch(read, deliver) {
    const id = nextWatch++;
    const table = (read.input as { TableName?: unknown } | null)?.TableName;
    const watch: Watch = { action: read.action, input: read.input, table, deliver: deliver as Comlink.Remote<Deliver> };
    watches.set(id, watch);
    refresh(id, watch);
    return id;
  },

  unwatch: stop,

  stats: () => ({ ...stats }),

  async close() {
    const closing = db;
    db = undefined;
    for (const id of [...watches.keys()]) stop(id);
    await closing?.close();
  },
};

Comlink.expose(api);
