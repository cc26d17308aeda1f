import type { Database } from '../engine/database.js';
import { successor } from '../engine/keyspace.js';
import { type Bound, type Index, type Table, compareBytes } from '../engine/table.js';
import type { Condition, Projection } from '../expressions/ast.js';
import { compareValues } from '../expressions/compare.js';
import {
  type LegacyCondition,
  attributesToGetToProjection,
  checkAttributesToGet,
  checkConditions,
  conditionsToAst,
} from '../expressions/legacy.js';
import { type AttributeValue, type Item, DynamoError, base64ToBytes, validateAttributeValue } from '../model/index.js';
import * as msg from '../model/messages.js';
import { type Action, NAME_PATTERN, admit, attributeMap, chargeRead, dataTableName, readUnits, returnConsumedCapacity } from './common.js';
import { attributesToGet, checkMixing, compileExpressions, conditionalOperator, conditions, expressionNames, expressionString } from './expressions.js';
import { indexFor, indexProjection, readPage } from './read.js';

interface Input {
  TableName: string;
  IndexName?: string;
  KeyConditionExpression?: string;
  KeyConditions?: Record<string, LegacyCondition>;
  FilterExpression?: string;
  QueryFilter?: Record<string, LegacyCondition>;
  ConditionalOperator?: string;
  ProjectionExpression?: string;
  AttributesToGet?: string[];
  Select?: string;
  Limit?: number;
  ExclusiveStartKey?: Item;
  ScanIndexForward?: boolean;
  ConsistentRead?: boolean;
  ReturnConsumedCapacity?: string;
}

/** What check() compiles for run(). */
interface Compiled {
  keyConditions: Record<string, LegacyCondition>;
  filter?: Condition;
  projection?: Projection;
}

/** Key-condition operators, legacy names: what each one turns into as a key range. */
type RangeOperator = 'EQ' | 'LT' | 'LE' | 'GT' | 'GE' | 'BETWEEN' | 'BEGINS_WITH';

const EXPRESSIONS = ['ProjectionExpression', 'FilterExpression', 'KeyConditionExpression'];
const LEGACY = ['AttributesToGet', 'QueryFilter', 'ConditionalOperator', 'KeyConditions'];
const NOT_INDEXABLE = ['NULL', 'NOT_NULL', 'NE', 'CONTAINS', 'NOT_CONTAINS', 'IN'];

export const Query: Action<Input, Compiled> = {
  members: {
    Select: { type: 'string', enum: ['SPECIFIC_ATTRIBUTES', 'COUNT', 'ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES'] },
    IndexName: { type: 'string', pattern: NAME_PATTERN, minLength: 3, maxLength: 255 },
    ReturnConsumedCapacity: returnConsumedCapacity,
    QueryFilter: conditions,
    TableName: dataTableName,
    ConditionalOperator: conditionalOperator,
    AttributesToGet: attributesToGet,
    // Query words its Limit failure unlike every other action (conformance suite): see check().
    Limit: { type: 'integer' },
    KeyConditions: conditions,
    ExclusiveStartKey: attributeMap(false),
    ConsistentRead: { type: 'boolean' },
    ScanIndexForward: { type: 'boolean' },
    KeyConditionExpression: expressionString,
    FilterExpression: expressionString,
    ProjectionExpression: expressionString,
    ExpressionAttributeValues: attributeMap(false),
    ExpressionAttributeNames: expressionNames,
  },

  check(input) {
    if (input.Limit != null && input.Limit < 1) {
      return "1 validation error detected: Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1";
    }
    const request = input as unknown as Record<string, unknown>;
    const mixed = checkMixing(request, EXPRESSIONS, LEGACY);
    if (mixed) return mixed;
    const legacy = checkConditions(input.QueryFilter) ?? checkConditions(input.KeyConditions) ?? checkAttributesToGet(input.AttributesToGet);
    if (legacy) return legacy;
    for (const name in input.ExclusiveStartKey) {
      const message = validateAttributeValue(input.ExclusiveStartKey[name]);
      if (message) return /contains duplicates|number set|numeric value|significant digits|number with magnitude/.test(message) ? message : msg.invalidStartKey(message);
    }
    if (input.KeyConditions == null && input.KeyConditionExpression == null) {
      return 'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.';
    }
    const compiled = compileExpressions(request, ['KeyConditionExpression', 'FilterExpression', 'ProjectionExpression']);
    if (typeof compiled === 'string') return compiled;
    const projection = compiled.projection ?? (input.AttributesToGet && attributesToGetToProjection(input.AttributesToGet));
    const select = input.Select;
    if (select === 'SPECIFIC_ATTRIBUTES' && !projection) {
      return '1 validation error detected: Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES';
    }
    if (projection && select !== undefined && select !== 'SPECIFIC_ATTRIBUTES') {
      const parameter = input.ProjectionExpression != null ? 'ProjectionExpression' : 'AttributesToGet';
      return `Cannot specify the ${parameter} when choosing to get ${select === 'COUNT' ? 'only the Count' : select}`;
    }
    if (select === 'ALL_PROJECTED_ATTRIBUTES' && input.IndexName == null) return 'ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName';
    let keyConditions = input.KeyConditions;
    if (compiled.keyCondition) {
      const converted = toKeyConditions(compiled.keyCondition);
      if (typeof converted === 'string') return converted;
      keyConditions = converted;
    }
    const count = Object.keys(keyConditions!).length;
    if (count !== 1 && count !== 2) return 'Conditions can be of length 1 or 2 only';
    const filter = compiled.filter ?? (input.QueryFilter && conditionsToAst(input.QueryFilter, input.ConditionalOperator));
    return { keyConditions: keyConditions!, filter, projection };
  },

  run(db: Database, input, { keyConditions, filter, projection }, wire) {
    const table = db.table(input.TableName);
    const index = input.IndexName == null ? undefined : indexFor(table, input);
    const schema = index ?? table;
    const range = keyRange(table, index, keyConditions, input.ExclusiveStartKey);
    if (filter) {
      for (const key of [schema.hash, schema.range]) {
        if (key && mentions(filter, key.name)) {
          const parameter = input.QueryFilter != null ? 'QueryFilter' : 'Filter Expression';
          throw new DynamoError('ValidationException', `${parameter} can only contain non-primary key attributes: Primary key attribute: ${key.name}`);
        }
      }
    }
    admit(db, table, 'read', index);
    const forward = input.ScanIndexForward !== false;
    let { lower, upper } = range;
    if (input.ExclusiveStartKey) {
      const after: Bound = { key: table.encodeKeyOf(input.ExclusiveStartKey, index), inclusive: false };
      if (forward) lower = after;
      else upper = after;
    }
    const page = readPage(table, {
      lower,
      upper,
      forward,
      limit: input.Limit == null ? Infinity : Math.trunc(input.Limit),
      filter,
      projection: projection ?? (index && input.Select !== 'ALL_ATTRIBUTES' ? indexProjection(table, index) : undefined),
      count: input.Select === 'COUNT',
      index,
      wire,
    });
    const { bytes, ...result } = page;
    return Object.assign(result, chargeRead(db, table, input.ReturnConsumedCapacity, readUnits(bytes, input.ConsistentRead), index));
  },
};


