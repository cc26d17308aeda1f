/**
 * The page's side of the browser host: a proxy to the worker that owns the database. It imports
 * no engine code, so the page's bundle stays small and its main thread never runs a query.
 */
import * as Comlink from 'comlink';
import type { ActionName } from '../actions/index.js';
import type { Output } from '../index.js';
import type { WireResponse } from './protocol.js';
import { createRequestHandler, toWireRequest, type TidepoolRequestHandler } from './request-handler.js';
import { callJson, decodeList, encodeList, fromPlainError, type BatchMessage, type PortAnswer, type PortMessage, type Call, type Reply, type WorkerApi, type WorkerStats } from './worker-protocol.js';

/** One method per action, named in camel case: `getItem(input)` is `send('GetItem', input)`. */
export type ActionMethods = { [A in ActionName as Uncapitalize<A>]: (input: object) => Promise<Output> };

/** A call's caller: resolved with the output (or the wire response), rejected with the error. */
interface Waiting {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * A Tidepool database running in a Web Worker, from `openDatabase`.
 *
 * Calls made in the same tick travel to the worker as one message and come back as one: a
 * `Promise.all` of 100 GetItems costs one round trip. The worker runs them in the order they were made.
 */
export interface TidepoolDatabase extends ActionMethods {
  /**
   * Runs a DynamoDB action, e.g. `send('PutItem', { TableName, Item })`, with DynamoDB JSON in and
   * out. Rejects with an Error whose `name` is DynamoDB's error type and `message` its text, and
   * which keeps the error's other fields (CancellationReasons, Item).
   */
  send(action: ActionName, input: object): Promise<Output>;
  /**
   * An AWS SDK v3 request handler answered by the worker's wire protocol: the same checks and
   * response bytes as `tidepool serve`, with no network.
   */
  requestHandler(): TidepoolRequestHandler;
  /**
   * Calls `onResult` with the result of a GetItem (an input with `Key`), a Query (an input with
   * `KeyConditionExpression` or `KeyConditions`) or a Scan (neither), and again whenever a write
   * changes it, until the returned function is called. If the read fails, at
   * first or after a later write (its table deleted), `onError` hears why and the watch ends.
   *
   * @example
   * const unwatch = await db.watch({ TableName: 'Music', Key: { Artist: { S: 'Nina Simone' } } }, ({ Item }) => render(Item));
   */
  watch(input: object, onResult: (output: Output) => void, onError?: (error: Error) => void): Promise<() => Promise<void>>;
  /** How many batches and calls this tab's worker has received, and whether it is the writer. */
  stats(): Promise<WorkerStats>;
  /** Waits for pending writes to be durable, then stops the worker. Later calls reject. */
  close(): Promise<void>;
}

const closedError = () => new Error('Tidepool database is closed');

class Client {
  private calls: Call[] = [];
  private waiting: Waiting[] = [];
  private transfers: Transferable[] = [];
  /** Callers of the batches sent and not yet fully answered, by batch id. */
  private readonly sent = new Map<number, Waiting[]>();
  private nextBatch = 1;
  /** Settles the close() in progress when the worker says it has closed. */
  private closing?: { resolve(): void; reject(error: unknown): void };
  private closed = false;

  constructor(
    private readonly worker: Worker,
    private readonly remote: Comlink.Remote<WorkerApi>,
    actions: readonly string[],
  ) {
    for (const action of actions) {
      const method = action[0].toLowerCase() + action.slice(1);
      (this as unknown as Record<string, unknown>)[method] = (input: object) => this.send(action as ActionName, input);
    }
    // Beside Comlink's own listener, which ignores these messages (they have no Comlink id).
    worker.addEventListener('message', (event: MessageEvent<PortAnswer | Record<string, unknown>>) => {
      const message = event.data;
      if (message !== null && typeof message === 'object' && ('batch' in message || 'closed' in message)) this.answer(message as PortAnswer);
    });
  }

  send(action: ActionName, input: object): Promise<Output> {
    return this.call({ kind: 'action', action, input }) as Promise<Output>;
  }

  requestHandler(): TidepoolRequestHandler {
    return createRequestHandler((request, sdkRequest) =>
      // The bytes of a string body are the handler's own: they can move to the worker instead of being copied.
      this.call({ kind: 'wire', request }, typeof sdkRequest.body === 'string' ? request.body.buffer : undefined) as Promise<WireResponse>,
    );
  }

  async watch(input: object, onResult: (output: Output) => void, onError?: (error: Error) => void): Promise<() => Promise<void>> {
    if (this.closed) throw closedError();
    const deliver = Comlink.proxy((reply: Reply) => {
      if (reply.ok) onResult((reply as { value: Output }).value);
      else onError?.(fromPlainError(reply.error));
    });
    const action = 'Key' in input ? 'GetItem' : 'KeyConditionExpression' in input || 'KeyConditions' in input ? 'Query' : 'Scan';
    const id = await this.remote.watch({ action, input }, deliver);
    // Once closed, the worker is gone and its watches with it.
    return async () => {
      if (!this.closed) await this.remote.unwatch(id);
    };
  }

