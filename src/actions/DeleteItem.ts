import type { Database } from '../engine/database.js';
import { type Item, DynamoError, validateAttributeValue, unpackItem } from '../model/index.js';
import * as msg from '../model/messages.js';
import { type Action, attributeMap, consumed, dataTableName, returnConsumedCapacity, writeUnits, notYet, expected, expression, expressionNames } from './common.js';
import type { Shape } from './shape.js';

interface Input {
  TableName: string;
  Key: Item;
  ReturnValues?: string;
  ReturnConsumedCapacity?: string;
}

export const DeleteItem: Action<Input> = {
  members: {
    ReturnConsumedCapacity: returnConsumedCapacity,
    TableName: dataTableName,
    ReturnValues: { type: 'string', enum: ['ALL_NEW', 'UPDATED_OLD', 'ALL_OLD', 'NONE', 'UPDATED_NEW'] },
    ReturnItemCollectionMetrics: { type: 'string', enum: ['SIZE', 'NONE'] },
    Key: attributeMap(true),
    ConditionalOperator: notYet<Shape>({ type: 'string', enum: ['OR', 'AND'] }),
    Expected: expected,
    ConditionExpression: expression,
    ExpressionAttributeValues: notYet(attributeMap(false)),
    ExpressionAttributeNames: expressionNames,
    ReturnValuesOnConditionCheckFailure: { type: 'string', enum: ['ALL_OLD', 'NONE'] },
  },

  check(input) {
    for (const name in input.Key) {
      const message = validateAttributeValue(input.Key[name]);
      if (message) return message;
    }
    if (input.ReturnValues != null && input.ReturnValues !== 'ALL_OLD' && input.ReturnValues !== 'NONE') {
      return msg.RETURN_VALUES_PUT_DELETE;
    }
    return undefined;
  },

  run(db: Database, input) {
    const table = db.table(input.TableName);
    const keyMessage = table.checkKey(input.Key);
    if (keyMessage) throw new DynamoError('ValidationException', keyMessage);
    const { old, oldSize } = table.delete(input.Key);
    const result: Record<string, unknown> = {};
    if (old && input.ReturnValues === 'ALL_OLD') result.Attributes = unpackItem(old);
    return Object.assign(result, consumed(table, input.ReturnConsumedCapacity, writeUnits(oldSize, 0)));
  },
};
