import type { Database } from '../engine/database.js';
import { type Bound, compareBytes } from '../engine/table.js';
import type { Condition, Projection } from '../expressions/ast.js';
import { type LegacyCondition, attributesToGetToProjection, checkAttributesToGet, checkConditions, conditionsToAst } from '../expressions/legacy.js';
import { type Item, DynamoError, validateAttributeValue } from '../model/index.js';
import * as msg from '../model/messages.js';
import { type Action, NAME_PATTERN, admit, attributeMap, chargeRead, dataTableName, readUnits, returnConsumedCapacity } from './common.js';
import { attributesToGet, checkMixing, compileExpressions, conditionalOperator, conditions, expressionNames, expressionString } from './expressions.js';
import { indexFor, indexProjection, readPage } from './read.js';

interface Input {
  TableName: string;
  IndexName?: string;
  Limit?: number;
  ExclusiveStartKey?: Item;
  Segment?: number;
  TotalSegments?: number;
  Select?: string;
  ConsistentRead?: boolean;
  ReturnConsumedCapacity?: string;
  FilterExpression?: string;
  ProjectionExpression?: string;
  ScanFilter?: Record<string, LegacyCondition>;
  ConditionalOperator?: string;
  AttributesToGet?: string[];
}

interface Prepared {
  filter?: Condition;
  projection?: Projection;
}

export const Scan: Action<Input, Prepared> = {
  members: {
    Select: { type: 'string', enum: ['SPECIFIC_ATTRIBUTES', 'COUNT', 'ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES'] },
    IndexName: { type: 'string', pattern: NAME_PATTERN, minLength: 3, maxLength: 255 },
    TotalSegments: { type: 'integer', min: 1, max: 1_000_000 },
    ReturnConsumedCapacity: returnConsumedCapacity,
    TableName: dataTableName,
    ConditionalOperator: conditionalOperator,
    ScanFilter: conditions,
    Segment: { type: 'integer', min: 0, max: 999_999 },
    Limit: { type: 'integer', min: 1 },
    AttributesToGet: attributesToGet,
    ExclusiveStartKey: attributeMap(false),
    ConsistentRead: { type: 'boolean' },
    FilterExpression: expressionString,
    ProjectionExpression: expressionString,
    ExpressionAttributeValues: attributeMap(false),
    ExpressionAttributeNames: expressionNames,
  },

  check(input) {
    const request = input as Input & Record<string, unknown>;
    const mixed = checkMixing(request, ['ProjectionExpression', 'FilterExpression'], ['AttributesToGet', 'ScanFilter', 'ConditionalOperator']);
    if (mixed) return mixed;
    const legacy = checkAttributesToGet(input.AttributesToGet) ?? checkConditions(input.ScanFilter);
    if (legacy) return legacy;
    for (const name in input.ExclusiveStartKey) {
      const message = validateAttributeValue(input.ExclusiveStartKey[name]);
      // DynamoDB prefixes most, but not all, starting-key value errors.
      if (message) return /contains duplicates|number set|numeric value|significant digits|number with magnitude/.test(message) ? message : msg.invalidStartKey(message);
    }
    if (input.Segment != null && input.TotalSegments == null) return msg.SEGMENT_WITHOUT_TOTAL;
    if (input.TotalSegments != null) {
      if (input.Segment == null) return msg.TOTAL_WITHOUT_SEGMENT;
      if (input.Segment >= input.TotalSegments) return msg.segmentOutOfRange(input.Segment, input.TotalSegments);
    }
    const compiled = compileExpressions(request, ['FilterExpression', 'ProjectionExpression']);
    if (typeof compiled === 'string') return compiled;
    const projection = compiled.projection ?? (input.AttributesToGet && attributesToGetToProjection(input.AttributesToGet));
    const select = input.Select;
    // Scan words this one bare, where Query wraps it in the validation envelope (dynoxide's captures).
    if (select === 'SPECIFIC_ATTRIBUTES' && !projection) return 'Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES';
    if (projection && select !== undefined && select !== 'SPECIFIC_ATTRIBUTES') {
      const parameter = input.ProjectionExpression != null ? 'ProjectionExpression' : 'AttributesToGet';
      return `Cannot specify the ${parameter} when choosing to get ${select === 'COUNT' ? 'only the Count' : select}`;
    }
    if (select === 'ALL_PROJECTED_ATTRIBUTES' && input.IndexName == null) return 'ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName';
    return { filter: compiled.filter ?? (input.ScanFilter && conditionsToAst(input.ScanFilter, input.ConditionalOperator)), projection };
  },

  run(db: Database, input, { filter, projection }, wire) {
    const table = db.table(input.TableName);
    const index = input.IndexName == null ? undefined : indexFor(table, input);
    const start = input.ExclusiveStartKey;
    if (start && !index) {
      const keyMessage = table.checkKey(start);
      if (keyMessage) throw new DynamoError('ValidationException', msg.invalidStartKey(keyMessage));
    }
    let lower: Bound | undefined;
    let upper: Bound | undefined;
    if (input.TotalSegments != null && input.TotalSegments > 1) {
      const segment = Math.trunc(input.Segment!);
      const total = Math.trunc(input.TotalSegments);
      lower = { key: segmentStart(segment, total), inclusive: true };
      if (segment + 1 < total) upper = { key: segmentStart(segment + 1, total), inclusive: false };
      if (start) {
        const key = table.encodeKeyOf(start, index);
        if (compareBytes(key, lower.key) < 0 || (upper && compareBytes(key, upper.key) >= 0)) {
          throw new DynamoError('ValidationException', msg.invalidStartKey(msg.wrongSegment(total, segment)));
        }
      }
    }
    if (start) lower = { key: table.encodeKeyOf(start, index), inclusive: false };

    admit(db, table, 'read', index);
    const { bytes, ...result } = readPage(table, {
      lower,
      upper,
      forward: true,
      limit: input.Limit == null ? Infinity : Math.trunc(input.Limit),
      filter,
      projection: projection ?? (index && input.Select !== 'ALL_ATTRIBUTES' ? indexProjection(table, index) : undefined),
      count: input.Select === 'COUNT',
      index,
      wire,
    });
    return Object.assign(result, chargeRead(db, table, input.ReturnConsumedCapacity, readUnits(bytes, input.ConsistentRead), index));
  },
};

/** The first encoded key of a parallel-scan segment: segment s of t owns hashes [s * 2^64 / t, (s+1) * 2^64 / t). */
function segmentStart(segment: number, total: number): Uint8Array {
  const hash = (BigInt(segment) << 64n) / BigInt(total);
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, hash);
  return bytes;
}
