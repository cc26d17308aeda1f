/**
 * Tidepool in Node: the DynamoDB engine in-process.
 *
 * @example
 * import { Tidepool } from 'tidepool';
 * const db = await Tidepool.open();
 * await db.send('CreateTable', {
 *   TableName: 'Music',
 *   AttributeDefinitions: [{ AttributeName: 'Artist', AttributeType: 'S' }],
 *   KeySchema: [{ AttributeName: 'Artist', KeyType: 'HASH' }],
 *   BillingMode: 'PAY_PER_REQUEST',
 * });
 * await db.send('PutItem', { TableName: 'Music', Item: { Artist: { S: 'Nina Simone' } } });
 * const { Item } = await db.send('GetItem', { TableName: 'Music', Key: { Artist: { S: 'Nina Simone' } } });
 * await db.close();
 */
import { Core } from './core/wasm.js';
import { dispatch, ACTION_NAMES } from './actions/index.js';
import { Database, type DatabaseOptions } from './engine/database.js';
import type { ChangeListener } from './engine/changes.js';
import { createProtocol, type ProtocolOptions, type WireRequest, type WireResponse } from './hosts/protocol.js';
import { createRequestHandler, type TidepoolRequestHandler } from './hosts/request-handler.js';
import { Durable, type DurableOptions } from './storage/durable.js';
import type { Store } from './storage/store.js';
import { DynamoError } from './model/index.js';

export type { DatabaseOptions } from './engine/database.js';
export type { ChangeRecord, ChangeListener } from './engine/changes.js';
export type { TidepoolRequestHandler } from './hosts/request-handler.js';
export { MemoryStore, StorageCorruptionError, StorageLockedError, type Store } from './storage/store.js';
export { IndexedDbStore, StorageUnavailableError } from './storage/indexeddb.js';
export type { AttributeValue, Item } from './model/index.js';
export { DynamoError } from './model/index.js';

/** Result shapes are DynamoDB's JSON; see the DynamoDB API Reference for each action. */
export type Output = Record<string, any>;

/** Control-plane actions that change the catalog storage must persist. */
const CATALOG_ACTIONS = new Set(['CreateTable', 'UpdateTable', 'DeleteTable', 'TagResource', 'UntagResource', 'UpdateTimeToLive']);

export interface OpenOptions extends DatabaseOptions, DurableOptions {
  /**
   * A data folder (Node): the database is durable there, recovered on open, and locked against a
   * second process. Without `path` or `store` the database lives in memory only.
   */
  path?: string;
  /** A store to be durable in (e.g. a MemoryStore in tests); `path` opens a file store. */
  store?: Store;
}

export class Tidepool {
  private closed = false;
  /** Requests waiting for storage to load what they touch, and the turn of the last one to run. */
  private queued = 0;
  private turn: Promise<void> = Promise.resolve();

  private constructor(
    private readonly db: Database,
    private readonly durable?: Durable,
  ) {}

  /**
   * Opens a database: in memory, or durable in a data folder (`path`) or a `store`. A durable
   * database answers a write only once it is on disk (fdatasync): after a crash every answered
   * write is there, and a transaction is there whole or not at all.
   */
  static async open(options: OpenOptions = {}): Promise<Tidepool> {
    const db = new Database(await Core.load(), options);
    let store = options.store;
    if (options.path !== undefined) {
      if (store) throw new TypeError('Tidepool.open: give path or store, not both');
      // Loaded only when asked for, so a browser bundle of this module never pulls in node:fs.
      const { FileStore } = await import('./storage/file.js');
      store = await FileStore.open(options.path);
    }
    if (!store) return new Tidepool(db);
    try {
      return new Tidepool(db, await Durable.open(db, store, options));
    } catch (error) {
      await store.close();
      db.close();
      throw error;
    }
  }

  /** The DynamoDB action names this version implements. */
  static readonly actions = ACTION_NAMES;

