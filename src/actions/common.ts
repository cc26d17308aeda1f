/** Shapes and steps shared by several actions. */
import type { Database } from '../engine/database.js';
import type { Index, Table } from '../engine/table.js';
import { DynamoError, type PackedItem, cloneAttributeValue, validateAttributeValue } from '../model/index.js';
import * as msg from '../model/messages.js';
import { STREAM_VIEW_TYPES, type Stream } from '../streams/streams.js';
import type { Item } from '../model/index.js';
import { type ListShape, type Shape, type StringShape, type StructShape, checkShape } from './shape.js';

/**
 * An action: its request shape, its own checks after the shape, and what it does. `check` returns
 * DynamoDB's ValidationException message, or what it worked out for `run` (compiled expressions).
 */
export interface Action<In = Record<string, unknown>, Prepared = undefined> {
  members: Record<string, Shape>;
  check?(input: In): string | Prepared | undefined;
  /**
   * `wire` is set when the output goes to the wire protocol: stored items may then be returned as
   * WireItems (outputItem), which the protocol writes without unpacking them.
   */
  run(db: Database, input: In, prepared: Prepared, wire: boolean): unknown;
}

/**
 * Runs one action on a request: the shape, the action's own checks, then the action. Failures are
 * thrown as DynamoErrors; dispatch and the PartiQL actions (which run item actions) share this.
 */
export function perform(db: Database, handler: Action<any, any>, request: Record<string, unknown>, wire = false): unknown {
  const failure = checkShape(request, handler.members);
  if (failure) throw new DynamoError(failure.type, failure.message);
  const checked = handler.check?.(request);
  if (typeof checked === 'string') throw new DynamoError('ValidationException', checked);
  return handler.run(db, request, checked, wire);
}

export const NAME_PATTERN = '[a-zA-Z0-9_.-]+';

/** TableName of the data-plane actions (which also accept an ARN, hence length 1). */
export const dataTableName: StringShape = { type: 'string', notNull: true, pattern: NAME_PATTERN, minLength: 1, maxLength: 255 };
/** TableName of the control-plane actions. */
export const controlTableName: StringShape = { type: 'string', required: true, pattern: NAME_PATTERN, minLength: 3, maxLength: 255 };

export const returnConsumedCapacity: StringShape = { type: 'string', enum: ['INDEXES', 'TOTAL', 'NONE'] };

export const attributeMap = (notNull: boolean): Shape => ({
  type: 'map',
  javaValueType: 'com.amazonaws.dynamodb.v20120810.AttributeValue',
  value: { type: 'attributeValue' },
  notNull,
});

export const provisionedThroughput: StructShape = {
  type: 'struct',
  name: 'ProvisionedThroughput',
  members: {
    WriteCapacityUnits: { type: 'long', notNull: true, min: 1 },
    ReadCapacityUnits: { type: 'long', notNull: true, min: 1 },
  },
};

export const attributeDefinitions = (notNull: boolean): ListShape => ({
  type: 'list',
  notNull,
  member: {
    type: 'struct',
    name: 'AttributeDefinition',
    members: {
      AttributeName: { type: 'string', notNull: true, minLength: 1, maxLength: 255 },
      AttributeType: { type: 'string', notNull: true, enum: ['B', 'N', 'S'] },
    },
  },
});

/** A secondary index's Projection. */
export const projection: StructShape = {
  type: 'struct',
  name: 'Projection',
  notNull: true,
  members: {
    ProjectionType: { type: 'string', enum: ['ALL', 'INCLUDE', 'KEYS_ONLY'] },
    NonKeyAttributes: { type: 'list', minLength: 1, member: { type: 'string' } },
  },
};

/** A secondary index's IndexName. */
export const indexName: StringShape = { type: 'string', notNull: true, pattern: NAME_PATTERN, minLength: 3, maxLength: 255 };

export const keySchema = (keyTypeEnum: boolean): ListShape => ({
  type: 'list',
  notNull: true,
  minLength: 1,
  maxLength: 2,
  member: {
    type: 'struct',
    name: 'KeySchemaElement',
    members: {
      AttributeName: { type: 'string', notNull: true, minLength: 1, maxLength: 255 },
      KeyType: keyTypeEnum ? { type: 'string', notNull: true, enum: ['HASH', 'RANGE'] } : { type: 'string', notNull: true },
    },
  },
});

/** StreamSpecification of CreateTable and UpdateTable. */
export const streamSpecification: StructShape = {
  type: 'struct',
  name: 'StreamSpecification',
  members: {
    StreamEnabled: { type: 'boolean', notNull: true },
    StreamViewType: { type: 'string', enum: STREAM_VIEW_TYPES },
  },
};

/** StreamArn of the Streams API (length bounds from the service model). */
export const streamArn: StringShape = { type: 'string', required: true, minLength: 37, maxLength: 1024 };
/** ShardId of the Streams API. */
export const shardId: StringShape = { type: 'string', required: true, minLength: 28, maxLength: 65 };

/** The stream an ARN names, enabled or disabled within its 24 hours. */
export function streamOf(db: Database, arn: string): Stream {
  const stream = db.streams.get(arn);
  if (!stream) throw new DynamoError('ResourceNotFoundException', msg.streamNotFound(arn));
  return stream;
}

/** DynamoDB's message for the first invalid AttributeValue of a map (Item, Key, ExclusiveStartKey). */
export function checkValues(values: Item | undefined): string | undefined {
  for (const name in values) {
    const message = validateAttributeValue(values[name]);
    if (message) return message;
  }
  return undefined;
}


