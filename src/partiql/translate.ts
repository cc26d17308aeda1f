/**
 * Stage two of PartiQL: a parsed statement and its parameters become one request of an item
 * action (GetItem, Query, Scan, PutItem, UpdateItem, DeleteItem), so PartiQL shares every check,
 * the write path and the capacity accounting with those actions instead of having its own.
 *
 * Every attribute name becomes an ExpressionAttributeNames placeholder and every value an
 * ExpressionAttributeValues one, so reserved words need no quoting and each placeholder is used.
 *
 *   SELECT with equalities on the whole primary key and nothing else   GetItem
 *   SELECT with an equality on the partition key (of the table or index)  Query, the rest a filter
 *   any other SELECT                                                   Scan, the WHERE a filter
 *   INSERT   PutItem, on condition the key does not exist (INSERT is not an upsert)
 *   UPDATE   UpdateItem of the key the WHERE pins, on condition the item exists and the rest holds
 *   DELETE   DeleteItem of that key; the rest of the WHERE must hold if the item exists
 */
import { operandType } from '../expressions/messages.js';
import type { AttributeValue, Item } from '../model/index.js';
import * as msg from '../model/messages.js';
import type { Condition, Operand, PathElement, SetValue, Statement, Value } from './parser.js';

export interface KeyAttribute {
  name: string;
  type: 'S' | 'N' | 'B';
}

/** What translation needs to know of the table a statement names. */
export interface Schema {
  hash: KeyAttribute;
  range?: KeyAttribute;
  /** The index `FROM "table"."index"` names, when the table has it. */
  index?: { hash: KeyAttribute; range?: KeyAttribute };
}

export type ReadAction = 'GetItem' | 'Query' | 'Scan';
export type WriteAction = 'PutItem' | 'UpdateItem' | 'DeleteItem';

export type Plan =
  | {
      kind: 'read';
      action: ReadAction;
      request: Record<string, unknown>;
      /** The primary key, when the WHERE pins all of it with equalities on the table (not an index). */
      key?: Item;
      /** With `key`: the rest of the WHERE, as a ConditionExpression request to test the item with. */
      residual?: Record<string, unknown>;
      projection?: PathElement[][];
    }
  | { kind: 'write'; action: WriteAction; request: Record<string, unknown>; key?: Item };

/**
 * The request that runs `statement` with `parameters` bound, or DynamoDB's ValidationException
 * text. The caller has checked the parameter count and that the table exists.
 *
 * @example
 * translate(parsed, [{ S: 'a' }], { hash: { name: 'pk', type: 'S' } });
 * // { kind: 'read', action: 'GetItem', request: { TableName: 't', Key: { pk: { S: 'a' } } }, key: ... }
 */
export function translate(statement: Statement, parameters: readonly AttributeValue[], schema: Schema): Plan | string {
  const out = new Emitter(parameters);
  const plan = build(statement, schema, out);
  return out.error ?? plan;
}

function build(statement: Statement, schema: Schema, out: Emitter): Plan | string {
  const TableName = statement.table;
  if (statement.kind === 'INSERT') {
    const item = out.bind(statement.item);
    if (out.error) return out.error;
    if (!('M' in item)) return msg.INSERT_NOT_A_MAP;
    const ConditionExpression = `attribute_not_exists(${out.name(schema.hash.name)})`;
    const key = keyOf(item.M, schema);
    return { kind: 'write', action: 'PutItem', request: { TableName, Item: item.M, ConditionExpression, ...out.placeholders() }, key };
  }

  const all = conjuncts(statement.where);
  if (statement.kind === 'SELECT') return select(statement, schema, all, out);

  const pinned = pin(all, schema, out, false);
  if (pinned === undefined) return msg.KEY_EQUALITY;
  const { key, rest } = pinned;
  if (statement.kind === 'DELETE') {
    const request: Record<string, unknown> = { TableName, Key: key };
    // A missing item is deleted without testing the rest of the WHERE (dynoxide, captured).
    if (rest.length > 0) request.ConditionExpression = `attribute_not_exists(${out.name(schema.hash.name)}) OR (${out.conjunction(rest)})`;
    return { kind: 'write', action: 'DeleteItem', request: Object.assign(request, out.placeholders()), key };
  }
  const set: string[] = [];
  const remove: string[] = [];
  for (const action of statement.actions) {
    if (action.action === 'SET') set.push(`${out.path(action.path)} = ${out.setValue(action.value)}`);
    else remove.push(out.path(action.path));
  }
  const sections = [set.length > 0 ? `SET ${set.join(', ')}` : '', remove.length > 0 ? `REMOVE ${remove.join(', ')}` : ''];
  // UPDATE is not an upsert: the item must exist (dynoxide, captured).
  const condition = [`attribute_exists(${out.name(schema.hash.name)})`, ...rest.map((c) => `(${out.condition(c)})`)].join(' AND ');
  const request = { TableName, Key: key, UpdateExpression: sections.filter(Boolean).join(' '), ConditionExpression: condition, ...out.placeholders() };
  return { kind: 'write', action: 'UpdateItem', request, key };
}

