import type { Database } from '../engine/database.js';
import type { BillingMode, IndexDefinition, KeyAttribute, ScalarType } from '../engine/table.js';
import { describeTable } from './DescribeTable.js';
import { booleanOf } from '../model/index.js';
import * as msg from '../model/messages.js';
import type { StreamViewType } from '../streams/streams.js';
import { type Action, indexName, projection, attributeDefinitions, controlTableName, keySchema, provisionedThroughput, streamSpecification } from './common.js';
import type { Shape } from './shape.js';
import { type Tag, checkTags, tagList, withinTagLimit } from './tags.js';

interface Input {
  TableName: string;
  AttributeDefinitions: { AttributeName: string; AttributeType: ScalarType }[];
  KeySchema: { AttributeName: string; KeyType: string }[];
  BillingMode?: BillingMode;
  ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
  LocalSecondaryIndexes?: IndexInput[];
  GlobalSecondaryIndexes?: IndexInput[];
  StreamSpecification?: { StreamEnabled: boolean; StreamViewType?: StreamViewType };
  Tags?: Tag[];
}

/** A LocalSecondaryIndex or GlobalSecondaryIndex of the request. */
export interface IndexInput {
  IndexName: string;
  KeySchema: { AttributeName: string; KeyType: string }[];
  Projection: { ProjectionType?: 'ALL' | 'KEYS_ONLY' | 'INCLUDE'; NonKeyAttributes?: string[] };
  ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
}

const indexShape = (name: string, withThroughput: boolean): Shape => ({
  type: 'list',
  member: {
    type: 'struct',
    name,
    members: {
      IndexName: indexName,
      KeySchema: keySchema(false),
      Projection: projection,
      ...(withThroughput ? { ProvisionedThroughput: provisionedThroughput } : {}),
    },
  },
});

const MAX_THROUGHPUT = 1_000_000_000_000;

export const CreateTable: Action<Input> = {
  members: {
    AttributeDefinitions: attributeDefinitions(true),
    TableName: controlTableName,
    BillingMode: { type: 'string', enum: ['PROVISIONED', 'PAY_PER_REQUEST'] },
    ProvisionedThroughput: provisionedThroughput,
    KeySchema: keySchema(true),
    LocalSecondaryIndexes: indexShape('LocalSecondaryIndex', false),
    GlobalSecondaryIndexes: indexShape('GlobalSecondaryIndex', true),
    StreamSpecification: streamSpecification,
    Tags: tagList,
  },

  check(input) {
    const throughput = input.ProvisionedThroughput;
    if (input.BillingMode === 'PAY_PER_REQUEST') {
      if (throughput) {
        return 'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST';
      }
    } else {
      if (!throughput) {
        return 'One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED';
      }
      if (throughput.ReadCapacityUnits > MAX_THROUGHPUT) return `Given value ${throughput.ReadCapacityUnits} for ReadCapacityUnits is out of bounds`;
      if (throughput.WriteCapacityUnits > MAX_THROUGHPUT) return `Given value ${throughput.WriteCapacityUnits} for WriteCapacityUnits is out of bounds`;
    }
    const defined = input.AttributeDefinitions.map((d) => d.AttributeName);
    const keys = input.KeySchema.map((k) => k.AttributeName);
    if (keys.length > defined.length) return 'Invalid KeySchema: Some index key attribute have no definition';
    if (keys.some((k) => !defined.includes(k))) {
      return `One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [${keys.join(', ')}], AttributeDefinitions: [${defined.join(', ')}]`;
    }
    if (keys[0] === keys[1]) return 'Both the Hash Key and the Range Key element in the KeySchema have the same name';
    if (input.KeySchema[0].KeyType !== 'HASH') return 'Invalid KeySchema: The first KeySchemaElement is not a HASH key type';
    if (input.KeySchema[1] && input.KeySchema[1].KeyType !== 'RANGE') return 'Invalid KeySchema: The second KeySchemaElement is not a RANGE key type';
    const lsis = input.LocalSecondaryIndexes;
    const gsis = input.GlobalSecondaryIndexes;
    if (!lsis && !gsis && keys.length !== defined.length) {
      return 'One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions';
    }
    const names = new Set<string>();
    if (lsis) {
      if (lsis.length === 0) return `${INVALID}List of LocalSecondaryIndexes is empty`;
      if (keys.length !== 2) return `${INVALID}Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex`;
      for (const index of lsis) {
        const message = checkIndex(index, defined, names);
        if (message) return message;
        if (index.KeySchema.length !== 2) return `${INVALID}Index KeySchema does not have a range key for index: ${index.IndexName}`;
        const hash = index.KeySchema[0].AttributeName;
        if (hash !== keys[0]) {
          return `${INVALID}Index KeySchema does not have the same leading hash key as table KeySchema for index: ${index.IndexName}. index hash key: ${hash}, table hash key: ${keys[0]}`;
        }
      }
      if (lsis.length > 5) return `${INVALID}Number of LocalSecondaryIndexes exceeds per-table limit of 5`;
    }
    if (gsis) {
      if (gsis.length === 0) return `${INVALID}List of GlobalSecondaryIndexes is empty`;
      for (const index of gsis) {
        const message = checkIndex(index, defined, names);
        if (message) return message;
        if (input.BillingMode === 'PAY_PER_REQUEST' && index.ProvisionedThroughput) {
          return `${INVALID}ProvisionedThroughput should not be specified for index: ${index.IndexName} when BillingMode is PAY_PER_REQUEST`;
        }
        if (input.BillingMode !== 'PAY_PER_REQUEST' && !index.ProvisionedThroughput) {
          return `${INVALID}ProvisionedThroughput must be specified for index: ${index.IndexName}`;
        }
      }
      if (gsis.length > 20) return `${INVALID}GlobalSecondaryIndex count exceeds the per-table limit of 20`;
    }
    if (input.Tags) {
      const message = checkTags(input.Tags);
      if (message) return message;
      if (!withinTagLimit(new Map(), input.Tags)) return msg.TOO_MANY_TAGS;
    }
    const stream = input.StreamSpecification;
    if (stream && booleanOf(stream.StreamEnabled) && stream.StreamViewType == null) return msg.STREAM_ENABLED_NEEDS_VIEW_TYPE;
    if (stream && !booleanOf(stream.StreamEnabled) && stream.StreamViewType != null) return msg.STREAM_DISABLED_WITH_VIEW_TYPE;
    return undefined;
  },

  run(db: Database, input) {
    const attribute = (name: string): KeyAttribute => ({
      name,
      type: input.AttributeDefinitions.find((d) => d.AttributeName === name)!.AttributeType,
    });
    const billingMode = input.BillingMode ?? 'PROVISIONED';
    const table = db.createTable(
      {
        name: input.TableName,
        attributeDefinitions: input.AttributeDefinitions.map((d) => ({ AttributeName: d.AttributeName, AttributeType: d.AttributeType })),
        hash: attribute(input.KeySchema[0].AttributeName),
        range: input.KeySchema[1] ? attribute(input.KeySchema[1].AttributeName) : undefined,
        billingMode,
        throughput: {
          ReadCapacityUnits: Math.trunc(input.ProvisionedThroughput?.ReadCapacityUnits ?? 0),
          WriteCapacityUnits: Math.trunc(input.ProvisionedThroughput?.WriteCapacityUnits ?? 0),
        },
      },
      input.BillingMode != null,
      // Global indexes first: the order in which DynamoDB checks an item's index keys (dynalite).
      [...(input.GlobalSecondaryIndexes ?? []).map((index) => indexDefinition(index, true, attribute)), ...(input.LocalSecondaryIndexes ?? []).map((index) => indexDefinition(index, false, attribute))],
    );
    for (const tag of input.Tags ?? []) table.tags.set(tag.Key, tag.Value);
    if (input.StreamSpecification && booleanOf(input.StreamSpecification.StreamEnabled)) db.enableStream(table, input.StreamSpecification.StreamViewType!);
    return { TableDescription: describeTable(table) };
  },
};

