/**
 * The worker a page's `openDatabase` starts. Of all the workers of one database (one per tab),
 * the one that holds the database's Web Lock is the writer: it owns the engine and its IndexedDB
 * store and runs every tab's batches; the others send theirs over a BroadcastChannel. When the
 * writer's tab closes its lock is released, and a waiting worker takes over from what is durable.
 * When the writer's tab is frozen (or its worker hangs) it keeps the lock: a tab that waits on it
 * for stalledWriterMs without a word takes the lock from it, and the store's claim (see
 * IndexedDbStore.load) keeps the frozen writer from ever writing again; it resumes as a follower.
 * The page never runs a query on its main thread (see worker-protocol.ts for the messages).
 */
import * as Comlink from 'comlink';
import { DynamoError, Tidepool } from '../index.js';
import { Query } from '../actions/Query.js';
import { checkShape } from '../actions/shape.js';
import type { Item } from '../model/types.js';
import { outputJson, toPlainJson, withItems } from '../model/wire.js';
import { IndexedDbStore } from '../storage/indexeddb.js';
import { failureResponse, type WireRequest, type WireResponse } from './protocol.js';
import { decodeList, encodeList, toPlainError, type Batch, type BatchMessage, type PortAnswer, type PortMessage, type Deliver, type Reply, type TabMessage, type TabOptions, TAB_PROTOCOL, type WatchedRead, type WorkerApi, type WorkerStats } from './worker-protocol.js';

interface Watch extends WatchedRead {
  table: unknown;
  /** Key attributes its result is confined to, by value: the Key of a GetItem, the equalities of a Query's key condition. */
  equal?: Record<string, unknown>;
  deliver: Comlink.Remote<Deliver>;
  /** The JSON of the result last delivered. */
  last?: string;
}

/** A batch sent to the writer and not answered yet. */
interface Forwarded {
  batch: Batch;
  received: boolean;
  /** The answers heard so far, by call. */
  replies: Array<Reply | null>;
  /** Hears the answers that come before the others (see the `replies` message). */
  early?: (replies: Array<Reply | null>) => void;
  resolve(replies: Reply[]): void;
}

/** This worker, in the tabs' messages. */
const workerId = crypto.randomUUID();
let db: Tidepool | undefined;
let wire: ((request: WireRequest) => WireResponse | Promise<WireResponse>) | undefined;
let channel: BroadcastChannel | undefined;
/** Resolves once this worker is the writer and its database is open. */
let writing: Promise<void> | undefined;
/** Ends this worker's hold on the lock, once it is the writer. */
let release: (() => void) | undefined;
/** The database, and the Web Lock whose holder is its writer. */
let databaseName = '';
const lock = () => `tidepool:${databaseName}`;
/** The lock request this worker holds (or last held) as the writer. */
let leading: Hold | undefined;
/** Whether this worker has told the other tabs that it is the writer (and not been taken over since). */
let announced = false;
/** Settles when this worker has left the lock's line, as the writer or not. */
let led: Promise<unknown> = Promise.resolve();
/** Aborts this worker's wait in line for the lock: to take it from a stalled writer, or to close. */
let waiting: AbortController | undefined;
let closed = false;
const forwarded = new Map<number, Forwarded>();
let nextForward = 1;
let options: TabOptions = { stalledWriterMs: 3000 };
/** When the writer was last heard from (any answer, pong or news of changes). */
let lastHeard = 0;
/** Whether the writer last heard from runs an earlier version of Tidepool (see TabMessage): it is never taken over. */
let olderWriter = false;
/** This writer's store, to check that it still holds its claim (see inTurn). */
let writerStore: IndexedDbStore | undefined;
/** When this worker last took a message from its page or a batch from another tab (see inTurn). */
let lastActive = 0;
/** While a writer checks its claim, the messages that came meanwhile wait here, in order. */
let checking: Promise<void> | undefined;
/** The next check that the writer is there, while this tab has batches with it. */
let watchdog: ReturnType<typeof setTimeout> | undefined;
const stats = { batches: 0, calls: 0, answers: 0, watchRuns: 0 };
const watches = new Map<number, Watch>();
let nextWatch = 1;
/** Watches whose table a write has changed since they last ran. */
const stale = new Set<Watch>();
/** The keys of the items changed in this tick, by table (undefined: too many to list), for the watches of every tab. */
const changedKeys = new Map<string, Item[] | undefined>();
/** Past this many changed items in a table in one tick, its watches all run again. */
const MAX_CHANGED_KEYS = 256;
/** Batches of this tab with answers still to send; close waits for them. */
const answering = new Set<Promise<void>>();

