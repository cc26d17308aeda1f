import type { Database } from '../engine/database.js';
import type { Table } from '../engine/table.js';
import type { Condition, Update } from '../expressions/ast.js';
import { applyUpdate, evaluateCondition } from '../expressions/index.js';
import { type Item, DynamoError, itemSize, MAX_ITEM_SIZE, toStoredItem } from '../model/index.js';
import * as msg from '../model/messages.js';
import { type Action, admits, attributeMap, charge, dataTableName, readUnits, returnConsumedCapacity, writeUnits } from './common.js';
import { expressionNames } from './expressions.js';
import type { Shape, StructShape } from './shape.js';
import {
  type CancellationReason,
  MAX_ACTIONS,
  NO_REASON,
  addUnits,
  cancelled,
  checkValues,
  clientRequestToken,
  compileAction,
  fingerprint,
  itemId,
  tokenStore,
  transactionCapacity,
} from './transactions.js';

type Kind = 'ConditionCheck' | 'Put' | 'Delete' | 'Update';
const KINDS: readonly Kind[] = ['ConditionCheck', 'Put', 'Delete', 'Update'];

interface ActionInput {
  TableName: string;
  Key?: Item;
  Item?: Item;
  UpdateExpression?: string;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Item;
  ReturnValuesOnConditionCheckFailure?: string;
}

interface Input {
  TransactItems: Partial<Record<Kind, ActionInput>>[];
  ClientRequestToken?: string;
  ReturnConsumedCapacity?: string;
  ReturnItemCollectionMetrics?: string;
}

interface Prepared {
  kind: Kind;
  input: ActionInput;
  condition?: Condition;
  update?: Update;
}

/** The aggregate size of a transaction's items (REFERENCE.md). */
const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;

const string: Shape = { type: 'string' };
const required: Shape = { type: 'string', notNull: true };
const common = {
  TableName: dataTableName,
  ExpressionAttributeNames: expressionNames,
  ExpressionAttributeValues: attributeMap(false),
  ReturnValuesOnConditionCheckFailure: { type: 'string', enum: ['ALL_OLD', 'NONE'] },
} satisfies Record<string, Shape>;

// Required members first: the service reports `transactItems.1.member.put.item` before anything else
// of a Put (dynalite fork's TransactWriteItems tests).
const transactWriteItem: StructShape = {
  type: 'struct',
  name: 'TransactWriteItem',
  members: {
    ConditionCheck: { type: 'struct', name: 'ConditionCheck', members: { Key: attributeMap(true), ...common, ConditionExpression: required } },
    Delete: { type: 'struct', name: 'Delete', members: { Key: attributeMap(true), ...common, ConditionExpression: string } },
    Put: { type: 'struct', name: 'Put', members: { Item: attributeMap(true), ...common, ConditionExpression: string } },
    Update: {
      type: 'struct',
      name: 'Update',
      members: { Key: attributeMap(true), UpdateExpression: required, ...common, ConditionExpression: string },
    },
  },
};

/** One action once its table, key and item are known. */
interface Target extends Prepared {
  table: Table;
  /** A per-action message found before evaluation (invalid values, a key not matching the schema). */
  invalid?: string;
  /** Put: the item in stored form, and its size. */
  item?: Item;
  size: number;
}

/** What an action that passed will write, and the sizes its capacity is charged on. */
interface Write {
  target: Target;
  /** Put and Update: the new item; Delete and ConditionCheck: none. */
  item?: Item;
  size: number;
  oldSize: number;
}

