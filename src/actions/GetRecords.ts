import type { Database } from '../engine/database.js';
import { DynamoError } from '../model/index.js';
import * as msg from '../model/messages.js';
import { MAX_RECORDS } from '../streams/streams.js';
import type { Action } from './common.js';

interface Input {
  ShardIterator: string;
  Limit?: number;
}

export const GetRecords: Action<Input> = {
  members: {
    ShardIterator: { type: 'string', required: true, minLength: 1, maxLength: 2048 },
    Limit: { type: 'integer', min: 1 },
  },
  run(db: Database, input) {
    const limit = input.Limit == null ? MAX_RECORDS : Math.trunc(input.Limit);
    // The model sets no upper bound; the service refuses more than 1000 as a limit on the subscriber (API reference).
    if (limit > MAX_RECORDS) throw new DynamoError('LimitExceededException', msg.GET_RECORDS_LIMIT);
    return db.streams.read(input.ShardIterator, limit);
  },
};