/**
 * A KeyConditionExpression as the KeyConditions it stands for (dynalite does the same): one
 * condition per key attribute, joined by AND.
 */
function toKeyConditions(condition: Condition): Record<string, LegacyCondition> | string {
  const result: Record<string, LegacyCondition> = {};
  const leaves: Condition[] = [];
  const collect = (c: Condition): void => {
    if (c.kind === 'and') {
      collect(c.left);
      collect(c.right);
    } else {
      leaves.push(c);
    }
  };
  collect(condition);
  const FLIP = { '=': 'EQ', '<': 'GT', '<=': 'GE', '>': 'LT', '>=': 'LE' } as const;
  const OPS = { '=': 'EQ', '<': 'LT', '<=': 'LE', '>': 'GT', '>=': 'GE' } as const;
  for (const leaf of leaves) {
    let name: string | undefined;
    let operator: string;
    let values: AttributeValue[];
    if (leaf.kind === 'compare' && leaf.op !== '<>') {
      if (leaf.left.kind === 'path' && leaf.right.kind === 'value') {
        name = leaf.left.path[0] as string;
        operator = OPS[leaf.op];
        values = [leaf.right.value];
      } else if (leaf.right.kind === 'path' && leaf.left.kind === 'value') {
        name = leaf.right.path[0] as string;
        operator = FLIP[leaf.op];
        values = [leaf.left.value];
      } else {
        return 'Invalid condition in KeyConditionExpression: No key attribute specified';
      }
    } else if (leaf.kind === 'between' && leaf.operand.kind === 'path' && leaf.low.kind === 'value' && leaf.high.kind === 'value') {
      name = leaf.operand.path[0] as string;
      operator = 'BETWEEN';
      values = [leaf.low.value, leaf.high.value];
    } else if (leaf.kind === 'begins_with' && leaf.operand.kind === 'path' && leaf.prefix.kind === 'value') {
      name = leaf.operand.path[0] as string;
      operator = 'BEGINS_WITH';
      values = [leaf.prefix.value];
    } else {
      return `Invalid operator used in KeyConditionExpression: ${leaf.kind === 'compare' ? leaf.op : leaf.kind.toUpperCase()}`;
    }
    if (result[name]) return 'KeyConditionExpressions must only contain one condition per key';
    result[name] = { ComparisonOperator: operator, AttributeValueList: values };
  }
  return result;
}

/**
 * Checks the key conditions against the key schema (the table's or the index's) and turns them
 * into a range of encoded keys. Bounds are prefixes: an index key continues with the table key.
 */