export const TransactWriteItems: Action<Input, { actions: Prepared[] }> = {
  members: {
    ReturnConsumedCapacity: returnConsumedCapacity,
    ReturnItemCollectionMetrics: { type: 'string', enum: ['SIZE', 'NONE'] },
    TransactItems: { type: 'list', notNull: true, minLength: 1, maxLength: MAX_ACTIONS, member: transactWriteItem },
    ClientRequestToken: clientRequestToken,
  },

  check(input) {
    const actions: Prepared[] = [];
    for (const entry of input.TransactItems) {
      const kinds = KINDS.filter((kind) => entry[kind] != null);
      if (kinds.length === 0) return msg.TRANSACT_ITEM_NO_ACTION;
      if (kinds.length > 1) return msg.TRANSACT_ITEM_ONE_ACTION;
      const kind = kinds[0]!;
      const action = entry[kind]!;
      const compiled = compileAction(action as unknown as Record<string, unknown>, kind === 'Update' ? ['UpdateExpression', 'ConditionExpression'] : ['ConditionExpression']);
      if (typeof compiled === 'string') return compiled;
      actions.push({ kind, input: action, condition: compiled.condition, update: compiled.update });
    }
    return { actions };
  },

  run(db: Database, input, { actions }) {
    const token = input.ClientRequestToken;
    const idempotent = token == null ? undefined : { store: tokenStore(db), token, request: fingerprint(input.TransactItems) };
    const done = idempotent?.store.find(idempotent.token);
    if (done && done.fingerprint !== idempotent!.request) {
      throw new DynamoError('IdempotentParameterMismatchException', msg.IDEMPOTENT_PARAMETER_MISMATCH);
    }
    if (done) {
      // A replay writes nothing and is charged as a transactional read of what the first call wrote (dynoxide, captured).
      const units = new Map<string, number>();
      for (const [table, bytes] of done.sizes) addUnits(units, table, 2 * readUnits(bytes, true));
      return transactionCapacity(input.ReturnConsumedCapacity, units, 'ReadCapacityUnits');
    }

    const targets = resolve(db, actions);
    // A provisioned table (or GSI) out of capacity cancels the transaction, with the reason on
    // each action that touches it (CancellationReason code ProvisionedThroughputExceeded).
    const throttled = new Map(targets.map((t) => [t.table, admits(db, t.table, 'write')]));
    if ([...throttled.values()].includes(false)) {
      throw cancelled(targets.map((t) => (throttled.get(t.table) ? NO_REASON : { Code: 'ProvisionedThroughputExceeded', Message: msg.TABLE_THROUGHPUT_EXCEEDED })));
    }
    const writes = evaluate(targets);
    // The item collection cap, for all of a table's writes together, before any is applied.
    for (const table of new Set(writes.map((w) => w.target.table))) {
      const group = writes.filter((w) => w.target.table === table && w.target.kind !== 'ConditionCheck');
      table.checkCollections(group.map((w) => ({ key: w.item ?? w.target.input.Key!, size: w.target.kind === 'Delete' ? 0 : w.size })));
    }

    // Nothing below can fail: every item was checked above, and nothing runs between here and the
    // last write (Table.put and delete are synchronous).
    const units = new Map<string, number>();
    const sizes: [string, number][] = [];
    for (const write of writes) {
      const { table, kind } = write.target;
      let oldSize = write.oldSize;
      if (kind === 'Put' || kind === 'Update') oldSize = table.put(write.item!, write.size).oldSize;
      else if (kind === 'Delete') oldSize = table.delete(write.target.input.Key!).oldSize;
      addUnits(units, table.name, 2 * writeUnits(oldSize, write.size));
      // Transactions draw on provisioned capacity too (they are not throttled here: see the note on charge()).
      charge(db, table, 'write', 2 * writeUnits(oldSize, write.size));
      sizes.push([table.name, Math.max(oldSize, write.size)]);
    }
    idempotent?.store.record(idempotent.token, idempotent.request, sizes);
    return transactionCapacity(input.ReturnConsumedCapacity, units, 'WriteCapacityUnits');
  },
};

/**
 * Tables, keys and item sizes, with the failures that refuse the whole request, in the service's
 * order (dynoxide): a missing table or a second action on one item as each action is reached, then
 * any Put item over 400 KB, then the 4 MB total.
 */
function resolve(db: Database, actions: Prepared[]): Target[] {
  const targets: Target[] = [];
  const seen = new Set<string>();
  for (const action of actions) {
    const table = db.table(action.input.TableName);
    const target: Target = { ...action, table, size: 0 };
    targets.push(target);
    let key: Item | undefined;
    if (action.kind === 'Put') {
      target.invalid = checkValues(action.input.Item!);
      if (target.invalid === undefined) {
        target.item = toStoredItem(action.input.Item!);
        target.size = itemSize(target.item);
        target.invalid = table.checkItemKey(target.item);
        key = target.item;
      }
    } else {
      target.invalid = checkValues(action.input.Key!) ?? table.checkKey(action.input.Key!);
      key = action.input.Key;
    }
    // A key that does not fit the schema names no item; its action fails on its own below.
    if (target.invalid !== undefined || key === undefined) continue;
    const id = itemId(table, key);
    if (seen.has(id)) throw new DynamoError('ValidationException', msg.MULTIPLE_OPERATIONS_ON_ONE_ITEM);
    seen.add(id);
  }
  // A Put's size is known from the request, so it is refused up front; an Update's only once the
  // stored item is known, as a cancellation reason (dynoxide, captured in eu-west-2).
  if (targets.some((t) => t.size > MAX_ITEM_SIZE)) throw new DynamoError('ValidationException', msg.ITEM_TOO_LARGE);
  let total = 0;
  for (const t of targets) total += t.kind === 'Put' ? t.size : requestBytes(t);
  if (total > MAX_TRANSACTION_BYTES) throw new DynamoError('ValidationException', msg.TRANSACTION_TOO_LARGE);
  return targets;
}

