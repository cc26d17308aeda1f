/**
 * dispatch(action, input): the single entry every host uses. It checks the request against the
 * action's shape, runs the action's own checks, then the action; only here are validation
 * messages turned into thrown DynamoErrors.
 */
import type { Database } from '../engine/database.js';
import { DynamoError } from '../model/index.js';
import type { Action } from './common.js';
import { checkShape } from './shape.js';
import { BatchGetItem } from './BatchGetItem.js';
import { BatchWriteItem } from './BatchWriteItem.js';
import { CreateTable } from './CreateTable.js';
import { DeleteItem } from './DeleteItem.js';
import { DeleteTable } from './DeleteTable.js';
import { DescribeLimits } from './DescribeLimits.js';
import { DescribeStream } from './DescribeStream.js';
import { DescribeTable } from './DescribeTable.js';
import { DescribeTimeToLive } from './DescribeTimeToLive.js';
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

const actions: Record<string, Action<any, any>> = {
  BatchGetItem,
  BatchWriteItem,
  CreateTable,
  DeleteItem,
  DeleteTable,
  DescribeLimits,
  DescribeStream,
  DescribeTable,
  DescribeTimeToLive,
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
};

/** The action names dispatch knows. */
export const ACTION_NAMES: readonly string[] = Object.keys(actions);

/**
 * Runs one DynamoDB action against `db`. Takes and returns DynamoDB JSON; throws a DynamoError
 * carrying DynamoDB's error type and message.
 */
export function dispatch(db: Database, action: string, input: unknown): unknown {
  const handler = typeof action === 'string' && Object.hasOwn(actions, action) ? actions[action] : undefined;
  // DynamoDB answers both of these with a bare type and no message.
  if (handler === undefined) throw new DynamoError('UnknownOperationException', '');
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new DynamoError('SerializationException', '');

  // Members set to null count as absent, as in the service's JSON deserialiser: actions test with `!= null`.
  const request = input as Record<string, unknown>;
  const failure = checkShape(request, handler.members);
  if (failure) throw new DynamoError(failure.type, failure.message);
  try {
    const checked = handler.check?.(request);
    if (typeof checked === 'string') throw new DynamoError('ValidationException', checked);
    return handler.run(db, request, checked);
  } catch (error) {
    if (error instanceof DynamoError) throw error;
    throw new DynamoError('InternalServerError', 'Internal server error', { cause: error });
  }
}
