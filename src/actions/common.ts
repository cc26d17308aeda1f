/** Shapes and steps shared by several actions. */
import type { Database } from '../engine/database.js';
import type { Table } from '../engine/table.js';
import type { Item } from '../model/index.js';
import type { ListShape, Shape, StringShape, StructShape } from './shape.js';

/**
 * An action: its request shape, its own checks after the shape, and what it does. `check` returns
 * DynamoDB's ValidationException message, or what it worked out for `run` (compiled expressions).
 */
export interface Action<In = Record<string, unknown>, Prepared = undefined> {
  members: Record<string, Shape>;
  check?(input: In): string | Prepared | undefined;
  run(db: Database, input: In, prepared: Prepared): unknown;
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

/** Marks a member as not implemented yet (see Shape.unsupported). */
export function notYet<T extends Shape>(shape: T): T {
  return { ...shape, unsupported: true };
}

/** ConsumedCapacity as DynamoDB reports it for ReturnConsumedCapacity TOTAL or INDEXES. */
export function consumed(table: Table, mode: unknown, units: number): { ConsumedCapacity?: Record<string, unknown> } {
  if (mode === 'TOTAL') return { ConsumedCapacity: { TableName: table.name, CapacityUnits: units } };
  if (mode === 'INDEXES') return { ConsumedCapacity: { TableName: table.name, CapacityUnits: units, Table: { CapacityUnits: units } } };
  return {};
}

/** Write units: 1 per KB of the larger of the old and new item, at least 1. */
export function writeUnits(oldSize: number, newSize: number): number {
  return Math.max(1, Math.ceil(Math.max(oldSize, newSize) / 1024));
}

/** Read units: 1 per 4 KB (at least one block) for a strongly consistent read, half for eventual. */
export function readUnits(size: number, consistent: unknown): number {
  const blocks = Math.max(1, Math.ceil(size / 4096));
  return consistent === true ? blocks : blocks / 2;
}

export type { Item };
