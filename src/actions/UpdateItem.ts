import type { Database } from '../engine/database.js';
import type { Condition, Path, Update } from '../expressions/ast.js';
import { applyUpdate, project } from '../expressions/index.js';
import { type LegacyUpdate, attributeUpdatesToAst, checkAttributeUpdates } from '../expressions/legacy.js';
import { type Item, DynamoError, cloneItem, itemSize, MAX_ITEM_SIZE, toStoredItem, unpackItem } from '../model/index.js';
import * as msg from '../model/messages.js';
import { type Action, itemCollectionMetrics, checkValues, admit, attributeMap, chargeWrite, dataTableName, returnConsumedCapacity } from './common.js';
import { type ConditionalInput, compileCondition, enforce } from './conditions.js';
import { conditionalOperator, expected, expressionNames, expressionString } from './expressions.js';
import type { Shape } from './shape.js';

interface Input extends ConditionalInput {
  TableName: string;
  Key: Item;
  UpdateExpression?: string;
  AttributeUpdates?: Record<string, LegacyUpdate>;
  ReturnValues?: 'NONE' | 'ALL_OLD' | 'UPDATED_OLD' | 'ALL_NEW' | 'UPDATED_NEW';
  ReturnConsumedCapacity?: string;
  ReturnItemCollectionMetrics?: string;
}

interface Prepared {
  condition?: Condition;
  update?: Update;
}

const attributeUpdates: Shape = {
  type: 'map',
  javaValueType: 'com.amazonaws.dynamodb.v20120810.AttributeValueUpdate',
  value: {
    type: 'struct',
    name: 'AttributeValueUpdate',
    members: {
      Action: { type: 'string', enum: ['ADD', 'PUT', 'DELETE'] },
      Value: { type: 'attributeValue' },
    },
  },
};

export const UpdateItem: Action<Input, Prepared> = {
  members: {
    ReturnConsumedCapacity: returnConsumedCapacity,
    TableName: dataTableName,
    ReturnValues: { type: 'string', enum: ['ALL_NEW', 'UPDATED_OLD', 'ALL_OLD', 'NONE', 'UPDATED_NEW'] },
    ReturnItemCollectionMetrics: { type: 'string', enum: ['SIZE', 'NONE'] },
    Key: attributeMap(true),
    AttributeUpdates: attributeUpdates,
    ConditionalOperator: conditionalOperator,
    Expected: expected,
    UpdateExpression: expressionString,
    ConditionExpression: expressionString,
    ExpressionAttributeValues: attributeMap(false),
    ExpressionAttributeNames: expressionNames,
    ReturnValuesOnConditionCheckFailure: { type: 'string', enum: ['ALL_OLD', 'NONE'] },
  },

  check(input) {
    const request = input as Input & Record<string, unknown>;
    const invalid = checkValues(input.Key);
    if (invalid) return invalid;
    const legacy = checkAttributeUpdates(input.AttributeUpdates);
    if (legacy) return legacy;
    const compiled = compileCondition(request, ['AttributeUpdates', 'Expected'], ['UpdateExpression', 'ConditionExpression']);
    if (typeof compiled === 'string') return compiled;
    return { condition: compiled.condition, update: compiled.update ?? (input.AttributeUpdates && attributeUpdatesToAst(input.AttributeUpdates)) };
  },

  run(db: Database, input, { condition, update }) {
    const table = db.table(input.TableName);
    const keyMessage = table.checkKey(input.Key);
    if (keyMessage) throw new DynamoError('ValidationException', keyMessage);
    if (update) {
      for (const key of [table.hash, table.range]) {
        if (key && touches(update, key.name)) throw new DynamoError('ValidationException', msg.updatesKeyAttribute(key.name));
      }
    }
    // The key in stored form (numbers normalised, binaries base64): a new item starts from it.
    const key = table.keyOf(toStoredItem(input.Key));
    let old: Item | undefined;
    let applied: { item: Item; updated: Path[] } | undefined;
    let size = 0;
    admit(db, table, 'write');
    const { old: before, oldSize } = table.upsert(key, (packed) => {
      old = packed && unpackItem(packed);
      enforce(condition, () => old, input);
      // `old` is a private copy: the update may work on it in place unless the old values are returned.
      const keepOld = input.ReturnValues === 'ALL_OLD' || input.ReturnValues === 'UPDATED_OLD';
      const result = update ? applyUpdate(old, update, key, !keepOld) : { item: old ?? key, updated: [] as Path[] };
      if (result.message !== undefined) throw new DynamoError('ValidationException', result.message);
      size = itemSize(result.item);
      if (size > MAX_ITEM_SIZE) throw new DynamoError('ValidationException', msg.UPDATED_ITEM_TOO_LARGE);
      applied = result;
      return { item: result.item, size };
    });
    const { item, updated } = applied!;
    const result: Record<string, unknown> = {};
    const returned = returnValues(input.ReturnValues, old, item, updated);
    if (returned && Object.keys(returned).length > 0) result.Attributes = returned;
    return Object.assign(result, chargeWrite(db, table, input.ReturnConsumedCapacity, before, item, oldSize, size), itemCollectionMetrics(table, input.ReturnItemCollectionMetrics, item));
  },
};

function returnValues(mode: Input['ReturnValues'], old: Item | undefined, item: Item, updated: Path[]): Item | undefined {
  switch (mode) {
    case 'ALL_OLD':
      return old;
    case 'ALL_NEW':
      // The table's change record holds `item`: the caller gets a copy.
      return cloneItem(item);
    case 'UPDATED_OLD':
      return old && updated.length > 0 ? project(old, updated) : undefined;
    case 'UPDATED_NEW':
      return updated.length > 0 ? project(item, updated) : undefined;
    default:
      return undefined;
  }
}

/** Whether an update writes the top-level attribute `name`. */
function touches(update: Update, name: string): boolean {
  const paths = [...update.set.map((a) => a.path), ...update.remove, ...update.add.map((a) => a.path), ...update.delete.map((a) => a.path)];
  return paths.some((path) => path[0] === name);
}