function select(statement: Extract<Statement, { kind: 'SELECT' }>, schema: Schema, all: Condition[], out: Emitter): Plan {
  const base = { kind: 'read' as const, projection: statement.projection };
  const TableName = statement.table;
  if (statement.index === undefined) {
    const pinned = pin(all, schema, out, true);
    if (pinned !== undefined) {
      const { key, rest } = pinned;
      if (rest.length === 0) return { ...base, action: 'GetItem', request: { TableName, Key: key }, key };
      const residualOut = out.fork();
      const residual = { ConditionExpression: residualOut.conjunction(rest), ...residualOut.placeholders() };
      return { ...base, ...query(statement, schema, schema, all, out), key, residual };
    }
  }
  const keys = statement.index !== undefined ? schema.index : schema;
  if (keys !== undefined && findEquality(all, keys.hash, out) !== undefined) return { ...base, ...query(statement, schema, keys, all, out) };
  const request: Record<string, unknown> = { TableName };
  if (statement.index !== undefined) request.IndexName = statement.index;
  if (statement.where) request.FilterExpression = out.condition(statement.where);
  return { ...base, action: 'Scan', request: Object.assign(request, out.placeholders()) };
}

/**
 * A Query on the partition key equality of `keys`, with a sort key condition when there is one to
 * take; a Scan when the rest of the WHERE names a key attribute, which a Query's filter may not.
 */
function query(
  statement: Extract<Statement, { kind: 'SELECT' }>,
  schema: Schema,
  keys: { hash: KeyAttribute; range?: KeyAttribute },
  all: Condition[],
  out: Emitter,
): { action: ReadAction; request: Record<string, unknown> } {
  const hashAt = findEquality(all, keys.hash, out)!;
  const rangeAt = keys.range ? all.findIndex((c) => isRangeCondition(c, keys.range!.name)) : -1;
  const rest = all.filter((_, i) => i !== hashAt && i !== rangeAt);
  const keyNames = new Set([schema.hash.name, schema.range?.name, keys.hash.name, keys.range?.name]);
  const request: Record<string, unknown> = { TableName: statement.table };
  if (statement.index !== undefined) request.IndexName = statement.index;
  if (rest.some((c) => namesAny(c, keyNames))) {
    request.FilterExpression = out.condition(statement.where!);
    return { action: 'Scan', request: Object.assign(request, out.placeholders()) };
  }
  const keyConditions = [out.condition(all[hashAt]!)];
  if (rangeAt >= 0) keyConditions.push(out.condition(all[rangeAt]!));
  request.KeyConditionExpression = keyConditions.join(' AND ');
  if (rest.length > 0) request.FilterExpression = out.conjunction(rest);
  return { action: 'Query', request: Object.assign(request, out.placeholders()) };
}

/** The top-level conjuncts of a WHERE, in order. */
function conjuncts(where: Condition | undefined): Condition[] {
  if (where === undefined) return [];
  if (where.t !== 'and') return [where];
  return [...conjuncts(where.left), ...conjuncts(where.right)];
}

