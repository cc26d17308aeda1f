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

export type { DatabaseOptions } from './engine/database.js';
export type { ChangeRecord, ChangeListener } from './engine/changes.js';
export type { TidepoolRequestHandler } from './hosts/request-handler.js';
export type { AttributeValue, Item } from './model/index.js';
export { DynamoError } from './model/index.js';

/** Result shapes are DynamoDB's JSON; see the DynamoDB API Reference for each action. */
export type Output = Record<string, any>;

export class Tidepool {
  private closed = false;

  private constructor(private readonly db: Database) {}

  /** Opens an in-memory database. */
  static async open(options: DatabaseOptions = {}): Promise<Tidepool> {
    return new Tidepool(new Database(await Core.load(), options));
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
      if (this.closed) throw new Error('Tidepool database is closed');
      return Promise.resolve(dispatch(this.db, action, input) as Output);
    } catch (error) {
      return Promise.reject(error);
    }
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
    return createRequestHandler(this.protocol());
  }

  /**
   * The DynamoDB wire protocol over this database: HTTP request in, HTTP response out.
   * @internal Hosts (the server, the request handler) use it.
   */
  protocol(options: ProtocolOptions = {}): (request: WireRequest) => Promise<WireResponse> {
    const answer = createProtocol(this.db, options);
    return (request) => (this.closed ? Promise.reject(new Error('Tidepool database is closed')) : answer(request));
  }

  /** Calls `listener` with every change record (the write path's log) until the returned function is called. */
  onChange(listener: ChangeListener): () => void {
    return this.db.changes.subscribe(listener);
  }

  /** Frees the database; pending table status changes are dropped. */
  async close(): Promise<void> {
    this.closed = true;
    this.db.close();
  }
}
