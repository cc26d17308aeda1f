/**
 * dispatch(action, input): the single entry every host uses. It checks the request against the
 * action's shape, runs the action's own checks, then the action; only here are validation
 * messages turned into thrown DynamoErrors.
 */
import type { Database } from '../engine/database.js';
import { DynamoError } from '../model/index.js';
import { type Action, perform } from './common.js';
import { BatchExecuteStatement } from './BatchExecuteStatement.js';
import { BatchGetItem } from './BatchGetItem.js';
import { BatchWriteItem } from './BatchWriteItem.js';
import { CreateTable } from './CreateTable.js';
import { DeleteItem } from './DeleteItem.js';
import { DeleteTable } from './DeleteTable.js';
import { DescribeLimits } from './DescribeLimits.js';
import { DescribeStream } from './DescribeStream.js';
import { DescribeTable } from './DescribeTable.js';
import { DescribeTimeToLive } from './DescribeTimeToLive.js';
import { ExecuteStatement } from './ExecuteStatement.js';
import { ExecuteTransaction } from './ExecuteTransaction.js';
import { GetItem } from './GetItem.js';
import { GetRecords } from './GetRecords.js';
import { GetShardIterator } from './GetShardIterator.js';
import { ListStreams } from './ListStreams.js';
import { ListTables } from './ListTables.js';
import { ListTagsOfResource } from './ListTagsOfResource.js';
import { PutItem } from './PutItem.js';
import { Query } from './Query.js';
import { Scan } from './Scan.js';
import { TagResource } from './TagResource.js';
import { TransactGetItems } from './TransactGetItems.js';
import { TransactWriteItems } from './TransactWriteItems.js';
import { UntagResource } from './UntagResource.js';
import { UpdateItem } from './UpdateItem.js';
import { UpdateTable } from './UpdateTable.js';
import { UpdateTimeToLive } from './UpdateTimeToLive.js';

/** The table of actions, typed so that its keys stay a union of literal names. */
const named = <T extends Record<string, Action<any, any>>>(table: T): Record<keyof T, Action<any, any>> => table;

const actions = named({
  BatchExecuteStatement,
  BatchGetItem,
  BatchWriteItem,
  CreateTable,
  DeleteItem,
  DeleteTable,
  DescribeLimits,
  DescribeStream,
  DescribeTable,
  DescribeTimeToLive,
  ExecuteStatement,
  ExecuteTransaction,
  GetItem,
  GetRecords,
  GetShardIterator,
  ListStreams,
  ListTables,
  ListTagsOfResource,
  PutItem,
  Query,
  Scan,
  TagResource,
  TransactGetItems,
  TransactWriteItems,
  UntagResource,
  UpdateItem,
  UpdateTable,
  UpdateTimeToLive,
});

/** A DynamoDB action this version implements. */
export type ActionName = keyof typeof actions;

/** The action names dispatch knows. */
export const ACTION_NAMES: readonly string[] = Object.keys(actions);

/**
 * Runs one DynamoDB action against `db`. Takes and returns DynamoDB JSON; throws a DynamoError
 * carrying DynamoDB's error type and message. With `wire`, the output is for toWireJson only: its
 * stored items may be WireItems.
 */
export function dispatch(db: Database, action: string, input: unknown, wire = false): unknown {
  const handler = typeof action === 'string' && Object.hasOwn(actions, action) ? actions[action as ActionName] : undefined;
  // DynamoDB answers both of these with a bare type and no message.
  if (handler === undefined) throw new DynamoError('UnknownOperationException', '');
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new DynamoError('SerializationException', '');

  // Members set to null count as absent, as in the service's JSON deserialiser: actions test with `!= null`.
  try {
    return perform(db, handler, input as Record<string, unknown>, wire);
  } catch (error) {
    if (error instanceof DynamoError) throw error;
    throw new DynamoError('InternalServerError', 'Internal server error', { cause: error });
  }
}