  /**
   * Runs a DynamoDB action, e.g. `send('PutItem', { TableName, Item })`, with DynamoDB JSON in and
   * out. Rejects with an Error whose `name` is DynamoDB's error type and `message` its text.
   */
  send(action: string, input: unknown): Promise<Output> {
    // Not an async function: on the hot path its extra promise and microtask are measurable.
    try {
      const output = this.execute(action, input);
      return output instanceof Promise ? output : Promise.resolve(output);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * send() without the promise when none is needed: the output, or a promise of it when the
   * answer waits for the log. Throws instead of rejecting. With `wire`, the output is for
   * toWireJson only (see dispatch).
   * @internal The wire protocol uses it.
   */
  execute(action: string, input: unknown, wire = false): Output | Promise<Output> {
    if (this.closed) throw new Error('Tidepool database is closed');
    const durable = this.durable;
    if (!durable) return dispatch(this.db, action, input, wire) as Output;
    const load = this.queued === 0 ? durable.prepare(action, input) : undefined;
    if (this.queued === 0 && !load) return this.run(durable, action, input, wire);
    return this.later(durable, action, input, wire, load);
  }

  /**
   * Runs a request once storage has loaded the partitions it touches (see Durable.prepare), in
   * its turn: requests that come meanwhile wait behind it, so that requests still run in the order
   * they came, as the worker's batches need. A page that cannot be read fails the request with
   * InternalServerError, whose cause is the StorageCorruptionError or the store's error.
   */
  private async later(durable: Durable, action: string, input: unknown, wire: boolean, load: Promise<void> | undefined): Promise<Output> {
    const turn = this.turn;
    let done!: () => void;
    this.turn = new Promise((resolve) => (done = resolve));
    this.queued++;
    try {
      await turn;
      try {
        for (load ??= durable.prepare(action, input); load; load = durable.prepare(action, input)) await load;
      } catch (cause) {
        throw new DynamoError('InternalServerError', 'Internal server error', { cause });
      }
      return this.run(durable, action, input, wire);
    } finally {
      this.queued--;
      done();
    }
  }

  private run(durable: Durable, action: string, input: unknown, wire: boolean): Output | Promise<Output> {
    const before = this.db.changes.lastSequence;
    const output = dispatch(this.db, action, input, wire) as Output;
    const catalog = CATALOG_ACTIONS.has(action);
    if (catalog) durable.catalogChanged();
    // Answered once what it wrote is durable; a read waits for nothing.
    return catalog || this.db.changes.lastSequence !== before ? durable.commit().then(() => output) : output;
  }

  /**
   * An AWS SDK v3 request handler that answers from this database with no network: the same
   * protocol, checks and response bytes as `tidepool serve`.
   *
   * @example
   * const client = new DynamoDBClient({
   *   region: 'us-east-1',
   *   credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
   *   requestHandler: db.requestHandler(),
   * });
   */
  requestHandler(): TidepoolRequestHandler {
    const protocol = this.protocol();
    return createRequestHandler((request) => protocol(request));
  }

  /**
   * The DynamoDB wire protocol over this database: HTTP request in, HTTP response out.
   * @internal Hosts (the server, the request handler) use it.
   */
  protocol(options: ProtocolOptions = {}): (request: WireRequest) => WireResponse | Promise<WireResponse> {
    return createProtocol((action, input) => this.execute(action, input, true), this.db.region, options);
  }

  /**
   * Resolves once every write made so far is durable (at once for a database in memory). Rejects
   * with InternalServerError if one failed to be, in which case it has been undone.
   */
  flushed(): Promise<void> {
    return this.durable ? this.durable.commit() : Promise.resolve();
  }

  /** Calls `listener` with every change record (the write path's log) until the returned function is called. */
  onChange(listener: ChangeListener): () => void {
    return this.db.changes.subscribe(listener);
  }

  /** Frees the database, after pending writes are durable; pending table status changes are dropped. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.turn;
    await this.durable?.close();
    this.db.close();
  }
}
