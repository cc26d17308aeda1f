import type { Database } from '../engine/database.js';
import type { Table } from '../engine/table.js';
import { type Item, DynamoError, itemSize, MAX_ITEM_SIZE, toStoredItem, validateAttributeValue } from '../model/index.js';
import * as msg from '../model/messages.js';
import { type Action, itemCollectionMetrics, NAME_PATTERN, type Units, admits, attributeMap, charge, consumed, returnConsumedCapacity, writeUnits } from './common.js';
import type { StructShape } from './shape.js';

interface WriteRequest {
  PutRequest?: { Item: Item };
  DeleteRequest?: { Key: Item };
}

interface Input {
  RequestItems: Record<string, WriteRequest[]>;
  ReturnConsumedCapacity?: string;
  ReturnItemCollectionMetrics?: string;
}

/** A checked request: a put of an item in stored form with its size, or a delete by key. */
type Write = { item: Item; size: number } | { key: Item };

/** Per table, in request order. */
type Prepared = { name: string; writes: Write[] }[];

/** Requests in one call, over all tables (BatchWriteItem API reference). */
const MAX_REQUESTS = 25;
const TABLE_NAME = new RegExp(`^${NAME_PATTERN}$`);

const writeRequest: StructShape = {
  type: 'struct',
  name: 'WriteRequest',
  members: {
    DeleteRequest: { type: 'struct', name: 'DeleteRequest', members: { Key: attributeMap(true) } },
    PutRequest: { type: 'struct', name: 'PutRequest', members: { Item: attributeMap(true) } },
  },
};

/**
 * Everything is checked before anything is written, so a request that fails changes nothing. Past
 * the checks no write can fail, so UnprocessedItems is always empty: DynamoDB leaves requests
 * unprocessed only when throttled, which Tidepool does not do yet.
 */