  stats(): Promise<WorkerStats> {
    return this.remote.stats();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Calls made in this tick go first: the worker answers messages in the order they arrive.
    this.flush();
    this.closed = true;
    try {
      // After the batches, on their channel: the worker answers every batch before it closes.
      const closed = new Promise<void>((resolve, reject) => (this.closing = { resolve, reject }));
      this.worker.postMessage({ close: true } satisfies PortMessage);
      await closed;
    } finally {
      this.remote[Comlink.releaseProxy]();
      this.worker.terminate();
    }
  }

  private call(call: Call, transfer?: ArrayBufferLike): Promise<unknown> {
    if (this.closed) return Promise.reject(closedError());
    if (this.calls.length === 0) queueMicrotask(() => this.flush());
    this.calls.push(call);
    if (transfer) this.transfers.push(transfer as ArrayBuffer);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private flush(): void {
    if (this.calls.length === 0) return;
    const list: Array<Call | null> = this.calls;
    const waiting = this.waiting;
    const transfers = this.transfers;
    this.calls = [];
    this.waiting = [];
    this.transfers = [];
    const id = this.nextBatch++;
    this.sent.set(id, waiting);
    // A call that cannot be sent fails by itself and travels as null; the others go. Writing one
    // runs its input's getters, which may throw.
    const toJson = (call: Call, i: number) => {
      try {
        return callJson(call);
      } catch (error) {
        waiting[i].reject(error);
        list[i] = null;
        return 'null';
      }
    };
    const calls = encodeList(list, toJson);
    try {
      this.worker.postMessage({ batch: id, calls } satisfies BatchMessage, transfers);
    } catch {
      // A call that JSON could not carry holds something no structured clone takes either (a
      // function in a Map, say): find which, fail them, and send the rest.
      for (const [i, call] of calls.cloned) {
        try {
          if (call.kind === 'action') structuredClone(call);
        } catch (error) {
          waiting[i].reject(error);
          list[i] = null;
        }
      }
      try {
        this.worker.postMessage({ batch: id, calls: encodeList(list, toJson) } satisfies BatchMessage, transfers);
      } catch (error) {
        this.sent.delete(id);
        for (const w of waiting) w.reject(error);
      }
    }
  }

  private answer(message: PortAnswer): void {
    if ('closed' in message) {
      if (message.error) this.closing?.reject(fromPlainError(message.error));
      else this.closing?.resolve();
      return;
    }
    const { batch: id, done } = message;
    const waiting = this.sent.get(id);
    if (!waiting) return;
    const replies = decodeList(message.replies);
    const from = message.from ?? 0;
    for (let i = 0; i < replies.length; i++) {
      const reply = replies[i];
      if (reply === null) continue;
      if (reply.ok) waiting[from + i].resolve('value' in reply ? reply.value : reply.response);
      else waiting[from + i].reject(fromPlainError(reply.error));
    }
    if (done) this.sent.delete(id);
  }
}

export interface OpenDatabaseOptions {
  /**
   * How long, in milliseconds, this tab waits on the tab that writes for the database (the first
   * tab to open it, until it closes) without a word from it before taking over as the writer. A
   * frozen tab, or one whose worker hangs, keeps its hold on the database; once another tab has
   * taken over, the frozen one can never write again and, when it resumes, sends its calls to the
   * new writer. Default 3000.
   */
  stalledWriterMs?: number;
}

/**
 * Opens the database `name` (IndexedDB `tidepool:<name>`) in a new module Web Worker.
 *
 * @example
 * import { openDatabase } from 'tidepool/browser';
 * const db = await openDatabase('app');
 * await db.putItem({ TableName: 'Music', Item: { Artist: { S: 'Nina Simone' } } });
 * const client = new DynamoDBClient({ region: 'local', credentials, requestHandler: db.requestHandler() });
 */
export async function openDatabase(name: string, options: OpenDatabaseOptions = {}): Promise<TidepoolDatabase> {
  const stalledWriterMs = options.stalledWriterMs ?? 3000;
  if (typeof stalledWriterMs !== 'number' || !(stalledWriterMs > 0 && stalledWriterMs <= 2 ** 31 - 1)) {
    const given = typeof stalledWriterMs === 'number' ? String(stalledWriterMs) : JSON.stringify(stalledWriterMs);
    throw new RangeError(`Tidepool: stalledWriterMs must be a number of milliseconds above 0, not ${given}`);
  }
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: `tidepool:${name}` });
  const remote = Comlink.wrap<WorkerApi>(worker);
  // A worker whose script fails to load reports only an error event; Comlink would wait forever.
  let onError!: (event: ErrorEvent) => void;
  const failed = new Promise<never>((_, reject) => {
    onError = (event) => reject(new Error(`Tidepool worker failed to start: ${event.message ?? 'script error'}`));
  });
  worker.addEventListener('error', onError);
  try {
    const actions = await Promise.race([remote.open(name, { stalledWriterMs }), failed]);
    return new Client(worker, remote, actions) as unknown as TidepoolDatabase;
  } catch (error) {
    remote[Comlink.releaseProxy]();
    worker.terminate();
    throw error;
  } finally {
    worker.removeEventListener('error', onError);
  }
}
