/**
 * What ExecuteStatement, BatchExecuteStatement and ExecuteTransaction share: parsing a statement
 * against its Parameters, turning it into an item action's request (src/partiql/translate.ts),
 * running that request through the action itself, and putting the answer and the errors in
 * PartiQL's terms.
 */
import type { Database } from '../engine/database.js';
import type { Table } from '../engine/table.js';
import { resolvePath } from '../expressions/evaluate.js';
import { type AttributeValue, type Item, DynamoError, validateAttributeValue } from '../model/index.js';
import * as msg from '../model/messages.js';
import { type PathElement, type Statement, parseStatement } from '../partiql/parser.js';
import { type Plan, type Schema, translate } from '../partiql/translate.js';
import { type Action, perform } from './common.js';
import { DeleteItem } from './DeleteItem.js';
import { GetItem } from './GetItem.js';
import { PutItem } from './PutItem.js';
import { Query } from './Query.js';
import { Scan } from './Scan.js';
import { UpdateItem } from './UpdateItem.js';
import type { ListShape, StringShape } from './shape.js';

/** A statement is at most 8192 characters (API reference, ExecuteStatement). */
export const statementShape: StringShape = { type: 'string', notNull: true, minLength: 1, maxLength: 8192 };
export const parametersShape: ListShape = { type: 'list', minLength: 1, member: { type: 'attributeValue' } };

const ITEM_ACTIONS: Record<Plan['action'], Action<any, any>> = { GetItem, Query, Scan, PutItem, UpdateItem, DeleteItem };

/** A statement parsed and checked against the number of its parameters, or the message why not. */
export function parse(text: string, parameters: readonly AttributeValue[] | undefined): Statement | string {
  for (const parameter of parameters ?? []) {
    const invalid = validateAttributeValue(parameter);
    if (invalid) return invalid;
  }
  const statement = parseStatement(text);
  if ('message' in statement) return statement.message;
  return statement.parameters === (parameters?.length ?? 0) ? statement : msg.PARAMETER_COUNT;
}

/**
 * The table a statement names and the request that runs it. Throws ResourceNotFoundException for
 * a missing table; returns the message of a statement that cannot run on it.
 */
export function plan(db: Database, statement: Statement, parameters: readonly AttributeValue[] | undefined): { table: Table; plan: Plan } | string {
  // Checked before the table is looked up: a qualified UPDATE of a missing table reports this (dynoxide, captured).
  if (statement.kind !== 'SELECT' && statement.kind !== 'INSERT' && statement.index !== undefined) return msg.WRITE_ON_INDEX;
  const table = db.table(statement.table);
  const schema: Schema = { hash: table.hash, range: table.range };
  if (statement.kind === 'SELECT' && statement.index !== undefined) {
    const index = table.index(statement.index);
    if (index) schema.index = { hash: index.definition.hash, range: index.definition.range };
  }
  const translated = translate(statement, parameters ?? [], schema);
  return typeof translated === 'string' ? translated : { table, plan: translated };
}

/** Runs a plan's request through its item action, with PartiQL's errors. */
export function execute(db: Database, plan: Plan, extra: Record<string, unknown> = {}): Record<string, unknown> {
  try {
    return perform(db, ITEM_ACTIONS[plan.action], { ...plan.request, ...extra }) as Record<string, unknown>;
  } catch (error) {
    throw error instanceof DynamoError ? inPartiqlTerms(error, plan) : error;
  }
}

/**
 * An item action's error as PartiQL reports it: a failed INSERT condition is a duplicate key, and
 * an expression's message loses the name of the expression the statement never had.
 */
function inPartiqlTerms(error: DynamoError, plan: Plan): DynamoError {
  if (error.name === 'ConditionalCheckFailedException' && plan.action === 'PutItem') return new DynamoError('DuplicateItemException', msg.DUPLICATE_ITEM);
  if (error.name !== 'ValidationException') return error;
  const message = withoutExpressionNames(error.message);
  return message === error.message ? error : new DynamoError('ValidationException', message);
}

