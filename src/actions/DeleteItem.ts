import type { Database } from '../engine/database.js';
import type { Condition } from '../expressions/ast.js';
import { type Item, DynamoError, unpackItem } from '../model/index.js';
import * as msg from '../model/messages.js';
import { type Action, itemCollectionMetrics, checkValues, admit, attributeMap, chargeWrite, dataTableName, returnConsumedCapacity } from './common.js';
import { type ConditionalInput, compileCondition, enforce } from './conditions.js';
import { conditionalOperator, expected, expressionNames, expressionString } from './expressions.js';

interface Input extends ConditionalInput {
  TableName: string;
  Key: Item;
  ReturnValues?: string;
  ReturnItemCollectionMetrics?: string;
  ReturnConsumedCapacity?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Item;
}

export const DeleteItem: Action<Input, { condition?: Condition }> = {
  members: {
    ReturnConsumedCapacity: returnConsumedCapacity,
    TableName: dataTableName,
    ReturnValues: { type: 'string', enum: ['ALL_NEW', 'UPDATED_OLD', 'ALL_OLD', 'NONE', 'UPDATED_NEW'] },
    ReturnItemCollectionMetrics: { type: 'string', enum: ['SIZE', 'NONE'] },
    Key: attributeMap(true),
    ConditionalOperator: conditionalOperator,
    Expected: expected,
    ConditionExpression: expressionString,
    ExpressionAttributeValues: attributeMap(false),
    ExpressionAttributeNames: expressionNames,
    ReturnValuesOnConditionCheckFailure: { type: 'string', enum: ['ALL_OLD', 'NONE'] },
  },

  check(input) {
    const invalid = checkValues(input.Key);
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
    const table = db.table(input.TableName);
    const keyMessage = table.checkKey(input.Key);
    if (keyMessage) throw new DynamoError('ValidationException', keyMessage);
    admit(db, table, 'write');
    enforce(prepared?.condition, () => table.get(input.Key), input);
    const { old, oldSize } = table.delete(input.Key);
    const result: Record<string, unknown> = {};
    if (old && input.ReturnValues === 'ALL_OLD') result.Attributes = unpackItem(old);
    return Object.assign(
      result,
      chargeWrite(db, table, input.ReturnConsumedCapacity, old, undefined, oldSize, 0),
      itemCollectionMetrics(table, input.ReturnItemCollectionMetrics, input.Key),
    );
  },
};
