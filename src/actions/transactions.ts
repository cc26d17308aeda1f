/**
 * What TransactWriteItems and TransactGetItems share: cancellation, the per-table capacity a
 * transaction reports, the expressions of one action, and ClientRequestToken idempotency.
 */
import type { Database } from '../engine/database.js';
import type { Table } from '../engine/table.js';
import { type Compiled, type ExpressionKind, compile } from '../expressions/index.js';
import { type Item, DynamoError, toStoredItem, validateAttributeValue } from '../model/index.js';
import * as msg from '../model/messages.js';
import type { StringShape } from './shape.js';

/** TransactItems: 1 to 100 actions (REFERENCE.md; conformance tier3/limits). */
export const MAX_ACTIONS = 100;

export const clientRequestToken: StringShape = { type: 'string', minLength: 1, maxLength: 36 };

/** One entry of CancellationReasons, in request order; `Code: 'None'` for an action that was fine. */
export interface CancellationReason {
  Code: 'None' | 'ConditionalCheckFailed' | 'DuplicateItem' | 'ValidationError' | 'ProvisionedThroughputExceeded';
  Message?: string;
  Item?: Item;
}

export const NO_REASON: CancellationReason = { Code: 'None' };

/** TransactionCanceledException, with the reasons on the error as the service puts them in the body. */
export function cancelled(reasons: CancellationReason[]): DynamoError {
  const error = new DynamoError('TransactionCanceledException', msg.transactionCancelled(reasons.map((r) => r.Code)));
  return Object.assign(error, { CancellationReasons: reasons });
}

/**
 * The expressions of one action. An action with no expression ignores ExpressionAttributeNames and
 * Values rather than refusing them as the single-item actions do (ExtendDB #169, captured against
 * DynamoDB). Expression errors fail the whole request (conformance: TransactGetItems with an invalid
 * ProjectionExpression).
 */
export function compileAction(action: Record<string, unknown>, kinds: readonly ExpressionKind[]): Compiled | string {
  if (!kinds.some((kind) => action[kind] != null)) return {};
  const compiled = compile(action, kinds);
  return 'message' in compiled ? (compiled.message as string) : compiled;
}

/** The first invalid attribute value of an Item or Key, as DynamoDB words it. */
export function checkValues(item: Item): string | undefined {
  for (const name in item) {
    const message = validateAttributeValue(item[name]!);
    if (message) return message;
  }
  return undefined;
}

/**
 * The item a key names, as a string unique within the request: the table and the stored key
 * values (numbers normalised, so `1` and `1.0` are one item).
 */
export function itemId(table: Table, key: Item): string {
  const stored = toStoredItem(table.keyOf(key));
  const parts = [stored[table.hash.name]];
  if (table.range) parts.push(stored[table.range.name]);
  return `${table.name}\u0000${JSON.stringify(parts)}`;
}

/**
 * ConsumedCapacity of a transaction: one entry per table, sorted by name, each action already
 * doubled. Transactions report the read or write axis beside CapacityUnits (dynoxide, captured).
 */
export function transactionCapacity(mode: unknown, units: Map<string, number>, axis: 'ReadCapacityUnits' | 'WriteCapacityUnits'): { ConsumedCapacity?: object[] } {
  if (mode !== 'TOTAL' && mode !== 'INDEXES') return {};
  const ConsumedCapacity = [...units.keys()].sort().map((TableName) => {
    const CapacityUnits = units.get(TableName)!;
    const entry: Record<string, unknown> = { TableName, CapacityUnits, [axis]: CapacityUnits };
    if (mode === 'INDEXES') entry.Table = { CapacityUnits, [axis]: CapacityUnits };
    return entry;
  });
  return { ConsumedCapacity };
}

export function addUnits(units: Map<string, number>, table: string, n: number): void {
  units.set(table, (units.get(table) ?? 0) + n);
}

// ---- ClientRequestToken ------------------------------------------------------------------------

/** A token binds its request for 10 minutes after first use (TransactWriteItems API reference). */
export const TOKEN_LIFETIME_MS = 10 * 60 * 1000;

/** A finished request under a token: what it was, when, and per action the table and item size it was charged on. */
export interface TokenEntry {
  fingerprint: string;
  at: number;
  sizes: readonly (readonly [table: string, bytes: number])[];
}

/**
 * Finished TransactWriteItems requests by ClientRequestToken. Only successful requests are kept:
 * a cancelled or refused one may be retried under its token (dynoxide). Tokens expire in the order
 * they were recorded, so expiry pops from the front of the map: O(1) amortised per request.
 */
export class TokenStore {
  private readonly entries = new Map<string, TokenEntry>();

  /** `now` returns milliseconds; tests pass their own clock. */
  constructor(private readonly now: () => number = () => Date.now()) {}

  /** The request recorded under `token`, if it has not expired. */
  find(token: string): TokenEntry | undefined {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (now - entry.at < TOKEN_LIFETIME_MS) break;
      this.entries.delete(key);
    }
    const entry = this.entries.get(token);
    return entry && now - entry.at < TOKEN_LIFETIME_MS ? entry : undefined;
  }

  record(token: string, fingerprint: string, sizes: TokenEntry['sizes']): void {
    this.entries.delete(token);
    this.entries.set(token, { fingerprint, at: this.now(), sizes });
  }

  get size(): number {
    return this.entries.size;
  }
}

const stores = new WeakMap<Database, TokenStore>();

/** The token store of a database (created on first use). */
export function tokenStore(db: Database): TokenStore {
  let store = stores.get(db);
  if (store === undefined) stores.set(db, (store = new TokenStore()));
  return store;
}

/**
 * What makes two requests under one token the same request: TransactItems only, so a retry that
 * changes ReturnConsumedCapacity still replays (dynoxide). Map member order does not matter.
 */
export function fingerprint(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (value instanceof Uint8Array) return JSON.stringify({ bytes: Array.from(value) });
  if (Array.isArray(value)) return `[${value.map(fingerprint).join(',')}]`;
  const record = value as Record<string, unknown>;
  const fields = Object.keys(record)
    .filter((key) => record[key] != null)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${fingerprint(record[key])}`);
  return `{${fields.join(',')}}`;
}