/** An expression's message without the `Invalid FilterExpression: ` or placeholder it names. */
export function withoutExpressionNames(message: string): string {
  const value = /^ExpressionAttributeValues contains invalid value: (.*) for key :v\d+$/s.exec(message);
  if (value) return value[1]!;
  return message.replace(/^Invalid (?:Update|Condition|KeyCondition|Filter)Expression: /, '');
}

/** The code of a BatchExecuteStatement error entry: the exception's name, shortened. */
export function errorCode(error: DynamoError): string {
  return error.name === 'ValidationException' ? 'ValidationError' : error.name.replace(/Exception$/, '');
}

/**
 * An item as a SELECT's projection list shapes it: each path's value under the last name in the
 * path (`SELECT a.b` answers `{ b: ... }`, as DynamoDB does).
 */
export function projectItem(item: Item, projection: PathElement[][] | undefined): Item {
  if (projection === undefined) return item;
  const result: Item = {};
  for (const path of projection) {
    const value = resolvePath(item, path);
    const name = [...path].reverse().find((element) => typeof element === 'string') as string;
    if (value !== undefined) result[name] = value;
  }
  return result;
}

/**
 * A SELECT's page: Items, NextToken when the read stopped early, ConsumedCapacity when asked.
 * NextToken is the read's LastEvaluatedKey with a fingerprint of the statement it belongs to.
 */
export function select(
  db: Database,
  plan: Extract<Plan, { kind: 'read' }>,
  fingerprint: string,
  options: { ConsistentRead?: boolean; Limit?: number; NextToken?: string; ReturnConsumedCapacity?: string },
): Record<string, unknown> {
  const extra: Record<string, unknown> = {};
  if (options.ConsistentRead != null) extra.ConsistentRead = options.ConsistentRead;
  if (options.ReturnConsumedCapacity != null) extra.ReturnConsumedCapacity = options.ReturnConsumedCapacity;
  if (options.NextToken != null) {
    const start = decodeToken(options.NextToken, fingerprint);
    if (typeof start === 'string') throw new DynamoError('ValidationException', start);
    if (plan.action !== 'GetItem') extra.ExclusiveStartKey = start;
  }
  if (plan.action !== 'GetItem' && options.Limit != null) extra.Limit = options.Limit;
  const output = execute(db, plan, extra);
  const items = plan.action === 'GetItem' ? (output.Item ? [output.Item as Item] : []) : (output.Items as Item[]);
  const result: Record<string, unknown> = { Items: items.map((item) => projectItem(item, plan.projection)) };
  if (output.LastEvaluatedKey) result.NextToken = encodeToken(output.LastEvaluatedKey as Item, fingerprint);
  if (output.ConsumedCapacity) result.ConsumedCapacity = output.ConsumedCapacity;
  return result;
}

/** Identifies a statement and its parameters, so a NextToken is only taken by the read it came from. */
export function fingerprintOf(statement: string, parameters: unknown): string {
  // FNV-1a over the statement and its parameters: a check against mix-ups, not a secret.
  const text = `${statement}\u0000${JSON.stringify(parameters ?? [])}`;
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16);
}

function encodeToken(key: Item, fingerprint: string): string {
  return btoa(encodeURIComponent(JSON.stringify({ f: fingerprint, k: key })));
}

function decodeToken(token: string, fingerprint: string): Item | string {
  let decoded: unknown;
  try {
    decoded = JSON.parse(decodeURIComponent(atob(token)));
  } catch {
    return msg.INVALID_NEXT_TOKEN;
  }
  if (decoded === null || typeof decoded !== 'object') return msg.INVALID_NEXT_TOKEN;
  const { f, k } = decoded as { f?: unknown; k?: unknown };
  if (typeof f !== 'string' || k === null || typeof k !== 'object' || Array.isArray(k)) return msg.INVALID_NEXT_TOKEN;
  return f === fingerprint ? (k as Item) : msg.NEXT_TOKEN_MISMATCH;
}
