import type { Database } from '../engine/database.js';
import { type Bound, compareBytes } from '../engine/table.js';
import { type Item, type PackedItem, DynamoError, validateAttributeValue, unpackItem } from '../model/index.js';
import * as msg from '../model/messages.js';
import { type Action, NAME_PATTERN, attributeMap, consumed, dataTableName, readUnits, returnConsumedCapacity, notYet, conditionMap, expression, expressionNames } from './common.js';
import type { Shape } from './shape.js';

interface Input {
  TableName: string;
  Limit?: number;
  ExclusiveStartKey?: Item;
  Segment?: number;
  TotalSegments?: number;
  Select?: string;
  ConsistentRead?: boolean;
  ReturnConsumedCapacity?: string;
}

/** A Scan or Query page ends once this many bytes of items have been read (before any filter). */
const PAGE_BYTES = 1024 * 1024;

export const Scan: Action<Input> = {
  members: {
    Select: { type: 'string', enum: ['SPECIFIC_ATTRIBUTES', 'COUNT', 'ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES'] },
    IndexName: notYet<Shape>({ type: 'string', pattern: NAME_PATTERN, minLength: 3, maxLength: 255 }),
    TotalSegments: { type: 'integer', min: 1, max: 1_000_000 },
    ReturnConsumedCapacity: returnConsumedCapacity,
    TableName: dataTableName,
    ConditionalOperator: notYet<Shape>({ type: 'string', enum: ['OR', 'AND'] }),
    ScanFilter: conditionMap,
    Segment: { type: 'integer', min: 0, max: 999_999 },
    Limit: { type: 'integer', min: 1 },
    AttributesToGet: notYet<Shape>({ type: 'list', minLength: 1, maxLength: 255, member: { type: 'string' } }),
    ExclusiveStartKey: attributeMap(false),
    ConsistentRead: { type: 'boolean' },
    FilterExpression: expression,
    ProjectionExpression: expression,
    ExpressionAttributeValues: notYet(attributeMap(false)),
    ExpressionAttributeNames: expressionNames,
  },

  check(input) {
    if (input.Select === 'SPECIFIC_ATTRIBUTES' || input.Select === 'ALL_PROJECTED_ATTRIBUTES') {
      return `Tidepool does not support Select ${input.Select} yet`;
    }
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
    return undefined;
  },

  run(db: Database, input) {
    const table = db.table(input.TableName);
    const start = input.ExclusiveStartKey;
    if (start) {
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
        const key = table.encodeKeyOf(start);
        if (compareBytes(key, lower.key) < 0 || (upper && compareBytes(key, upper.key) >= 0)) {
          throw new DynamoError('ValidationException', msg.invalidStartKey(msg.wrongSegment(total, segment)));
        }
      }
    }
    if (start) lower = { key: table.encodeKeyOf(start), inclusive: false };

    const limit = input.Limit == null ? Infinity : Math.trunc(input.Limit);
    const counting = input.Select === 'COUNT';
    const items: Item[] = [];
    let scanned = 0;
    let bytes = 0;
    let last: PackedItem | undefined;
    table.walk(lower, upper, true, (item, size) => {
      scanned++;
      bytes += size;
      last = item;
      if (!counting) items.push(unpackItem(item));
      return scanned < limit && bytes < PAGE_BYTES;
    });
    // DynamoDB reports a LastEvaluatedKey whenever a page stops at its limit, even if nothing follows.
    const more = scanned >= limit || bytes >= PAGE_BYTES;

    const result: Record<string, unknown> = counting ? { Count: scanned, ScannedCount: scanned } : { Items: items, Count: scanned, ScannedCount: scanned };
    if (more && last) result.LastEvaluatedKey = table.keyOfPacked(last);
    return Object.assign(result, consumed(table, input.ReturnConsumedCapacity, readUnits(bytes, input.ConsistentRead)));
  },
};

/** The first encoded key of a parallel-scan segment: segment s of t owns hashes [s * 2^64 / t, (s+1) * 2^64 / t). */
function segmentStart(segment: number, total: number): Uint8Array {
  const hash = (BigInt(segment) << 64n) / BigInt(total);
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, hash);
  return bytes;
}
