/**
 * Everything that crosses between a page (client.ts) and the worker that owns its database
 * (worker.ts), as plain structured-clone data.
 *
 * Calls made in one tick of the page travel as one Batch in one postMessage to the worker (beside
 * Comlink's messages, not through Comlink: its envelope, ids and promise hops were a third of a
 * GetItem's round trip), and their Replies come back the same way, in the same order. The worker runs a batch's
 * calls in order, so writes to one key land in the order the page made them. Replies that are
 * ready at once (reads, failures) go back at once, a slice of the batch at a time; those that wait
 * for the log follow together.
 *
 * Calls and replies travel as one JSON text per message wherever JSON carries them
 * exactly (see toPlainJson), and by structured clone otherwise: cloning DynamoDB JSON's small
 * nested objects cost ~6 us a reply in Chromium, several times JSON's cost, and the worker writes
 * stored items' JSON straight from their packed form.
 *
 * Byte bodies (the SDK request handler's HTTP requests and responses) move as transferables:
 * handing over an ArrayBuffer costs the same at any size, where a clone copies it.
 */
import type { Item } from '../model/types.js';
import { toPlainJson } from '../model/wire.js';
import type { WireResponse, WireRequest } from './protocol.js';

/** A DynamoDB action with DynamoDB JSON input, as `Tidepool.send` takes it. */
export interface ActionCall {
  kind: 'action';
  action: string;
  input: unknown;
}

/** An HTTP request from the AWS SDK, answered by the worker's wire protocol (`Tidepool.protocol()`). */
export interface WireCall {
  kind: 'wire';
  request: WireRequest;
}

export type Call = ActionCall | WireCall;

/** What a page sends in one message. A null is a call the page could not send (it failed there). */
export type Batch = Array<Call | null>;

/**
 * A list as it travels in a message: `json` is a JSON array with an entry per element, null where
 * the element is in `cloned` instead (by index) or absent (null in the list).
 */
export interface Encoded<T> {
  json: string;
  cloned: Array<[number, T]>;
}

/**
 * Encodes a list: each element as JSON when `toJson` gives its text, else as `forClone(element)`
 * for the structured clone.
 */
export function encodeList<T>(list: ReadonlyArray<T | null>, toJson: (value: T, index: number) => string | undefined, forClone: (value: T) => T = (value) => value): Encoded<T> {
  const texts: string[] = [];
  const cloned: Array<[number, T]> = [];
  for (let i = 0; i < list.length; i++) {
    const value = list[i];
    const text = value === null ? 'null' : toJson(value, i);
    if (text === undefined) cloned.push([i, forClone(value!)]);
    texts.push(text ?? 'null');
  }
  if (texts.length === 0) return { json: '[]', cloned };
  // One flat string, from join: one built by + is a tree of pieces, which postMessage first copies out piece by piece.
  texts[0] = `[${texts[0]}`;
  texts[texts.length - 1] += ']';
  return { json: texts.join(','), cloned };
}

export function decodeList<T>({ json, cloned }: Encoded<T>): Array<T | null> {
  const list = JSON.parse(json) as Array<T | null>;
  for (const [i, value] of cloned) list[i] = value;
  return list;
}

/** A call as JSON, unless it is an SDK request (its body moves as bytes) or JSON would change it. */
export const callJson = (call: Call): string | undefined => (call.kind === 'wire' ? undefined : toPlainJson(call));

/** A batch from the page, with the number its answers name. */
export interface BatchMessage {
  batch: number;
  calls: Encoded<Call>;
}

/**
 * What the page posts to the worker besides Comlink's messages (which have none of these
 * members): a batch, or `close`, which thus arrives after every batch.
 */
export type PortMessage = BatchMessage | { close: true };

/**
 * Answers to a batch: `replies` has an entry per call of the batch from its call `from` (0 when
 * absent) on, null for a call answered in another message; `done` says this is the batch's last message.
 */
export interface BatchAnswer {
  batch: number;
  replies: Encoded<Reply>;
  from?: number;
  done: boolean;
}

/**
 * What the worker posts to the page besides Comlink's replies (which Comlink knows by their `id`):
 * answers, then `closed` once every batch is answered and the database closed.
 */
export type PortAnswer = BatchAnswer | { closed: true; error?: PlainError };

/**
 * A failure as data. Comlink, like structured clone, keeps only an Error's name, message and stack;
 * DynamoDB's errors also carry fields a caller reads (CancellationReasons, Item), kept in `fields`.
 */
export interface PlainError {
  name: string;
  message: string;
  fields: Record<string, unknown>;
  cause?: { name: string; message: string };
}