function keyRange(table: Table, index: Index | undefined, conditions: Record<string, LegacyCondition>, start: Item | undefined): { lower: Bound; upper: Bound } {
  const invalid = (message: string) => new DynamoError('ValidationException', message);
  const schema = index ?? table;
  const names = Object.keys(conditions);
  if (start && !index) {
    const message = table.checkKey(start);
    if (message) throw invalid(msg.invalidStartKey(message));
  }
  for (const key of [schema.hash, schema.range]) {
    if (!key) {
      if (names.length > 1) throw invalid('Query key condition not supported');
      continue;
    }
    const isHash = key === schema.hash;
    const condition = conditions[key.name];
    if (!condition) {
      if (isHash || names.length > 1) throw invalid(`Query condition missed key schema element: ${key.name}`);
      continue;
    }
    if (NOT_INDEXABLE.includes(condition.ComparisonOperator)) throw invalid('Attempted conditional constraint is not an indexable operation');
    if ((condition.AttributeValueList ?? []).some((v) => (v as Record<string, unknown>)[key.type] == null)) {
      throw invalid('One or more parameter values were invalid: Condition parameter type does not match schema type');
    }
    if (isHash && condition.ComparisonOperator !== 'EQ') throw invalid('Query key condition not supported');
    // DynamoDB refuses an empty partition key value rather than answering no items (moto#7062 quotes the message).
    if (isHash && key.type !== 'N' && raw(condition.AttributeValueList![0], key.type).length === 0) {
      throw invalid(key.type === 'S' ? msg.emptyKeyString(key.name) : msg.emptyKeyBinary(key.name));
    }
  }
  const hashValue = raw(conditions[schema.hash.name].AttributeValueList![0], schema.hash.type);
  const prefix = table.encodeKeyParts(hashValue, undefined, index);
  const collectionEnd = successor(prefix);
  const rangeCondition = schema.range && conditions[schema.range.name];
  // Everything with this prefix: [prefix, successor(prefix)).
  const from = (key: Uint8Array): Bound => ({ key, inclusive: true });
  const until = (key: Uint8Array): Bound => {
    const end = successor(key);
    return end ? { key: end, inclusive: false } : { key, inclusive: true };
  };
  let lower = from(prefix);
  let upper = until(prefix);
  if (rangeCondition && schema.range) {
    const rangeType = schema.range.type;
    const values = rangeCondition.AttributeValueList!.map((v) => raw(v, rangeType));
    const at = (i: number) => table.encodeKeyParts(hashValue, values[i], index);
    switch (rangeCondition.ComparisonOperator as RangeOperator) {
      case 'EQ':
        lower = from(at(0));
        upper = until(at(0));
        break;
      case 'LT':
        upper = { key: at(0), inclusive: false };
        break;
      case 'LE':
        upper = until(at(0));
        break;
      case 'GT': {
        const end = successor(at(0));
        lower = end ? from(end) : { key: at(0), inclusive: false };
        break;
      }
      case 'GE':
        lower = from(at(0));
        break;
      case 'BETWEEN':
        if ((compareValues(rangeCondition.AttributeValueList![0], rangeCondition.AttributeValueList![1]) ?? 0) > 0) {
          throw invalid(
            `Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower operand: AttributeValue: {${rangeType}:${display(rangeCondition.AttributeValueList![0], rangeType)}}, upper operand: AttributeValue: {${rangeType}:${display(rangeCondition.AttributeValueList![1], rangeType)}}`,
          );
        }
        lower = from(at(0));
        upper = until(at(1));
        break;
      case 'BEGINS_WITH': {
        if (rangeType === 'N') throw invalid('Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N');
        // Every sort key starting with the prefix encodes to the prefix's key without its terminator.
        const key = at(0);
        const stem = key.subarray(0, key.length - 2);
        lower = from(stem);
        upper = until(stem);
        break;
      }
    }
  }
  if (start) {
    const key = table.encodeKeyOf(start, index);
    if (compareBytes(key, prefix) < 0 || (collectionEnd && compareBytes(key, collectionEnd) >= 0)) {
      throw invalid('The provided starting key is outside query boundaries based on provided conditions');
    }
    if (!inside(key, lower, upper)) throw invalid('The provided starting key does not match the range key predicate');
  }
  return { lower, upper };
}

function inside(key: Uint8Array, lower: Bound, upper: Bound): boolean {
  const low = compareBytes(key, lower.key);
  const high = compareBytes(key, upper.key);
  return (low > 0 || (low === 0 && lower.inclusive)) && (high < 0 || (high === 0 && upper.inclusive));
}

function raw(value: AttributeValue, type: 'S' | 'N' | 'B'): string | Uint8Array {
  const v = (value as Record<string, string | Uint8Array>)[type];
  return type === 'B' && typeof v === 'string' ? base64ToBytes(v) : v;
}

function display(value: AttributeValue, type: string): string {
  return String((value as Record<string, unknown>)[type]);
}

/** Whether a condition refers to the top-level attribute `name`. */
function mentions(condition: Condition, name: string): boolean {
  const seen = (o: unknown): boolean => {
    if (Array.isArray(o)) return o.some(seen);
    if (o && typeof o === 'object') {
      const node = o as Record<string, unknown>;
      if (node.kind === 'path' || Array.isArray(node.path)) {
        if ((node.path as unknown[])[0] === name) return true;
      }
      if (node.kind === 'value') return false;
      return Object.values(node).some(seen);
    }
    return false;
  };
  return seen(condition);
}