/** What an action other than Put adds to the 4 MB total: its key, and an Update's values (dynoxide). */
function requestBytes(target: Target): number {
  if (target.invalid !== undefined) return 0;
  let bytes = itemSize(target.input.Key!);
  if (target.kind === 'Update' && target.input.ExpressionAttributeValues) bytes += itemSize(target.input.ExpressionAttributeValues);
  return bytes;
}

/**
 * Every action against the items as they are, before anything is written: each gets its
 * cancellation reason, and all pass or the request is cancelled. Distinct actions name distinct
 * items, so no action can see another's write.
 */
function evaluate(targets: Target[]): Write[] {
  const reasons: CancellationReason[] = [];
  const writes: Write[] = [];
  let failed = false;
  for (const target of targets) {
    const outcome = outcomeOf(target);
    if ('Code' in outcome) {
      failed = true;
      reasons.push(outcome);
    } else {
      reasons.push(NO_REASON);
      writes.push(outcome);
    }
  }
  if (failed) throw cancelled(reasons);
  return writes;
}

function outcomeOf(target: Target): Write | CancellationReason {
  const { kind, table, input, condition, update } = target;
  if (target.invalid !== undefined) return invalid(target.invalid);
  const key = kind === 'Put' ? table.keyOf(target.item!) : input.Key!;
  // A Put without a condition needs no read: table.put reports what it replaced.
  const read = condition !== undefined || kind === 'Update' || kind === 'ConditionCheck';
  const old = read ? table.get(key) : undefined;
  const oldSize = old ? table.lastReadSize : 0;
  if (condition && !evaluateCondition(condition, old)) {
    const reason: CancellationReason = { Code: 'ConditionalCheckFailed', Message: msg.CONDITIONAL_REQUEST_FAILED };
    if (old && input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD') reason.Item = old;
    return reason;
  }
  switch (kind) {
    case 'ConditionCheck':
    case 'Delete':
      return { target, size: 0, oldSize };
    case 'Put': {
      const indexMessage = table.checkIndexKeys(target.item!);
      if (indexMessage) return invalid(indexMessage);
      return { target, item: target.item, size: target.size, oldSize };
    }
    case 'Update': {
      for (const attr of [table.hash, table.range]) {
        if (attr && touches(update!, attr.name)) return invalid(msg.updatesKeyAttribute(attr.name));
      }
      const applied = applyUpdate(old, update!, table.keyOf(toStoredItem(key)));
      if (applied.message !== undefined) return invalid(applied.message);
      const size = itemSize(applied.item);
      if (size > MAX_ITEM_SIZE) return invalid(msg.UPDATED_ITEM_TOO_LARGE);
      const indexMessage = table.checkIndexKeys(applied.item);
      if (indexMessage) return invalid(indexMessage);
      return { target, item: applied.item, size, oldSize };
    }
  }
}

/**
 * A per-action validation failure: a ValidationError reason, except an empty key value, which
 * refuses the whole request (dynoxide, captured in four regions).
 */
function invalid(message: string): CancellationReason {
  if (message.startsWith(msg.NOT_VALID_PREFIX)) throw new DynamoError('ValidationException', message);
  return { Code: 'ValidationError', Message: message };
}

/** Whether an update writes the top-level attribute `name`. */
function touches(update: Update, name: string): boolean {
  const paths = [...update.set.map((a) => a.path), ...update.remove, ...update.add.map((a) => a.path), ...update.delete.map((a) => a.path)];
  return paths.some((path) => path[0] === name);
}
