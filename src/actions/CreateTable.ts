import type { Database } from '../engine/database.js';
import type { BillingMode, KeyAttribute, ScalarType } from '../engine/table.js';
import { describeTable } from './DescribeTable.js';
import { type Action, NAME_PATTERN, controlTableName, keySchema, notYet, provisionedThroughput } from './common.js';
import type { Shape } from './shape.js';

interface Input {
  TableName: string;
  AttributeDefinitions: { AttributeName: string; AttributeType: ScalarType }[];
  KeySchema: { AttributeName: string; KeyType: string }[];
  BillingMode?: BillingMode;
  ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
  LocalSecondaryIndexes?: unknown[];
  GlobalSecondaryIndexes?: unknown[];
  StreamSpecification?: unknown;
}

const indexShape = (name: string, withThroughput: boolean): Shape => ({
  type: 'list',
  member: {
    type: 'struct',
    name,
    members: {
      IndexName: { type: 'string', notNull: true, pattern: NAME_PATTERN, minLength: 3, maxLength: 255 },
      KeySchema: keySchema(false),
      Projection: {
        type: 'struct',
        name: 'Projection',
        notNull: true,
        members: {
          ProjectionType: { type: 'string', enum: ['ALL', 'INCLUDE', 'KEYS_ONLY'] },
          NonKeyAttributes: { type: 'list', minLength: 1, member: { type: 'string' } },
        },
      },
      ...(withThroughput ? { ProvisionedThroughput: provisionedThroughput } : {}),
    },
  },
});

const MAX_THROUGHPUT = 1_000_000_000_000;

export const CreateTable: Action<Input> = {
  members: {
    AttributeDefinitions: {
      type: 'list',
      notNull: true,
      member: {
        type: 'struct',
        name: 'AttributeDefinition',
        members: {
          AttributeName: { type: 'string', notNull: true, minLength: 1, maxLength: 255 },
          AttributeType: { type: 'string', notNull: true, enum: ['B', 'N', 'S'] },
        },
      },
    },
    TableName: controlTableName,
    BillingMode: { type: 'string', enum: ['PROVISIONED', 'PAY_PER_REQUEST'] },
    ProvisionedThroughput: provisionedThroughput,
    KeySchema: keySchema(true),
    LocalSecondaryIndexes: notYet(indexShape('LocalSecondaryIndex', false)),
    GlobalSecondaryIndexes: notYet(indexShape('GlobalSecondaryIndex', true)),
    StreamSpecification: notYet<Shape>({ type: 'struct', name: 'StreamSpecification', members: {} }),
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
    if (keys.length !== defined.length) {
      return 'One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions';
    }
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
    );
    return { TableDescription: describeTable(table) };
  },
};