/**
 * The primary key the conjuncts pin with equalities, and the conjuncts left over. With `typed`, a
 * value of another type than the key's does not pin it (a SELECT then scans and finds nothing).
 */
function pin(all: Condition[], schema: Schema, out: Emitter, typed: boolean): { key: Item; rest: Condition[] } | undefined {
  const key: Item = {};
  const used = new Set<number>();
  for (const attribute of [schema.hash, schema.range]) {
    if (attribute === undefined) continue;
    const at = findEquality(all, attribute, typed ? out : undefined);
    if (at === undefined) return undefined;
    used.add(at);
    key[attribute.name] = out.bind(equalityValue(all[at]!)!);
  }
  return { key, rest: all.filter((_, i) => !used.has(i)) };
}

/** The index of the first conjunct `attribute = value`; with `out`, only when the value has the key's type. */
function findEquality(all: Condition[], attribute: KeyAttribute, out?: Emitter): number | undefined {
  const at = all.findIndex((c) => {
    if (c.t !== 'compare' || c.op !== '=' || !isAttribute(c.left, attribute.name) && !isAttribute(c.right, attribute.name)) return false;
    const value = equalityValue(c);
    return value !== undefined && (out === undefined || attribute.type in out.bind(value));
  });
  return at < 0 ? undefined : at;
}

/** The value side of `path = value` or `value = path`. */
function equalityValue(c: Condition): Value | undefined {
  if (c.t !== 'compare') return undefined;
  const other = c.left.t === 'path' ? c.right : c.left;
  return other.t === 'path' ? undefined : other;
}

function isAttribute(operand: Operand, name: string): boolean {
  return operand.t === 'path' && operand.path.length === 1 && operand.path[0] === name;
}

/** Whether a conjunct can be a Query's sort key condition. */
function isRangeCondition(c: Condition, name: string): boolean {
  const isValue = (o: Operand) => o.t !== 'path';
  switch (c.t) {
    case 'compare':
      return c.op !== '<>' && ((isAttribute(c.left, name) && isValue(c.right)) || (isAttribute(c.right, name) && isValue(c.left)));
    case 'between':
      return isAttribute(c.operand, name) && isValue(c.low) && isValue(c.high);
    case 'call':
      return c.name === 'begins_with' && c.args.length === 2 && isAttribute(c.args[0]!, name) && isValue(c.args[1]!);
    default:
      return false;
  }
}

/** Whether a condition reads any of `names` as a top-level attribute. */
function namesAny(c: Condition, names: Set<string | undefined>): boolean {
  const operands = (o: Operand[]) => o.some((x) => x.t === 'path' && names.has(x.path[0] as string));
  switch (c.t) {
    case 'compare':
      return operands([c.left, c.right]);
    case 'between':
      return operands([c.operand, c.low, c.high]);
    case 'in':
      return operands([c.operand, ...c.list]);
    case 'call':
      return operands(c.args);
    case 'missing':
      return names.has(c.path[0] as string);
    case 'not':
      return namesAny(c.operand, names);
    default:
      return namesAny(c.left, names) || namesAny(c.right, names);
  }
}

function keyOf(item: Record<string, AttributeValue>, schema: Schema): Item | undefined {
  const key: Item = {};
  for (const attribute of [schema.hash, schema.range]) {
    if (attribute === undefined) continue;
    if (!Object.hasOwn(item, attribute.name)) return undefined;
    key[attribute.name] = item[attribute.name]!;
  }
  return key;
}

/**
 * Writes expression text, handing out placeholders. Binding failures are recorded (the first
 * wins) rather than thrown, and the caller checks `error` once at the end.
 */
class Emitter {
  error: string | undefined;
  private names = new Map<string, string>();
  private values: Record<string, AttributeValue> = {};
  private valueCount = 0;

  constructor(private readonly parameters: readonly AttributeValue[]) {}

  /** A fresh emitter over the same parameters, for a second, separate request. */
  fork(): Emitter {
    return new Emitter(this.parameters);
  }