/** Keeps `sending` among the answers close waits for, until it is done. */
function track(sending: Promise<void>): void {
  answering.add(sending);
  void sending.then(() => answering.delete(sending));
}

const failed = (error: unknown): Reply => ({ ok: false, error: toPlainError(error) });
const answered = (response: WireResponse): Reply => ({ ok: true, response });

/** Why a takeover failed a request: the cause of its InternalServerError. */
class WriterGone extends Error {
  override readonly name = 'WriterGone';
}

/**
 * DynamoDB's answer when it cannot say whether a write was applied, or cannot run a request at
 * all: InternalServerError, which the AWS SDK retries; to the SDK's request handler, as the HTTP
 * 500 the service sends.
 */
function internalError(call: Batch[number], cause: unknown): Reply {
  const error = new DynamoError('InternalServerError', 'Internal server error', { cause });
  if (call === null || call.kind === 'action') return failed(error);
  return answered(failureResponse(error));
}

const writerGone = (call: Batch[number]) => internalError(call, new WriterGone('the tab that ran this request closed before it answered'));

/**
 * Why this worker, next in line, could not open the database as the writer (its store failed to
 * open or to load): every call it has or gets from then on fails with it, rather than wait for a
 * writer that will not come.
 */
let broken: { error: unknown } | undefined;
const brokenReplies = (batch: Batch) => batch.map((call) => internalError(call, broken!.error));

function database(): Tidepool {
  if (!db) throw new Error('Tidepool database is closed');
  return db;
}

const post = (message: TabMessage) => channel!.postMessage({ ...message, v: TAB_PROTOCOL });

/**
 * Starts every call of the batch in order before awaiting any: execute() applies a write to the
 * engine synchronously (or, while storage loads what it touches, after the calls before it and
 * before those after it) and only its durability is awaited, so the order of the batch is the
 * order of the writes, and a whole batch of writes shares the store's group commit. With
 * `forPort`, outputs are for the page, written as JSON (their stored items may be WireItems).
 */
function start(batch: Batch, forPort: boolean): Array<Reply | Promise<Reply>> {
  return batch.map((call): Reply | Promise<Reply> => {
    // The page failed this call itself: its caller has the error already.
    if (call === null) return failed(new Error('Tidepool: the call could not be sent to the worker'));
    try {
      if (call.kind === 'wire') {
        const response = wire!(call.request);
        return response instanceof Promise ? response.then(answered) : answered(response);
      }
      const output = database().execute(call.action, call.input, forPort);
      return output instanceof Promise ? output.then((value): Reply => ({ ok: true, value }), failed) : { ok: true, value: output };
    } catch (error) {
      return failed(error);
    }
  });
}

/** DeleteTable makes no change records, but ends every watch of its table with ResourceNotFoundException. */
const deletesTable = (call: Batch[number]) =>
  call !== null && (call.kind === 'action' ? call.action === 'DeleteTable' : (call.request.headers['x-amz-target'] ?? '').endsWith('.DeleteTable'));

/** Runs a batch in the writer's engine, from this tab or another: each call's Reply, or a promise of it. */
function runHere(batch: Batch, forPort = false): Array<Reply | Promise<Reply>> {
  const started = start(batch, forPort);
  if (batch.some(deletesTable)) {
    changed();
    post({ type: 'changed' });
  }
  return started;
}

const closedReplies = (batch: Batch) => batch.map(() => failed(new Error('Tidepool database is closed')));

