import type { Database } from '../engine/database.js';
import type { BillingMode, ScalarType, Table } from '../engine/table.js';
import { type IndexInput, checkIndex, indexDefinition } from './CreateTable.js';
import { DynamoError, booleanOf } from '../model/index.js';
import * as msg from '../model/messages.js';
import type { StreamViewType } from '../streams/streams.js';
import { describeTable } from './DescribeTable.js';
import { type Action, indexName, projection, attributeDefinitions, controlTableName, keySchema, provisionedThroughput, streamSpecification } from './common.js';

interface Input {
  TableName: string;
  BillingMode?: BillingMode;
  ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
  GlobalSecondaryIndexUpdates?: IndexUpdate[];
  StreamSpecification?: { StreamEnabled: boolean; StreamViewType?: StreamViewType };
  SSESpecification?: unknown;
  ReplicaUpdates?: unknown;
  AttributeDefinitions?: { AttributeName: string; AttributeType: ScalarType }[];
}

interface IndexUpdate {
  Create?: IndexInput;
  Update?: { IndexName: string; ProvisionedThroughput: { ReadCapacityUnits: number; WriteCapacityUnits: number } };
  Delete?: { IndexName: string };
}

const MAX_THROUGHPUT = 1_000_000_000_000;
const INVALID = 'One or more parameter values were invalid: ';
const invalid = (message: string) => new DynamoError('ValidationException', message);

