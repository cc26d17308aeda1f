/**
 * The worker a page's `openDatabase` starts: it owns the engine and its IndexedDB store, so the
 * page's main thread never runs a query, and answers the page's batches (see worker-protocol.ts).
 */
import * as Comlink from 'comlink';
import { Tidepool } from '../index.js';
import { IndexedDbStore } from '../storage/indexeddb.js';
import { encodeResponse, type WireRequest, type WireResponse } from './protocol.js';
import { toPlainError, type Batch, type Reply, type WorkerApi, type WorkerStats } from './worker-protocol.js';

let db: Tidepool | undefined;
let wire: ((request: WireRequest) => WireResponse | Promise<WireResponse>) | undefined;
const stats: WorkerStats = { batches: 0, calls: 0 };

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

const api: WorkerApi = {
  async open(name) {
    if (db) throw new Error('Tidepool worker: a database is already open');
    db = await Tidepool.open({ store: await IndexedDbStore.open(name) });
    wire = db.protocol();
    return Tidepool.actions;
  },

  async run(batch) {
    stats.batches++;
    stats.calls += batch.length;
    const replies = await Promise.all(start(batch));
    const bodies: ArrayBuffer[] = [];
    for (const reply of replies) if ('response' in reply) bodies.push(reply.response.body.buffer as ArrayBuffer);
    return Comlink.transfer(replies, bodies);
  },

  stats: () => ({ ...stats }),

  async close() {
    const closing = db;
    db = undefined;
    await closing?.close();
  },
};

Comlink.expose(api);