/**
 * Runs a batch: here when this worker is the writer, else in the writer's tab, where `early`
 * hears the answers that are ready before the others.
 */
function execute(batch: Batch, early?: Forwarded['early']): Promise<Reply[]> {
  if (closed) return Promise.resolve(closedReplies(batch));
  if (broken) return Promise.resolve(brokenReplies(batch));
  if (db) return Promise.all(runHere(batch));
  const id = nextForward++;
  return new Promise((resolve) => {
    if (forwarded.size === 0) lastHeard = performance.now();
    forwarded.set(id, { batch, received: false, replies: batch.map(() => null), early, resolve });
    post({ type: 'run', from: workerId, id, batch });
    watchdog ??= setTimeout(checkWriter, options.stalledWriterMs / 4);
  });
}

/**
 * While this tab has batches with the writer: after half of stalledWriterMs without a word from
 * the writer, asks whether it is there (a live writer answers at once, even while a long write
 * waits for the disk); after stalledWriterMs, takes the lock from it. A frozen tab keeps its
 * lock, and the batches sent to it would otherwise wait for ever.
 */
function checkWriter(): void {
  watchdog = undefined;
  if (closed || writing || broken || olderWriter || forwarded.size === 0) return;
  const silent = performance.now() - lastHeard;
  if (silent >= options.stalledWriterMs) takeOver();
  else if (silent >= options.stalledWriterMs / 2) post({ type: 'ping' });
  watchdog = setTimeout(checkWriter, options.stalledWriterMs / 4);
}

let takingOver = false;

/**
 * Takes the lock from a writer that does not answer: this worker leaves the line and steals it.
 * One tab at a time (a second lock decides which): two tabs stealing in turn would each fence the
 * other out. The others hear the new writer's `writer` and send it their batches.
 */
function takeOver(): void {
  if (takingOver) return;
  takingOver = true;
  void navigator.locks
    .request(`${lock()}:takeover`, { ifAvailable: true }, async (held) => {
      if (held && !closed && !writing) {
        waiting?.abort();
        await new Promise<unknown>((opened) => request({ steal: true }, opened));
      }
    })
    .catch(() => undefined)
    .finally(() => {
      takingOver = false;
      lastHeard = performance.now();
    });
}

function stop(id: number): void {
  const watch = watches.get(id);
  if (!watch) return;
  watches.delete(id);
  stale.delete(watch);
  watch.deliver[Comlink.releaseProxy]();
}

function deliver(id: number, watch: Watch, reply: Reply): void {
  if (reply.ok) {
    const json = JSON.stringify((reply as { value: unknown }).value);
    if (json === watch.last) return;
    watch.last = json;
  }
  void watch.deliver(reply);
  if (!reply.ok) stop(id);
}

/**
 * Runs after the write that made the records, never inside it: a listener is called mid-action,
 * before a batch or transaction has applied all its items. All records of one tick make one run,
 * and all stale watches go to the writer as one batch.
 */
async function refreshStale(): Promise<void> {
  const due = [...watches].filter(([, watch]) => stale.has(watch));
  stale.clear();
  stats.watchRuns += due.length;
  const replies = await execute(due.map(([, watch]) => ({ kind: 'action', action: watch.action, input: watch.input })));
  due.forEach(([id, watch], i) => watches.has(id) && deliver(id, watch, replies[i]));
}

/**
 * Marks the watches of `table` (of every table, without one) to run again: of those confined to
 * some key values (see Watch.equal), only those that an item of `keys` may fall in (every one,
 * without keys).
 */
function changed(table?: string, keys?: Item[]): void {
  const first = stale.size === 0;
  for (const watch of watches.values()) {
    if (table !== undefined && watch.table !== table) continue;
    const { equal } = watch;
    if (keys && equal && !keys.some((key) => mayFallIn(equal, key))) continue;
    stale.add(watch);
  }
  if (first && stale.size > 0) queueMicrotask(refreshStale);
}

