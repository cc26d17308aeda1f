import type { Database } from '../engine/database.js';
import type { Index, Table } from '../engine/table.js';
import { project } from '../expressions/index.js';
import { itemSize, unpackItem } from '../model/index.js';
import { indexProjection } from './read.js';
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
  const local = table.indexes.filter((index) => !index.definition.global);
  const global = table.indexes.filter((index) => index.definition.global);
  if (local.length > 0) description.LocalSecondaryIndexes = local.map((index) => describeIndex(table, index));
  if (global.length > 0) description.GlobalSecondaryIndexes = global.map((index) => describeIndex(table, index));
  Object.assign(description, describeStreamOf(table));
  description.DeletionProtectionEnabled = false;
  return description;
}

/**
 * StreamSpecification while a stream is enabled; LatestStreamArn and LatestStreamLabel as long as
 * the table has had one (the service keeps them after the stream is disabled; ack-api-quirks capture).
 */
function describeStreamOf(table: Table): Record<string, unknown> {
  const stream = table.stream;
  if (!stream) return {};
  const description: Record<string, unknown> = {};
  if (stream.enabled) description.StreamSpecification = { StreamEnabled: true, StreamViewType: stream.viewType };
  description.LatestStreamLabel = stream.label;
  description.LatestStreamArn = stream.arn;
  return description;
}

function describeIndex(table: Table, index: Index): Record<string, unknown> {
  const keySchema = [{ AttributeName: index.hash.name, KeyType: 'HASH' }];
  if (index.range) keySchema.push({ AttributeName: index.range.name, KeyType: 'RANGE' });
  const projection = index.definition.projection;
  const description: Record<string, unknown> = {
    IndexName: index.name,
    KeySchema: keySchema,
    Projection: { ProjectionType: projection.ProjectionType, ...(projection.NonKeyAttributes ? { NonKeyAttributes: [...projection.NonKeyAttributes] } : {}) },
  };
  if (index.definition.global) {
    description.IndexStatus = index.status;
    if (index.backfilling) description.Backfilling = true;
    description.ProvisionedThroughput = { ...index.throughput };
  }
  const projected = indexProjection(table, index);
  description.IndexSizeBytes = table.indexBytes(index, (item, size) => (projected ? itemSize(project(unpackItem(item), projected)) : size));
  description.ItemCount = index.keys.size;
  description.IndexArn = index.arn;
  return description;
}

export const DescribeTable: Action<{ TableName: string }> = {
  members: { TableName: controlTableName },
  run(db: Database, input) {
    return { Table: describeTable(db.describe(input.TableName)) };
  },
};
