import type { Database } from '../engine/database.js';
import type { Table } from '../engine/table.js';
import type { Projection } from '../expressions/ast.js';
import { project } from '../expressions/index.js';
import { attributesToGetToProjection, checkAttributesToGet } from '../expressions/legacy.js';
import { type Item, DynamoError, cloneItem, outputItem, toStoredValue, unpackItem, validateAttributeValue } from '../model/index.js';
import * as msg from '../model/messages.js';
import { type Action, NAME_PATTERN, admits, attributeMap, charge, consumed, readUnits, returnConsumedCapacity } from './common.js';
import { attributesToGet, checkMixing, compileExpressions, expressionNames, expressionString } from './expressions.js';
import type { StructShape } from './shape.js';

interface KeysAndAttributes {
  Keys: Item[];
  AttributesToGet?: string[];
  ConsistentRead?: boolean;
  ProjectionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
}

interface Input {
  RequestItems: Record<string, KeysAndAttributes>;
  ReturnConsumedCapacity?: string;
}

/** Per table, in request order. */
type Prepared = { name: string; projection?: Projection }[];

/** Keys in one call, over all tables (BatchGetItem API reference). */
const MAX_KEYS = 100;
/** A response carries at most 16 MB of items; keys past that come back as UnprocessedKeys. */
const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
const TABLE_NAME = new RegExp(`^${NAME_PATTERN}$`);

const keysAndAttributes: StructShape = {
  type: 'struct',
  name: 'KeysAndAttributes',
  notNull: true,
  members: {
    // No maxLength: the service words the 100-key limit its own way (see check).
    Keys: { type: 'list', notNull: true, minLength: 1, member: attributeMap(false) },
    AttributesToGet: attributesToGet,
    ConsistentRead: { type: 'boolean' },
    ProjectionExpression: expressionString,
    ExpressionAttributeNames: expressionNames,
  },
};

export const BatchGetItem: Action<Input, Prepared> = {
  members: {
    ReturnConsumedCapacity: returnConsumedCapacity,
    RequestItems: { type: 'map', javaValueType: 'com.amazonaws.dynamodb.v20120810.KeysAndAttributes', notNull: true, value: keysAndAttributes },
  },

  check(input) {
    const requests = input.RequestItems;
    const names = Object.keys(requests);
    if (names.length === 0) return msg.requestItemsRequired('BatchGetItem');

    // Constraints the request shape cannot state; the service reports them with the shape's.
    const errors: string[] = [];
    for (const name of names) {
      if (name.length < 3 || name.length > 255 || !TABLE_NAME.test(name)) errors.push(msg.tableNamesConstraint(render(requests)));
    }
    for (const name of names) if (requests[name].Keys.length > MAX_KEYS) errors.push(msg.keysConstraint(name));
    if (errors.length > 0) return msg.validationErrors(errors.slice(0, 10));

    // Expression and legacy parameters may not mix even across tables (dynoxide, from the service);
    // checkMixing only asks which parameters are present.
    const mixed = checkMixing(
      {
        ProjectionExpression: names.find((name) => requests[name].ProjectionExpression != null),
        AttributesToGet: names.find((name) => requests[name].AttributesToGet != null),
      },
      ['ProjectionExpression'],
      ['AttributesToGet'],
    );
    if (mixed) return mixed;

    // Then table by table, in dynalite's order: legacy names, expressions, each key.
    const prepared: Prepared = [];
    let count = 0;
    for (const name of names) {
      const request = requests[name];
      const legacy = checkAttributesToGet(request.AttributesToGet);
      if (legacy) return legacy;
      let projection: Projection | undefined;
      if (request.ProjectionExpression != null || request.ExpressionAttributeNames != null) {
        const compiled = compileExpressions(request as KeysAndAttributes & Record<string, unknown>, ['ProjectionExpression']);
        if (typeof compiled === 'string') return compiled;
        projection = compiled.projection;
      } else if (request.AttributesToGet) {
        projection = attributesToGetToProjection(request.AttributesToGet);
      }
      const seen = new Set<string>();
      for (const key of request.Keys) {
        for (const attribute in key) {
          const message = validateAttributeValue(key[attribute]);
          if (message) return message;
        }
        const id = canonicalKey(key);
        if (seen.has(id)) return msg.BATCH_DUPLICATE_KEYS;
        seen.add(id);
        if (++count > MAX_KEYS) return msg.tooManyItems('BatchGetItem');
      }
      prepared.push({ name, projection });
    }
    return prepared;
  },

  run(db: Database, input, prepared, wire) {
    const requests = input.RequestItems;
    // Every table and key is checked before anything is read.
    const tables: Table[] = prepared.map(({ name }) => {
      const table = db.table(name);
      for (const key of requests[name].Keys) {
        const message = table.checkKey(key);
        if (message) throw new DynamoError('ValidationException', message);
      }
      return table;
    });

    const responses: Record<string, Item[]> = {};
    const unprocessed: Record<string, KeysAndAttributes> = {};
    const capacity: unknown[] = [];
    let bytes = 0;
    let full = false;
    prepared.forEach(({ name, projection }, i) => {
      const table = tables[i];
      const request = requests[name];
      // A provisioned table out of capacity leaves its keys unprocessed, for the caller to retry.
      if (!admits(db, table, 'read')) {
        unprocessed[name] = retry(request, request.Keys.map(cloneItem));
        return;
      }
      const items: Item[] = [];
      const left: Item[] = [];
      let units = 0;
      for (const key of request.Keys) {
        if (full) {
          left.push(cloneItem(key));
          continue;
        }
        const item = table.getPacked(key);
        if (!item) {
          // A missing item still costs a read (REFERENCE.md: capacity).
          units += readUnits(0, request.ConsistentRead);
          continue;
        }
        const size = table.lastReadSize;
        // DynamoDB returns what fits and the rest as UnprocessedKeys, which are not read.
        if (bytes + size > MAX_RESPONSE_BYTES) {
          full = true;
          left.push(cloneItem(key));
          continue;
        }
        bytes += size;
        // Each item rounds up to 4 KB by itself, unlike Query and Scan (REFERENCE.md: capacity).
        units += readUnits(size, request.ConsistentRead);
        items.push(projection ? project(unpackItem(item), projection) : outputItem(item, wire));
      }
      responses[name] = items;
      if (left.length > 0) unprocessed[name] = retry(request, left);
      charge(db, table, 'read', units);
      const used = consumed(table, input.ReturnConsumedCapacity, units).ConsumedCapacity;
      if (used) capacity.push(used);
    });

    const result: Record<string, unknown> = { Responses: responses, UnprocessedKeys: unprocessed };
    if (capacity.length > 0) result.ConsumedCapacity = capacity;
    return result;
  },
};