/**
 * The key values a watched read's result is confined to: a GetItem's Key, or the equalities of a
 * Query's key condition on the table (on an index, the changed items' keys say nothing). Undefined
 * for a Scan, or for an input the read itself refuses.
 */
function confinedTo(read: WatchedRead): Record<string, unknown> | undefined {
  const input = read.input as { Key?: unknown; IndexName?: unknown } | null;
  if (input === null || typeof input !== 'object') return undefined;
  if (read.action === 'GetItem') return input.Key !== null && typeof input.Key === 'object' ? (input.Key as Record<string, unknown>) : undefined;
  if (read.action !== 'Query' || input.IndexName !== undefined) return undefined;
  try {
    // The Query's own checks, on a copy: they may rewrite what they check.
    const request = structuredClone(input) as Record<string, unknown>;
    if (checkShape(request, Query.members)) return undefined;
    const checked = Query.check!(request as never);
    if (!checked || typeof checked === 'string') return undefined;
    const equal: Record<string, unknown> = {};
    for (const [name, { ComparisonOperator, AttributeValueList }] of Object.entries(checked.keyConditions)) {
      if (ComparisonOperator === 'EQ' && AttributeValueList?.length === 1) equal[name] = AttributeValueList[0];
    }
    return equal;
  } catch {
    return undefined;
  }
}

/**
 * Whether the item whose key is `key` may fall in a read confined to `equal`: false only when a
 * key attribute's string or number differs for certain (numbers as JavaScript reads them: equal
 * decimals read equal). Anything else (binary keys, values of another type) may.
 */
function mayFallIn(equal: Record<string, unknown>, key: Item): boolean {
  for (const name in key) {
    const value = key[name] as { S?: string; N?: string };
    const asked = equal[name] as { S?: unknown; N?: unknown } | null | undefined;
    if (value.S !== undefined && typeof asked?.S === 'string' && asked.S !== value.S) return false;
    if (value.N !== undefined && typeof asked?.N === 'string' && Number(asked.N) !== Number(value.N)) return false;
  }
  return true;
}

/** The writer tells its watches and the other tabs which items a tick's writes changed, once they are durable. */
function changedHere(table: string, key: Item): void {
  if (changedKeys.size === 0) {
    queueMicrotask(() => {
      const tables = [...changedKeys];
      changedKeys.clear();
      // Watches hear of writes once they are durable: a write that fails to be is undone, and no watch saw it.
      const settled = db ? db.flushed().catch(() => undefined) : Promise.resolve();
      void settled.then(() => {
        for (const [changedTable, keys] of tables) {
          changed(changedTable, keys);
          if (!closed) post({ type: 'changed', table: changedTable, keys });
        }
      });
    });
  }
  if (!changedKeys.has(table)) changedKeys.set(table, []);
  const keys = changedKeys.get(table);
  if (keys && keys.length < MAX_CHANGED_KEYS) keys.push(key);
  else changedKeys.set(table, undefined);
}

/**
 * Runs a batch another tab sent to the writer. Only once this worker has announced itself as the
 * writer: a batch sent before then goes again to it on its `writer`. So a batch never runs in two
 * writers, the one taking over and a frozen one that has just resumed and does not know yet.
 */
function run(message: Extract<TabMessage, { type: 'run' }>): void {
  if (!announced || closed || !db) return;
  const { from: to, id } = message;
  post({ type: 'received', to, id });
  const started = runHere(message.batch);
  const now = started.map((r) => (r instanceof Promise ? null : r));
  // A tab of an earlier version takes the first `replies` as all of them.
  if (message.v === undefined || now.every((r) => r !== null)) {
    void Promise.all(started).then((replies) => post({ type: 'replies', to, id, replies, done: true }));
    return;
  }
  if (now.some((r) => r !== null)) post({ type: 'replies', to, id, replies: now, done: false });
  void Promise.all(started).then((replies) => post({ type: 'replies', to, id, replies: replies.map((r, i) => (now[i] === null ? r : null)), done: true }));
}

