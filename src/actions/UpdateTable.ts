import type { Database } from '../engine/database.js';
import type { BillingMode } from '../engine/table.js';
import { DynamoError } from '../model/index.js';
import { describeTable } from './DescribeTable.js';
import { type Action, controlTableName, notYet, provisionedThroughput } from './common.js';
import type { Shape } from './shape.js';

interface Input {
  TableName: string;
  BillingMode?: BillingMode;
  ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
  GlobalSecondaryIndexUpdates?: unknown[];
  StreamSpecification?: unknown;
  SSESpecification?: unknown;
  ReplicaUpdates?: unknown;
  AttributeDefinitions?: unknown;
}

const MAX_THROUGHPUT = 1_000_000_000_000;
const invalid = (message: string) => new DynamoError('ValidationException', message);

export const UpdateTable: Action<Input> = {
  members: {
    TableName: controlTableName,
    ProvisionedThroughput: provisionedThroughput,
    BillingMode: { type: 'string', enum: ['PROVISIONED', 'PAY_PER_REQUEST'] },
    GlobalSecondaryIndexUpdates: notYet<Shape>({ type: 'list', member: { type: 'struct', name: 'GlobalSecondaryIndexUpdate', members: {} } }),
    StreamSpecification: notYet<Shape>({ type: 'struct', name: 'StreamSpecification', members: {} }),
  },

  check(input) {
    if (!input.ProvisionedThroughput && !input.BillingMode && input.SSESpecification == null && input.ReplicaUpdates == null) {
      return 'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required';
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
    return { TableDescription: describeTable(table) };
  },
};