export const BatchWriteItem: Action<Input, Prepared> = {
  members: {
    ReturnConsumedCapacity: returnConsumedCapacity,
    ReturnItemCollectionMetrics: { type: 'string', enum: ['SIZE', 'NONE'] },
    RequestItems: {
      type: 'map',
      javaValueType: 'java.util.List<com.amazonaws.dynamodb.v20120810.WriteRequest>',
      notNull: true,
      // No length bounds: the service words them as map value constraints (see check).
      value: { type: 'list', notNull: true, member: writeRequest },
    },
  },

  check(input) {
    const requests = input.RequestItems;
    const names = Object.keys(requests);
    if (names.length === 0) return msg.requestItemsRequired('BatchWriteItem');

    // Constraints the request shape cannot state; the service reports them with the shape's.
    const errors: string[] = [];
    for (const name of names) {
      if (name.length < 3 || name.length > 255 || !TABLE_NAME.test(name)) errors.push(msg.tableNamesConstraint(render(requests)));
    }
    for (const name of names) {
      const n = requests[name].length;
      if (n < 1 || n > MAX_REQUESTS) errors.push(msg.writeRequestsConstraint(render(requests)));
    }
    if (errors.length > 0) return msg.validationErrors(errors.slice(0, 10));
    let count = 0;
    for (const name of names) count += requests[name].length;
    if (count > MAX_REQUESTS) return msg.tooManyItems('BatchWriteItem');

    // Then table by table, in dynalite's order; all of this comes before the tables are looked up.
    const prepared: Prepared = [];
    for (const name of names) {
      // A WriteRequest holds exactly one of PutRequest and DeleteRequest; the service words this
      // as it does for an AttributeValue (dynalite, dynoxide: a request with neither).
      if (requests[name].some((request) => (request.PutRequest == null) === (request.DeleteRequest == null))) return msg.MULTIPLE_DATATYPES;
      const writes: Write[] = [];
      for (const request of requests[name]) {
        const values = request.PutRequest ? request.PutRequest.Item : request.DeleteRequest!.Key;
        for (const attribute in values) {
          const message = validateAttributeValue(values[attribute]);
          if (message) return message;
        }
        if (request.PutRequest) {
          const item = toStoredItem(values);
          const size = itemSize(item);
          if (size > MAX_ITEM_SIZE) return msg.ITEM_TOO_LARGE;
          writes.push({ item, size });
        } else {
          writes.push({ key: values });
        }
      }
      prepared.push({ name, writes });
    }
    return prepared;
  },

  run(db: Database, input, prepared) {
    // Tables, keys and duplicates, table by table, before any write.
    const tables: Table[] = prepared.map(({ name, writes }) => {
      const table = db.table(name);
      const seen = new Set<string>();
      for (const write of writes) {
        let key: Item;
        let message: string | undefined;
        if ('item' in write) {
          key = write.item;
          // A put whose table key is missing or of the wrong type is a schema mismatch here, not
          // PutItem's "Missing the key" or "Type mismatch" (dynalite; dynoxide #97, from the service).
          message = table.checkKey(table.keyOf(key)) ?? table.checkItemKey(key) ?? table.checkIndexKeys(key);
        } else {
          key = write.key;
          message = table.checkKey(key);
        }
        if (message) throw new DynamoError('ValidationException', message);
        const id = table.encodeKeyOf(key).join();
        if (seen.has(id)) throw new DynamoError('ValidationException', msg.BATCH_DUPLICATE_KEYS);
        seen.add(id);
      }
      return table;
    });

    // The item collection cap, for all of a table's writes together, before any is applied.
    prepared.forEach(({ writes }, i) => tables[i].checkCollections(writes.map((w) => ('item' in w ? { key: w.item, size: w.size } : { key: w.key, size: 0 }))));

    const capacity: unknown[] = [];
    const unprocessed: Record<string, unknown[]> = {};
    const collections: Record<string, unknown[]> = {};
    const mode = input.ReturnConsumedCapacity;
    prepared.forEach(({ name, writes }, i) => {
      const table = tables[i];
      // A provisioned table out of capacity leaves its writes unprocessed, for the caller to retry.
      if (!admits(db, table, 'write')) {
        unprocessed[name] = input.RequestItems[name];
        return;
      }
      const units: Units = { table: 0 };
      const perIndex = table.indexes.length > 0 && (mode === 'TOTAL' || mode === 'INDEXES' || table.buckets !== undefined);
      if (perIndex) units.indexes = new Map(table.indexes.map((index) => [index, 0]));
      for (const write of writes) {
        const done = 'item' in write ? table.put(write.item, write.size) : table.delete(write.key);
        units.table += writeUnits(done.oldSize, 'item' in write ? write.size : 0);
        if (perIndex) {
          for (const [index, n] of table.indexWriteUnits(done.old, 'item' in write ? write.item : undefined)) units.indexes!.set(index, units.indexes!.get(index)! + n);
        }
      }
      charge(db, table, 'write', units);
      const used = consumed(table, mode, units).ConsumedCapacity;
      if (used) capacity.push(used);
      // One entry per item collection the batch wrote to (tables with local indexes only).
      const seen = new Set<string>();
      for (const write of writes) {
        const key = 'item' in write ? write.item : write.key;
        const metrics = itemCollectionMetrics(table, input.ReturnItemCollectionMetrics, key).ItemCollectionMetrics;
        const id = JSON.stringify(metrics?.ItemCollectionKey);
        if (metrics && !seen.has(id)) (collections[name] ??= []).push(metrics);
        seen.add(id);
      }
    });

    const result: Record<string, unknown> = { UnprocessedItems: unprocessed };
    if (capacity.length > 0) result.ConsumedCapacity = capacity;
    if (Object.keys(collections).length > 0) result.ItemCollectionMetrics = collections;
    return result;
  },
};

/** RequestItems as the service echoes it in a constraint message: Java model objects, values as JSON. */
function render(requests: Record<string, WriteRequest[]>): string {
  const attributes = (map: Item | undefined): string =>
    map == null ? 'null' : `{${Object.entries(map).map(([name, value]) => `${name}=${JSON.stringify(value)}`).join(', ')}}`;
  const one = (request: WriteRequest): string => {
    const fields: string[] = [];
    if (request.DeleteRequest != null) fields.push(`deleteRequest=DeleteRequest(key=${attributes(request.DeleteRequest.Key)})`);
    if (request.PutRequest != null) fields.push(`putRequest=PutRequest(item=${attributes(request.PutRequest.Item)})`);
    return `WriteRequest(${fields.join(', ')})`;
  };
  return `{${Object.entries(requests).map(([name, list]) => `${name}=[${list.map(one).join(', ')}]`).join(', ')}}`;
}