function hear(message: TabMessage): void {
  // Only the writer sends these.
  if (message.type === 'received' || message.type === 'replies' || message.type === 'pong' || message.type === 'writer' || message.type === 'changed') {
    lastHeard = performance.now();
    olderWriter = message.v === undefined;
  }
  switch (message.type) {
    case 'ping':
      if (writing && !closed) post({ type: 'pong' });
      return;
    case 'pong':
      return;
    case 'run':
      return inTurn(() => run(message));
    case 'received':
      if (message.to === workerId) {
        const waiting = forwarded.get(message.id);
        if (waiting) waiting.received = true;
      }
      return;
    case 'replies': {
      const waiting = message.to === workerId ? forwarded.get(message.id) : undefined;
      if (!waiting) return;
      message.replies.forEach((r, i) => r !== null && (waiting.replies[i] = r));
      if (message.done === false) return waiting.early?.(message.replies);
      forwarded.delete(message.id);
      waiting.resolve(waiting.replies as Reply[]);
      return;
    }
    case 'writer':
      // Another worker has taken the lock from this one (frozen, it has just resumed): it stops
      // answering as the writer at once, before the batches sent to the new writer reach it too.
      if (announced && message.from !== workerId) stepDown();
      resend();
      return;
    case 'changed':
      changed(message.table, message.keys);
      return;
  }
}

/**
 * A new writer: batches the old one never received go again (to this worker's own engine if it is
 * the new writer); those it received may have been applied, so they fail as DynamoDB fails a
 * request whose outcome it cannot tell.
 */
function resend(): void {
  const pending = [...forwarded.values()];
  forwarded.clear();
  clearTimeout(watchdog);
  watchdog = undefined;
  for (const waiting of pending) {
    if (waiting.received) waiting.resolve(waiting.batch.map((call, i) => waiting.replies[i] ?? writerGone(call)));
    else void execute(waiting.batch, waiting.early).then(waiting.resolve);
  }
}

/**
 * Takes the writer's lock, at once if it is free, else in the background behind the current
 * writer; `opened` is called once this worker can answer (as the writer, or forwarding to one).
 */
function elect(name: string, opened: (error?: unknown) => void): void {
  databaseName = name;
  request({ ifAvailable: true }, opened);
}

/**
 * Asks for the lock: if it is free (`ifAvailable`: else this worker answers at once, forwarding,
 * and waits in line), from a stalled writer (`steal`), or in line behind the writer. Should the
 * lock be taken from this worker as the writer, it is demoted and waits in line again.
 */
function request(how: { ifAvailable?: true; steal?: true }, opened: (error?: unknown) => void = () => undefined): void {
  const hold: Hold = { held: false, taken: false };
  const line = new AbortController();
  if (!how.ifAvailable && !how.steal) waiting = line;
  led = navigator.locks
    .request(lock(), how.ifAvailable || how.steal ? how : { signal: line.signal }, async (lockHeld) => {
      if (!lockHeld) {
        opened();
        return request({});
      }
      hold.held = true;
      return lead(hold, opened);
    })
    .catch((error: unknown) => {
      // Closing or stealing aborts the wait in line; a lock taken from this writer rejects too.
      if (closed || line.signal.aborted) return;
      if (hold.held) {
        if (hold.taken) return;
        hold.taken = true;
        return demote();
      }
      // Anything else means no lock and no writer.
      opened(error);
    });
}

/** One request for the lock: `held` once granted, `taken` once another tab has taken it from this one. */
interface Hold {
  held: boolean;
  taken: boolean;
}

