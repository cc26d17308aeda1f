import type { Database } from '../engine/database.js';
import type { Condition } from '../expressions/ast.js';
import { type Item, DynamoError, itemSize, MAX_ITEM_SIZE, toStoredItem, unpackItem } from '../model/index.js';
import * as msg from '../model/messages.js';
import { type Action, itemCollectionMetrics, checkValues, admit, attributeMap, chargeWrite, dataTableName, returnConsumedCapacity } from './common.js';
import { type ConditionalInput, compileCondition, enforce } from './conditions.js';
import { conditionalOperator, expected, expressionNames, expressionString } from './expressions.js';

interface Input extends ConditionalInput {
  TableName: string;
  Item: Item;
  ReturnValues?: string;
  ReturnConsumedCapacity?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Item;
  ReturnItemCollectionMetrics?: string;
}

export const PutItem: Action<Input, { condition?: Condition }> = {
  members: {
    ReturnConsumedCapacity: returnConsumedCapacity,
    TableName: dataTableName,
    Item: attributeMap(true),
    ConditionalOperator: conditionalOperator,
    Expected: expected,
    ReturnValues: { type: 'string', enum: ['ALL_NEW', 'UPDATED_OLD', 'ALL_OLD', 'NONE', 'UPDATED_NEW'] },
    ReturnItemCollectionMetrics: { type: 'string', enum: ['SIZE', 'NONE'] },
    ConditionExpression: expressionString,
    ExpressionAttributeValues: attributeMap(false),
    ExpressionAttributeNames: expressionNames,
    ReturnValuesOnConditionCheckFailure: { type: 'string', enum: ['ALL_OLD', 'NONE'] },
  },

  check(input) {
    const invalid = checkValues(input.Item);
    if (invalid) return invalid;
    if (input.ReturnValues != null && input.ReturnValues !== 'ALL_OLD' && input.ReturnValues !== 'NONE') {
      return msg.RETURN_VALUES_PUT_DELETE;
    }
    if (input.ConditionExpression == null && input.Expected == null && input.ExpressionAttributeNames == null && input.ExpressionAttributeValues == null) {
      return undefined;
    }
    return compileCondition(input as Input & Record<string, unknown>);
  },

  run(db: Database, input, prepared) {
    const item = toStoredItem(input.Item);
    const size = itemSize(item);
    if (size > MAX_ITEM_SIZE) throw new DynamoError('ValidationException', msg.ITEM_TOO_LARGE);
    const table = db.table(input.TableName);
    const keyMessage = table.checkItemKey(item);
    if (keyMessage) throw new DynamoError('ValidationException', keyMessage);
    admit(db, table, 'write');
    const condition = prepared?.condition;
    const { old, oldSize } = table.upsert(item, (before) => {
      enforce(condition, () => before && unpackItem(before), input);
      return { item, size };
    });
    const result: Record<string, unknown> = {};
    if (old && input.ReturnValues === 'ALL_OLD') result.Attributes = unpackItem(old);
    return Object.assign(result, chargeWrite(db, table, input.ReturnConsumedCapacity, old, item, oldSize, size), itemCollectionMetrics(table, input.ReturnItemCollectionMetrics, item));
  },
};