/**
 * The answer to one Call: an action's output, or a WireCall's response (encoded in the worker, so
 * its bytes can be transferred), or the error an action failed with.
 */
export type Reply = { ok: true; value: unknown } | { ok: true; response: WireResponse } | { ok: false; error: PlainError };

/** A read whose result a page watches: GetItem, Query or Scan, with DynamoDB JSON input. */
export interface WatchedRead {
  action: 'GetItem' | 'Query' | 'Scan';
  input: unknown;
}

/** Hears a watched read's result: the first one, then each that differs, until an error ends the watch. */
export type Deliver = (reply: Reply) => void;

/** What the worker has received, for tests and benchmarks to see how calls were batched, and its role. */
export interface WorkerStats {
  batches: number;
  calls: number;
  /** How many messages of answers it has posted to its page. */
  answers: number;
  /** How many times its watched reads have run again after writes. */
  watchRuns: number;
  /** Whether this tab's worker is the writer, which runs every tab's calls. */
  writer: boolean;
}

/**
 * What the workers of one database in several tabs say on their BroadcastChannel. One of them, the
 * writer, holds the database's Web Lock and owns the engine; the others send it their batches.
 * - `run`: a batch from a tab, by its worker's id and a batch id;
 * - `received`: the writer has the batch (so if the writer goes away before its `replies`, the
 *   batch may have been applied: it fails rather than run twice);
 * - `replies`: answers of the batch: those ready at once (reads, failures) first, with `done`
 *   false and null for the others, which follow once durable (all of them in one message when
 *   none waits), so that a read never waits for another call's durability in any tab;
 * - `writer`: a worker has taken the lock: batches it has not `received` are sent again;
 * - `changed`: writes changed `table` (every table when absent), at the items of `keys` (any
 *   item when absent): the watches they may concern run again;
 * - `ping`, `pong`: a tab waiting on the writer asks whether it is still there, and the writer
 *   answers at once (a frozen or hung writer cannot, and another tab takes the lock from it).
 *
 * Tabs of one origin may run different versions of Tidepool (one opened before the app was
 * updated): every message carries `v`, TAB_PROTOCOL, which earlier versions did not send. A
 * writer answers early (`done` false) only a `run` that has `v`; and a tab never takes the lock
 * from a writer that spoke without `v`, whose store would not see that it had been taken over.
 */
export type TabMessage = (
  | { type: 'run'; from: string; id: number; batch: Batch }
  | { type: 'received'; to: string; id: number }
  | { type: 'replies'; to: string; id: number; replies: Array<Reply | null>; done?: boolean }
  | { type: 'writer'; from: string }
  | { type: 'changed'; table?: string; keys?: Item[] }
  | { type: 'ping' }
  | { type: 'pong' }
) & { v?: number };

/** The version of the tabs' messages (see TabMessage). */
export const TAB_PROTOCOL = 2;

/** How a tab's worker takes part in the database's tabs (see OpenDatabaseOptions in client.ts). */
export interface TabOptions {
  stalledWriterMs: number;
}

/** The worker's API, exposed with Comlink. */
export interface WorkerApi {
  /**
   * Opens the database `name` (IndexedDB `tidepool:<name>`) and answers the action names it
   * implements; rejects with the store's error.
   */
  open(name: string, options: TabOptions): Promise<readonly string[]>;
  /**
   * Runs `read` and delivers its result, then runs it again after every write to its table and
   * delivers the result whenever it differs from the last one delivered. `deliver` is a Comlink
   * proxy. Answers the id to unwatch with.
   */
  watch(read: WatchedRead, deliver: Deliver): Promise<number>;
  unwatch(id: number): void;
  stats(): WorkerStats;
}

/** An error as data, with every own field DynamoDB's error shape carries. */
export function toPlainError(error: unknown): PlainError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(error)) if (key !== 'name' && key !== 'message') fields[key] = (error as unknown as Record<string, unknown>)[key];
  const plain: PlainError = { name: error.name, message: error.message, fields };
  const cause = error.cause;
  if (cause instanceof Error) plain.cause = { name: cause.name, message: cause.message };
  return plain;
}

/** The Error a caller gets: DynamoDB's `name` and `message`, the extra fields as own properties, and the cause. */
export function fromPlainError(plain: PlainError): Error {
  const cause = plain.cause && Object.assign(new Error(plain.cause.message), { name: plain.cause.name });
  const error = new Error(plain.message, cause && { cause });
  error.name = plain.name;
  return Object.assign(error, plain.fields);
}