/** Holds the lock as the writer, from opening the database from what is durable until released. */
async function lead(hold: Hold, opened: (error?: unknown) => void): Promise<void> {
  leading = hold;
  let engine: Tidepool | undefined;
  writing = (async () => {
    const store = await IndexedDbStore.open(databaseName);
    engine = await Tidepool.open({ store });
    if (hold.taken) return;
    db = engine;
    writerStore = store;
    wire = engine.protocol();
    engine.onChange((record) => changedHere(record.table, record.keys));
  })();
  try {
    await writing;
  } catch (error) {
    if (hold.taken) return opened();
    // Opening as the first writer, openDatabase rejects with the error; taking over, the calls do.
    db = undefined;
    broken = { error };
    opened(error);
    for (const waiting of forwarded.values()) waiting.resolve(brokenReplies(waiting.batch));
    forwarded.clear();
    return;
  }
  // Taken from this worker while it opened: it is a follower again (see demote).
  if (hold.taken) {
    opened();
    await engine?.close().catch(() => undefined);
    return;
  }
  post({ type: 'writer', from: workerId });
  announced = true;
  resend();
  opened();
  await new Promise<void>((resolve) => (release = resolve));
  announced = false;
  // The lock goes only once what this writer acknowledged is durable, so the next one reads all of
  // it. A demoted writer's last writes fail here instead: its store's claim is gone.
  if (db === engine) {
    db = undefined;
    writerStore = undefined;
    await engine?.close();
  } else await engine?.close().catch(() => undefined);
}

/**
 * Another tab took the lock from this writer, which was frozen or stalled: it stops answering as
 * the writer (its writes since then fail, see lead) and waits in line as a follower.
 */
function demote(): void {
  db = undefined;
  writerStore = undefined;
  writing = undefined;
  announced = false;
  release?.();
  release = undefined;
  request({});
}

/**
 * Takes a message from the page, or a batch from another tab, in its turn. A writer that has had
 * none for over half of stalledWriterMs may have been frozen, and taken over meanwhile without
 * having heard yet: the messages queued while it was frozen come in no set order. So it first
 * checks that its store still holds the claim, and steps down if not; the message then goes to the
 * new writer, instead of reading this worker's stale engine or failing on the store's fence.
 * Messages that come during the check wait for it, in order.
 */
function inTurn(take: () => void): void {
  const now = performance.now();
  const silent = now - lastActive > options.stalledWriterMs / 2;
  lastActive = now;
  if (!checking && silent && writerStore) {
    const store = writerStore;
    checking = store.claimed().then(
      (held) => {
        if (!held && writerStore === store) stepDown();
      },
      () => undefined,
    );
  }
  if (!checking) return take();
  const next = checking.then(take).catch(reportError);
  checking = next;
  void next.finally(() => {
    if (checking === next) checking = undefined;
  });
}

/** Demotes this writer on hearing of a new one, before its lock's request rejects (which then does nothing more). */
function stepDown(): void {
  if (!leading || leading.taken) return;
  leading.taken = true;
  demote();
}

/** A reply as JSON, unless it is a wire response (its body moves as bytes) or JSON would change it. */
function replyJson(reply: Reply): string | undefined {
  if ('response' in reply) return undefined;
  if (!reply.ok) return toPlainJson(reply);
  // The envelope is written here, not walked: an output (its WireItems above all) is the cost.
  const value = outputJson(reply.value);
  return value === undefined ? undefined : `{"ok":true,"value":${value}}`;
}

/**
 * Sends answers to the page, for the calls of batch `id` from call `from` on, moving the bytes of
 * wire responses rather than copying them.
 */
function reply(id: number, list: Array<Reply | null>, done: boolean, from = 0): void {
  const replies = encodeList(list, replyJson, (r) => withItems(r) as Reply);
  const bodies: ArrayBuffer[] = [];
  for (const [, r] of replies.cloned) if ('response' in r) bodies.push(r.response.body.buffer as ArrayBuffer);
  const answer: PortAnswer = from === 0 ? { batch: id, replies, done } : { batch: id, replies, from, done };
  postMessage(answer, { transfer: bodies });
  stats.answers++;
}

/**
 * How many calls of a batch run before their answers go to the page, as the writer. The page then
 * reads those answers (and its callers make their next calls) while this worker runs the next
 * slice: with one message per batch the two threads took turns. 256 GetItems in flight in
 * Chromium went from ~90k to ~165k per second with slices of 64; 32 and 128 were slower.
 */
const SLICE = 64;