import { writeUnits } from '../engine/capacity.js';

export { readUnits, writeUnits } from '../engine/capacity.js';

/** The units one request consumed: on the table, and on each index it read or wrote. */
export interface Units {
  table: number;
  indexes?: Map<Index, number>;
}

/** ConsumedCapacity as DynamoDB reports it for ReturnConsumedCapacity TOTAL or INDEXES. */
export function consumed(table: Table, mode: unknown, units: number | Units): { ConsumedCapacity?: Record<string, unknown> } {
  if (mode !== 'TOTAL' && mode !== 'INDEXES') return {};
  const { table: tableUnits, indexes } = typeof units === 'number' ? { table: units, indexes: undefined } : units;
  let total = tableUnits;
  const global: Record<string, { CapacityUnits: number }> = {};
  const local: Record<string, { CapacityUnits: number }> = {};
  for (const [index, n] of indexes ?? []) {
    total += n;
    (index.definition.global ? global : local)[index.name] = { CapacityUnits: n };
  }
  if (mode === 'TOTAL') return { ConsumedCapacity: { TableName: table.name, CapacityUnits: total } };
  const report: Record<string, unknown> = { TableName: table.name, CapacityUnits: total, Table: { CapacityUnits: tableUnits } };
  if (Object.keys(local).length > 0) report.LocalSecondaryIndexes = local;
  if (Object.keys(global).length > 0) report.GlobalSecondaryIndexes = global;
  return { ConsumedCapacity: report };
}

/**
 * Provisioned throughput: the message refusing a request once the table (or, for writes, any of
 * its GSIs; for reads through a GSI, that index) has used up its rate and its burst bank.
 */
function throttled(db: Database, table: Table, kind: 'read' | 'write', through?: Index): string | undefined {
  // Only a PROVISIONED table has buckets, and its GSIs only then (Database.provision): on-demand
  // requests, the common case, skip the clock.
  if (!table.buckets) return undefined;
  const now = db.now();
  if (through?.buckets) return through.buckets[kind].admits(now) ? undefined : msg.INDEX_THROUGHPUT_EXCEEDED;
  if (table.buckets && !table.buckets[kind].admits(now)) return msg.TABLE_THROUGHPUT_EXCEEDED;
  if (kind === 'write') {
    for (const index of table.indexes) {
      if (index.buckets && !index.buckets.write.admits(now)) return msg.INDEX_THROUGHPUT_EXCEEDED;
    }
  }
  return undefined;
}

/** Throws ProvisionedThroughputExceededException when the request may not start (see throttled). */
export function admit(db: Database, table: Table, kind: 'read' | 'write', through?: Index): void {
  const message = throttled(db, table, kind, through);
  if (message) throw new DynamoError('ProvisionedThroughputExceededException', message);
}

/** Whether a request may start; batches leave throttled work unprocessed instead of failing. */
export function admits(db: Database, table: Table, kind: 'read' | 'write'): boolean {
  return throttled(db, table, kind) === undefined;
}

/** Charges what a request consumed against the provisioned buckets (on-demand tables only meter). */
export function charge(db: Database, table: Table, kind: 'read' | 'write', units: number | Units): void {
  if (!table.buckets) return;
  const now = db.now();
  const { table: tableUnits, indexes } = typeof units === 'number' ? { table: units, indexes: undefined } : units;
  table.buckets?.[kind].charge(tableUnits, now);
  for (const [index, n] of indexes ?? []) {
    // A local index consumes its table's capacity.
    (index.definition.global ? index.buckets : table.buckets)?.[kind].charge(n, now);
  }
}

/**
 * Charges a write (on the table and on every index it touched) and reports it as asked. Index
 * units are worked out only when someone will look at them: a report, or provisioned buckets.
 */
export function chargeWrite(
  db: Database,
  table: Table,
  mode: unknown,
  before: PackedItem | undefined,
  after: Item | undefined,
  oldSize: number,
  newSize: number,
): { ConsumedCapacity?: Record<string, unknown> } {
  const units: Units = { table: writeUnits(oldSize, newSize) };
  if (table.indexes.length > 0 && (mode === 'TOTAL' || mode === 'INDEXES' || table.buckets)) units.indexes = table.indexWriteUnits(before, after);
  charge(db, table, 'write', units);
  return consumed(table, mode, units);
}

/**
 * ItemCollectionMetrics for ReturnItemCollectionMetrics SIZE: only tables with local secondary
 * indexes have item collections to report. The estimate is the collection's size in GB, as both
 * bounds (dynoxide's reading of the service).
 */
export function itemCollectionMetrics(table: Table, mode: unknown, key: Item): { ItemCollectionMetrics?: Record<string, unknown> } {
  if (mode !== 'SIZE') return {};
  const bytes = table.collectionBytes(key);
  if (bytes === undefined) return {};
  const gb = bytes / 1024 ** 3;
  return { ItemCollectionMetrics: { ItemCollectionKey: { [table.hash.name]: cloneAttributeValue(key[table.hash.name]) }, SizeEstimateRangeGB: [gb, gb] } };
}

/** Charges a read (of the table, or through an index) and reports it as asked. */
export function chargeRead(db: Database, table: Table, mode: unknown, units: number, through?: Index): { ConsumedCapacity?: Record<string, unknown> } {
  const charged: Units = through ? { table: 0, indexes: new Map([[through, units]]) } : { table: units };
  charge(db, table, 'read', charged);
  return consumed(table, mode, charged);
}

export type { Item };