/** The table's request again with only the keys left, so that it can be sent as it is. */
function retry(request: KeysAndAttributes, keys: Item[]): KeysAndAttributes {
  const again: KeysAndAttributes = { Keys: keys };
  if (request.AttributesToGet != null) again.AttributesToGet = [...request.AttributesToGet];
  if (request.ConsistentRead != null) again.ConsistentRead = request.ConsistentRead;
  if (request.ProjectionExpression != null) again.ProjectionExpression = request.ProjectionExpression;
  if (request.ExpressionAttributeNames != null) again.ExpressionAttributeNames = { ...request.ExpressionAttributeNames };
  return again;
}

/** Equal for keys naming the same item whatever the attribute order or number spelling ('1' and '1.0'). */
function canonicalKey(key: Item): string {
  return JSON.stringify(
    Object.keys(key)
      .sort()
      .map((name) => [name, toStoredValue(key[name])]),
  );
}

/** RequestItems as the service echoes it in a constraint message: Java model objects, values as JSON. */
function render(requests: Record<string, KeysAndAttributes>): string {
  const entries = Object.entries(requests).map(([name, request]) => {
    const fields: string[] = [];
    fields.push(`keys=[${request.Keys.map((key) => `{${Object.entries(key).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}}`).join(', ')}]`);
    if (request.AttributesToGet != null) fields.push(`attributesToGet=[${request.AttributesToGet.join(', ')}]`);
    if (request.ConsistentRead != null) fields.push(`consistentRead=${request.ConsistentRead}`);
    if (request.ProjectionExpression != null) fields.push(`projectionExpression=${request.ProjectionExpression}`);
    if (request.ExpressionAttributeNames != null) {
      fields.push(`expressionAttributeNames={${Object.entries(request.ExpressionAttributeNames).map(([k, v]) => `${k}=${v}`).join(', ')}}`);
    }
    return `${name}=KeysAndAttributes(${fields.join(', ')})`;
  });
  return `{${entries.join(', ')}}`;
}
