import type { Database } from '../engine/database.js';
import { type Item, DynamoError, validateAttributeValue } from '../model/index.js';
import { type Action, attributeMap, consumed, dataTableName, readUnits, returnConsumedCapacity, notYet, expression, expressionNames } from './common.js';
import type { Shape } from './shape.js';

interface Input {
  TableName: string;
  Key: Item;
  ConsistentRead?: boolean;
  ReturnConsumedCapacity?: string;
}

export const GetItem: Action<Input> = {
  members: {
    ReturnConsumedCapacity: returnConsumedCapacity,
    AttributesToGet: notYet<Shape>({ type: 'list', minLength: 1, maxLength: 255, member: { type: 'string' } }),
    TableName: dataTableName,
    Key: attributeMap(true),
    ConsistentRead: { type: 'boolean' },
    ProjectionExpression: expression,
    ExpressionAttributeNames: expressionNames,
  },

  check(input) {
    for (const name in input.Key) {
      const message = validateAttributeValue(input.Key[name]);
      if (message) return message;
    }
    return undefined;
  },

  run(db: Database, input) {
    const table = db.table(input.TableName);
    const keyMessage = table.checkKey(input.Key);
    if (keyMessage) throw new DynamoError('ValidationException', keyMessage);
    const item = table.get(input.Key);
    const result: Record<string, unknown> = item ? { Item: item } : {};
    if (input.ReturnConsumedCapacity != null && input.ReturnConsumedCapacity !== 'NONE') {
      Object.assign(result, consumed(table, input.ReturnConsumedCapacity, readUnits(item ? table.lastReadSize : 0, input.ConsistentRead)));
    }
    return result;
  },
};
