import type { Database } from '../engine/database.js';
import type { Table } from '../engine/table.js';
import { type Action, controlTableName } from './common.js';

/** The TableDescription DynamoDB returns from CreateTable, DescribeTable, UpdateTable and DeleteTable. */
export function describeTable(table: Table): Record<string, unknown> {
  const keySchema = [{ AttributeName: table.hash.name, KeyType: 'HASH' }];
  if (table.range) keySchema.push({ AttributeName: table.range.name, KeyType: 'RANGE' });
  const description: Record<string, unknown> = {
    AttributeDefinitions: table.attributeDefinitions.map((d) => ({ ...d })),
    TableName: table.name,
    KeySchema: keySchema,
    TableStatus: table.status,
    CreationDateTime: table.createdAt,
    ProvisionedThroughput: { ...table.throughput },
    TableSizeBytes: table.sizeBytes,
    ItemCount: table.itemCount,
    TableArn: table.arn,
    TableId: table.id,
  };
  if (table.billingMode === 'PAY_PER_REQUEST' || table.billingModeExplicit) {
    const summary: Record<string, unknown> = { BillingMode: table.billingMode };
    if (table.payPerRequestSince !== undefined) summary.LastUpdateToPayPerRequestDateTime = table.payPerRequestSince;
    description.BillingModeSummary = summary;
  }
  description.DeletionProtectionEnabled = false;
  return description;
}

export const DescribeTable: Action<{ TableName: string }> = {
  members: { TableName: controlTableName },
  run(db: Database, input) {
    return { Table: describeTable(db.describe(input.TableName)) };
  },
};