  /** ExpressionAttributeNames and Values of everything written so far (each left out when empty). */
  placeholders(): { ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Item } {
    const result: { ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Item } = {};
    if (this.names.size > 0) result.ExpressionAttributeNames = Object.fromEntries([...this.names].map(([name, id]) => [id, name]));
    if (this.valueCount > 0) result.ExpressionAttributeValues = this.values;
    return result;
  }

  name(name: string): string {
    let id = this.names.get(name);
    if (id === undefined) this.names.set(name, (id = `#n${this.names.size}`));
    return id;
  }

  path(path: PathElement[]): string {
    let text = '';
    for (const element of path) text += typeof element === 'number' ? `[${element}]` : `${text ? '.' : ''}${this.name(element)}`;
    return text;
  }

  operand(operand: Operand): string {
    if (operand.t === 'path') return this.path(operand.path);
    const id = `:v${this.valueCount++}`;
    this.values[id] = this.bind(operand);
    return id;
  }

  setValue(value: SetValue): string {
    switch (value.t) {
      case '+':
      case '-':
        return `${this.setValue(value.left)} ${value.t} ${this.setValue(value.right)}`;
      case 'fn':
        return `${value.name}(${value.args.map((arg) => this.setValue(arg)).join(', ')})`;
      default:
        return this.operand(value);
    }
  }

  /** Each part is parenthesised, and nothing else is, so no parentheses ever wrap parentheses. */
  condition(c: Condition): string {
    switch (c.t) {
      case 'compare':
        if (c.op !== '=' && c.op !== '<>') this.orderable(c.op, [c.left, c.right]);
        return `${this.operand(c.left)} ${c.op} ${this.operand(c.right)}`;
      case 'between':
        this.orderable('BETWEEN', [c.low, c.high]);
        return `${this.operand(c.operand)} BETWEEN ${this.operand(c.low)} AND ${this.operand(c.high)}`;
      case 'in':
        return `${this.operand(c.operand)} IN (${c.list.map((o) => this.operand(o)).join(', ')})`;
      case 'call':
        return `${c.name}(${c.args.map((o) => this.operand(o)).join(', ')})`;
      case 'missing':
        return `${c.negated ? 'attribute_exists' : 'attribute_not_exists'}(${this.path(c.path)})`;
      case 'not':
        return `NOT (${this.condition(c.operand)})`;
      default:
        return `(${this.condition(c.left)}) ${c.t.toUpperCase()} (${this.condition(c.right)})`;
    }
  }

  /**
   * Only strings, numbers and binaries have an order: PartiQL refuses any other value beside an
   * ordering operator outright, where a filter would just match nothing (dynoxide, captured).
   */
  private orderable(operator: string, operands: Operand[]): void {
    for (const operand of operands) {
      if (operand.t === 'path') continue;
      const type = Object.keys(this.bind(operand))[0]!;
      if (type !== 'S' && type !== 'N' && type !== 'B') this.error ??= operandType(operator, type);
    }
  }

  conjunction(all: Condition[]): string {
    return all.length === 1 ? this.condition(all[0]!) : all.map((c) => `(${this.condition(c)})`).join(' AND ');
  }

  /** The AttributeValue a literal or parameter stands for. */
  bind(value: Value): AttributeValue {
    switch (value.t) {
      case 'param':
        return this.parameters[value.index]!;
      case 'scalar':
        return value.value;
      case 'map':
        return { M: Object.fromEntries(value.entries.map(([name, v]) => [name, this.bind(v)])) };
      case 'list':
        return { L: value.items.map((v) => this.bind(v)) };
      case 'set':
        return this.set(value.items.map((v) => this.bind(v)));
    }
  }

  private set(elements: AttributeValue[]): AttributeValue {
    const type = Object.keys(elements[0]!)[0];
    if ((type === 'S' || type === 'N' || type === 'B') && elements.every((e) => type in e)) {
      const members = elements.map((e) => (e as Record<string, unknown>)[type]);
      return { [`${type}S`]: members } as AttributeValue;
    }
    this.error ??= msg.MIXED_SET_LITERAL;
    return { NULL: true };
  }
}
