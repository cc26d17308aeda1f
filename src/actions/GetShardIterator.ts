import type { Database } from '../engine/database.js';
import { DynamoError } from '../model/index.js';
import * as msg from '../model/messages.js';
import type { ShardIteratorType } from '../streams/streams.js';
import { type Action, shardId, streamOf, streamArn } from './common.js';

interface Input {
  StreamArn: string;
  ShardId: string;
  ShardIteratorType: ShardIteratorType;
  SequenceNumber?: string;
}

export const GetShardIterator: Action<Input> = {
  members: {
    StreamArn: streamArn,
    ShardId: shardId,
    ShardIteratorType: { type: 'string', required: true, enum: ['TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'] },
    SequenceNumber: { type: 'string', minLength: 21, maxLength: 40 },
  },
  check(input) {
    const type = input.ShardIteratorType;
    if (type !== 'AT_SEQUENCE_NUMBER' && type !== 'AFTER_SEQUENCE_NUMBER') return undefined;
    if (input.SequenceNumber == null) return msg.sequenceNumberRequired(type);
    return /^\d+$/.test(input.SequenceNumber) ? undefined : msg.invalidSequenceNumber(input.SequenceNumber);
  },
  run(db: Database, input) {
    const stream = streamOf(db, input.StreamArn);
    if (input.ShardId !== stream.shardId) throw new DynamoError('ResourceNotFoundException', msg.SHARD_NOT_FOUND);
    return { ShardIterator: db.streams.iterator(stream, input.ShardIteratorType, input.SequenceNumber) };
  },
};