/**
 * Answers a batch from this tab's page. As the writer, what is ready at once (reads, failures)
 * goes back at once, SLICE calls at a time, and the calls that wait for the log follow in one more
 * message, so that a read never waits for another call's durability; forwarding, the writer's
 * replies go back as they come.
 */
function answerBatch({ batch: id, calls }: BatchMessage): void {
  const batch = decodeList(calls) as Batch;
  stats.batches++;
  stats.calls += batch.length;
  if (closed || !db) {
    // Forwarded: what the writer answers early goes to the page at once, and not again at the end.
    const sentEarly = new Set<number>();
    const early = (replies: Array<Reply | null>) => {
      replies.forEach((r, i) => r !== null && sentEarly.add(i));
      reply(id, replies, false);
    };
    const sent = execute(batch, early).then((replies) => reply(id, sentEarly.size === 0 ? replies : replies.map((r, i) => (sentEarly.has(i) ? null : r)), true));
    track(sent);
    return;
  }
  if (batch.length === 0) return reply(id, [], true);
  const started: Array<Reply | Promise<Reply>> = [];
  const late: number[] = [];
  for (let from = 0; from < batch.length; from += SLICE) {
    const slice = runHere(from === 0 && batch.length <= SLICE ? batch : batch.slice(from, from + SLICE), true);
    const now = slice.map((r, i) => (r instanceof Promise ? (late.push(from + i), null) : r));
    started.push(...slice);
    const done = late.length === 0 && from + SLICE >= batch.length;
    // Calls that all wait for the log have nothing to say yet.
    if (done || now.some((r) => r !== null)) reply(id, now, done, from);
  }
  if (late.length === 0) return;
  const sent = Promise.all(late.map((i) => started[i])).then((replies) => {
    const rest: Array<Reply | null> = batch.map(() => null);
    late.forEach((i, k) => (rest[i] = replies[k]));
    reply(id, rest, true);
  });
  track(sent);
}

/** Closes the database once its pending writes are durable and every batch of the page is answered. */
async function close(): Promise<void> {
  closed = true;
  for (const id of [...watches.keys()]) stop(id);
  for (const waiting of forwarded.values()) waiting.resolve(closedReplies(waiting.batch));
  forwarded.clear();
  clearTimeout(watchdog);
  waiting?.abort();
  release?.();
  await led;
  channel?.close();
  // Every batch is answered before close is: the page waits for the answers it is owed.
  await Promise.all(answering);
}

const api: WorkerApi = {
  open(name, tabOptions) {
    if (channel) throw new Error('Tidepool worker: a database is already open');
    options = tabOptions;
    channel = new BroadcastChannel(`tidepool:${name}`);
    channel.onmessage = (event: MessageEvent<TabMessage>) => hear(event.data);
    return new Promise((resolve, reject) => {
      let settled = false;
      elect(name, (error) => {
        if (settled) return;
        settled = true;
        if (error) reject(error);
        else resolve(Tidepool.actions);
      });
    });
  },


  async watch(read, deliverTo) {
    const id = nextWatch++;
    const table = (read.input as { TableName?: unknown } | null)?.TableName;
    const watch: Watch = { action: read.action, input: read.input, table, equal: confinedTo(read), deliver: deliverTo as Comlink.Remote<Deliver> };
    watches.set(id, watch);
    const [reply] = await execute([{ kind: 'action', action: read.action, input: read.input }]);
    if (watches.has(id)) deliver(id, watch, reply);
    return id;
  },

  unwatch: stop,

  stats: (): WorkerStats => ({ ...stats, writer: db !== undefined }),
};

Comlink.expose(api);

const closedAnswer = (error?: unknown): PortAnswer => (error === undefined ? { closed: true } : { closed: true, error: toPlainError(error) });

addEventListener('message', (event: MessageEvent<PortMessage | Record<string, unknown>>) => {
  const message = event.data;
  if (message === null || typeof message !== 'object') return;
  if ('batch' in message) inTurn(() => answerBatch(message as BatchMessage));
  else if ('close' in message) inTurn(() => void close().then(() => postMessage(closedAnswer()), (error: unknown) => postMessage(closedAnswer(error))));
});