const INVALID = 'One or more parameter values were invalid: ';

/** The checks every secondary index gets (dynalite's order, as recorded from the service). */
export function checkIndex(index: IndexInput, defined: string[], names: Set<string>): string | undefined {
  const keys = index.KeySchema.map((k) => k.AttributeName);
  if (keys.some((k) => !defined.includes(k))) {
    return `${INVALID}Some index key attributes are not defined in AttributeDefinitions. Keys: [${keys.join(', ')}], AttributeDefinitions: [${defined.join(', ')}]`;
  }
  if (keys[1] !== undefined && keys[0] === keys[1]) return 'Both the Hash Key and the Range Key element in the KeySchema have the same name';
  if (index.KeySchema[0].KeyType !== 'HASH') return 'Invalid KeySchema: The first KeySchemaElement is not a HASH key type';
  if (index.KeySchema[1] && index.KeySchema[1].KeyType !== 'RANGE') return 'Invalid KeySchema: The second KeySchemaElement is not a RANGE key type';
  const projection = index.Projection.ProjectionType;
  if (projection == null) return `${INVALID}Unknown ProjectionType: null`;
  if (index.Projection.NonKeyAttributes && projection !== 'INCLUDE') return `${INVALID}ProjectionType is ${projection}, but NonKeyAttributes is specified`;
  if (names.has(index.IndexName)) return `${INVALID}Duplicate index name: ${index.IndexName}`;
  names.add(index.IndexName);
  return undefined;
}

/** The engine's IndexDefinition for a checked index of the request. */
export function indexDefinition(index: IndexInput, global: boolean, attribute: (name: string) => KeyAttribute): IndexDefinition {
  return {
    name: index.IndexName,
    global,
    hash: attribute(index.KeySchema[0].AttributeName),
    range: index.KeySchema[1] ? attribute(index.KeySchema[1].AttributeName) : undefined,
    projection: { ProjectionType: index.Projection.ProjectionType!, ...(index.Projection.NonKeyAttributes ? { NonKeyAttributes: [...index.Projection.NonKeyAttributes] } : {}) },
    throughput: index.ProvisionedThroughput && { ReadCapacityUnits: Math.trunc(index.ProvisionedThroughput.ReadCapacityUnits), WriteCapacityUnits: Math.trunc(index.ProvisionedThroughput.WriteCapacityUnits) },
  };
}
