import type { Database } from '../engine/database.js';
import type { Projection } from '../expressions/ast.js';
import { project } from '../expressions/index.js';
import { attributesToGetToProjection, checkAttributesToGet } from '../expressions/legacy.js';
import { type Item, DynamoError, outputItem, unpackItem } from '../model/index.js';
import { type Action, checkValues, admit, attributeMap, chargeRead, dataTableName, readUnits, returnConsumedCapacity } from './common.js';
import { attributesToGet, checkMixing, compileExpressions, expressionNames, expressionString } from './expressions.js';

interface Input {
  TableName: string;
  Key: Item;
  ConsistentRead?: boolean;
  ReturnConsumedCapacity?: string;
  ProjectionExpression?: string;
  AttributesToGet?: string[];
  ExpressionAttributeNames?: Record<string, string>;
}

export const GetItem: Action<Input, { projection?: Projection }> = {
  members: {
    ReturnConsumedCapacity: returnConsumedCapacity,
    AttributesToGet: attributesToGet,
    TableName: dataTableName,
    Key: attributeMap(true),
    ConsistentRead: { type: 'boolean' },
    ProjectionExpression: expressionString,
    ExpressionAttributeNames: expressionNames,
  },

  check(input) {
    const request = input as Input & Record<string, unknown>;
    const mixed = checkMixing(request, ['ProjectionExpression'], ['AttributesToGet']);
    if (mixed) return mixed;
    const invalid = checkValues(input.Key);
    if (invalid) return invalid;
    const legacy = checkAttributesToGet(input.AttributesToGet);
    if (legacy) return legacy;
    if (input.ProjectionExpression == null && input.ExpressionAttributeNames == null) {
      return input.AttributesToGet ? { projection: attributesToGetToProjection(input.AttributesToGet) } : undefined;
    }
    const compiled = compileExpressions(request, ['ProjectionExpression']);
    return typeof compiled === 'string' ? compiled : { projection: compiled.projection };
  },

  run(db: Database, input, prepared, wire) {
    const table = db.table(input.TableName);
    const keyMessage = table.checkKey(input.Key);
    if (keyMessage) throw new DynamoError('ValidationException', keyMessage);
    admit(db, table, 'read');
    const item = table.getPacked(input.Key);
    const projection = prepared?.projection;
    const result: Record<string, unknown> = item ? { Item: projection ? project(unpackItem(item), projection) : outputItem(item, wire) } : {};
    return Object.assign(result, chargeRead(db, table, input.ReturnConsumedCapacity, readUnits(item ? table.lastReadSize : 0, input.ConsistentRead)));
  },
};
