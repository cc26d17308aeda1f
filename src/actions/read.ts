/** What Scan and Query share: reading one page of a key range, with DynamoDB's paging rules. */
import type { Bound, Index, Table } from '../engine/table.js';
import type { Condition, Projection } from '../expressions/ast.js';
import { evaluateCondition, project } from '../expressions/index.js';
import { type Item, type PackedItem, DynamoError, outputItem, unpackItem } from '../model/index.js';
import * as msg from '../model/messages.js';

/** A page ends once this many bytes of items have been read, before any filter (REFERENCE.md). */
const PAGE_BYTES = 1024 * 1024;

export interface PageRequest {
  lower?: Bound;
  upper?: Bound;
  forward: boolean;
  /** Items read (before the filter) at most. */
  limit: number;
  filter?: Condition;
  projection?: Projection;
  /** Count only: no items in the result. */
  count: boolean;
  /** Read through this secondary index. */
  index?: Index;
  /** The output goes to the wire protocol (see outputItem). */
  wire: boolean;
}

export interface Page {
  Items?: Item[];
  Count: number;
  ScannedCount: number;
  LastEvaluatedKey?: Item;
  /** Bytes of items read, for capacity. */
  bytes: number;
}

export function readPage(table: Table, request: PageRequest): Page {
  const { filter, projection, count, limit, index } = request;
  const items: Item[] = [];
  let scanned = 0;
  let matched = 0;
  let bytes = 0;
  let last: PackedItem | undefined;
  table.walk(request.lower, request.upper, request.forward, (packed, size) => {
    scanned++;
    bytes += size;
    last = packed;
    // The filter reads the packed item in place; only matches are unpacked.
    if (!filter || evaluateCondition(filter, packed)) {
      matched++;
      if (!count) {
        items.push(projection ? project(unpackItem(packed), projection) : outputItem(packed, request.wire));
      }
    }
    return scanned < limit && bytes < PAGE_BYTES;
  }, index);
  const page: Page = count ? { Count: matched, ScannedCount: scanned, bytes } : { Items: items, Count: matched, ScannedCount: scanned, bytes };
  // DynamoDB reports a LastEvaluatedKey whenever a page stops at its limit, even if nothing follows.
  if (last && (scanned >= limit || bytes >= PAGE_BYTES)) page.LastEvaluatedKey = table.keyOfPacked(last, index);
  return page;
}

/** The attributes an index holds (undefined: all of them), for reads through it. */
export function indexProjection(table: Table, index: Index): Projection | undefined {
  const { ProjectionType: type, NonKeyAttributes: extra = [] } = index.definition.projection;
  if (type === 'ALL') return undefined;
  const names = new Set([table.hash.name, table.range?.name, index.hash.name, index.range?.name, ...(type === 'INCLUDE' ? extra : [])]);
  return [...names].filter((name): name is string => name !== undefined).map((name) => [name]);
}

/** The index a Query or Scan names, after DynamoDB's checks on using it. */
export function indexFor(table: Table, input: { IndexName?: string; ConsistentRead?: boolean; Select?: string; ExclusiveStartKey?: Item }): Index {
  const invalid = (message: string) => new DynamoError('ValidationException', message);
  const index = table.index(input.IndexName!);
  if (!index) throw invalid(`The table does not have the specified index: ${input.IndexName}`);
  if (index.definition.global && input.ConsistentRead === true) throw invalid('Consistent reads are not supported on global secondary indexes');
  if (index.definition.global && input.Select === 'ALL_ATTRIBUTES' && index.definition.projection.ProjectionType !== 'ALL') {
    throw invalid(`One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index ${index.name} because its projection type is not ALL`);
  }
  const start = input.ExclusiveStartKey;
  if (start) {
    const names = new Set([table.hash.name, table.range?.name, index.hash.name, index.range?.name].filter((n) => n !== undefined));
    if (Object.keys(start).length !== names.size || [...names].some((name) => start[name!] === undefined)) throw invalid('The provided starting key is invalid');
    for (const attr of [index.hash, index.range]) {
      if (attr && (start[attr.name] as Record<string, unknown>)[attr.type] === undefined) throw invalid('The provided starting key is invalid');
    }
    const tableKey: Item = { [table.hash.name]: start[table.hash.name] };
    if (table.range) tableKey[table.range.name] = start[table.range.name];
    const message = table.checkKey(tableKey);
    if (message) throw invalid(msg.invalidStartKey(message));
  }
  return index;
}