export const UpdateTable: Action<Input> = {
  members: {
    TableName: controlTableName,
    ProvisionedThroughput: provisionedThroughput,
    BillingMode: { type: 'string', enum: ['PROVISIONED', 'PAY_PER_REQUEST'] },
    AttributeDefinitions: attributeDefinitions(false),
    GlobalSecondaryIndexUpdates: {
      type: 'list',
      member: {
        type: 'struct',
        name: 'GlobalSecondaryIndexUpdate',
        members: {
          Update: { type: 'struct', name: 'UpdateGlobalSecondaryIndexAction', members: { IndexName: indexName, ProvisionedThroughput: { ...provisionedThroughput, notNull: true } } },
          Create: {
            type: 'struct',
            name: 'CreateGlobalSecondaryIndexAction',
            members: {
              IndexName: indexName,
              KeySchema: keySchema(false),
              Projection: projection,
              ProvisionedThroughput: provisionedThroughput,
            },
          },
          Delete: { type: 'struct', name: 'DeleteGlobalSecondaryIndexAction', members: { IndexName: indexName } },
        },
      },
    },
    StreamSpecification: streamSpecification,
  },

  check(input) {
    const updates = input.GlobalSecondaryIndexUpdates;
    if (!input.ProvisionedThroughput && !input.BillingMode && !updates?.length && input.StreamSpecification == null && input.SSESpecification == null && input.ReplicaUpdates == null) {
      return 'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required';
    }
    const stream = input.StreamSpecification;
    if (stream) {
      const enabled = booleanOf(stream.StreamEnabled);
      if (enabled && stream.StreamViewType == null) return msg.ENABLING_STREAM_NEEDS_VIEW_TYPE;
      if (!enabled && stream.StreamViewType != null) return msg.DISABLING_STREAM_WITH_VIEW_TYPE;
      if (updates?.some((u) => u.Create || u.Delete)) return msg.INDEX_CHANGE_WITH_STREAM_CHANGE;
    }
    const seen = new Set<string>();
    for (const update of updates ?? []) {
      const action = update.Update ?? update.Create ?? update.Delete;
      if (!action) {
        return `${INVALID}One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null`;
      }
      if (seen.has(action.IndexName)) return `${INVALID}Only one global secondary index update per index is allowed simultaneously. Index: ${action.IndexName}`;
      seen.add(action.IndexName);
    }
    const throughput = input.ProvisionedThroughput;
    if (throughput) {
      if (throughput.ReadCapacityUnits > MAX_THROUGHPUT) return `Given value ${throughput.ReadCapacityUnits} for ReadCapacityUnits is out of bounds`;
      if (throughput.WriteCapacityUnits > MAX_THROUGHPUT) return `Given value ${throughput.WriteCapacityUnits} for WriteCapacityUnits is out of bounds`;
    }
    return undefined;
  },

  run(db: Database, input) {
    const table = db.describe(input.TableName);
    if (table.status === 'CREATING') {
      throw new DynamoError('ResourceInUseException', `Attempt to change a resource which is still in use: Table is being created: ${table.name}`);
    }
    // Checked first and applied last, so that a request refused for its throughput changes nothing.
    const changeStream = input.StreamSpecification && streamChange(db, table, input.StreamSpecification);
    if (input.GlobalSecondaryIndexUpdates?.length) {
      updateIndexes(db, table, input.GlobalSecondaryIndexUpdates, input.AttributeDefinitions ?? []);
    }
    if (!input.ProvisionedThroughput && !input.BillingMode) {
      changeStream?.();
      return { TableDescription: describeTable(table) };
    }
    const mode = input.BillingMode ?? table.billingMode;
    const requested = input.ProvisionedThroughput;
    if (requested && mode === 'PAY_PER_REQUEST') {
      throw invalid('One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
    }
    if (mode === 'PROVISIONED' && table.billingMode === 'PAY_PER_REQUEST' && !requested) {
      throw invalid('One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED');
    }
    const now = Date.now() / 1000;
    const current = table.throughput;
    if (mode === 'PAY_PER_REQUEST' && table.billingMode !== 'PAY_PER_REQUEST') {
      table.billingMode = 'PAY_PER_REQUEST';
      table.payPerRequestSince = now;
      db.markUpdating(table, () => {
        current.ReadCapacityUnits = 0;
        current.WriteCapacityUnits = 0;
      });
    } else if (requested) {
      const read = Math.trunc(requested.ReadCapacityUnits);
      const write = Math.trunc(requested.WriteCapacityUnits);
      const switching = table.billingMode === 'PAY_PER_REQUEST';
      if (!switching && read === current.ReadCapacityUnits && write === current.WriteCapacityUnits) {
        throw invalid(
          'The provisioned throughput for the table will not change. The requested value equals the current value. ' +
            `Current ReadCapacityUnits provisioned for the table: ${current.ReadCapacityUnits}. Requested ReadCapacityUnits: ${read}. ` +
            `Current WriteCapacityUnits provisioned for the table: ${current.WriteCapacityUnits}. Requested WriteCapacityUnits: ${write}. ` +
            'Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.',
        );
      }
      if (switching) {
        table.billingMode = 'PROVISIONED';
        table.billingModeExplicit = true;
      }
      db.markUpdating(table, () => {
        if (read > current.ReadCapacityUnits || write > current.WriteCapacityUnits) current.LastIncreaseDateTime = now;
        if (read < current.ReadCapacityUnits || write < current.WriteCapacityUnits) {
          current.LastDecreaseDateTime = now;
          current.NumberOfDecreasesToday++;
        }
        current.ReadCapacityUnits = read;
        current.WriteCapacityUnits = write;
      });
    }
    changeStream?.();
    return { TableDescription: describeTable(table) };
  },
};

/**
 * Enabling or disabling the table's stream: refused when there is nothing to change (a view type
 * cannot change in place either: the stream must be disabled and a new one enabled), else the
 * change to apply. The table is UPDATING meanwhile, as in the service; the stream itself is
 * ENABLED or DISABLED at once.
 */
function streamChange(db: Database, table: Table, spec: { StreamEnabled: boolean; StreamViewType?: StreamViewType }): () => void {
  const current = table.stream?.enabled ? table.stream : undefined;
  if (booleanOf(spec.StreamEnabled)) {
    if (current) throw invalid(msg.streamAlreadyEnabled(table.name));
    return () => {
      db.enableStream(table, spec.StreamViewType!);
      db.markUpdating(table, () => {});
    };
  }
  if (!current) throw invalid(msg.noStreamToDisable(table.name));
  return () => {
    db.streams.disable(current);
    db.markUpdating(table, () => {});
  };
}

/** GlobalSecondaryIndexUpdates: all checked before any is applied. */
function updateIndexes(db: Database, table: Table, updates: IndexUpdate[], definitions: { AttributeName: string; AttributeType: ScalarType }[]): void {
  const changes = updates.filter((u) => u.Create || u.Delete).length;
  if (changes > 1) throw new DynamoError('LimitExceededException', 'Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table');
  for (const update of updates) {
    if (update.Create) {
      const create = update.Create;
      if (table.index(create.IndexName)) throw invalid(`${INVALID}Index already exists: ${create.IndexName}`);
      // A new index's key attributes must be declared in this request (dynoxide's capture).
      const message = checkIndex(create, definitions.map((d) => d.AttributeName), new Set(table.indexes.map((i) => i.name)));
      if (message) throw invalid(message);
      if (table.billingMode === 'PAY_PER_REQUEST' && create.ProvisionedThroughput) {
        throw invalid(`${INVALID}ProvisionedThroughput should not be specified for index: ${create.IndexName} when BillingMode is PAY_PER_REQUEST`);
      }
      if (table.billingMode === 'PROVISIONED' && !create.ProvisionedThroughput) throw invalid(`${INVALID}ProvisionedThroughput must be specified for index: ${create.IndexName}`);
    }
    const name = (update.Update ?? update.Delete)?.IndexName;
    if (name !== undefined && !table.index(name)?.definition.global) throw new DynamoError('ResourceNotFoundException', `Requested resource not found: Table: ${name} not found`);
  }
  for (const update of updates) {
    if (update.Create) {
      for (const definition of definitions) {
        // An attribute already declared keeps its type (dynoxide's capture of the service).
        if (!table.attributeDefinitions.some((d) => d.AttributeName === definition.AttributeName)) table.attributeDefinitions.push({ ...definition });
      }
      const attribute = (attributeName: string) => ({ name: attributeName, type: table.attributeDefinitions.find((d) => d.AttributeName === attributeName)!.AttributeType });
      db.addIndex(table, indexDefinition(update.Create, true, attribute));
    } else if (update.Delete) {
      db.deleteIndex(table, table.index(update.Delete.IndexName)!);
    } else if (update.Update) {
      const index = table.index(update.Update.IndexName)!;
      index.throughput.ReadCapacityUnits = Math.trunc(update.Update.ProvisionedThroughput.ReadCapacityUnits);
      index.throughput.WriteCapacityUnits = Math.trunc(update.Update.ProvisionedThroughput.WriteCapacityUnits);
    }
  }
  db.provision(table);
}
