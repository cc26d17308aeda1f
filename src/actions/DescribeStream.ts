import type { Database } from '../engine/database.js';
import { type Action, shardId, streamOf, streamArn } from './common.js';

interface Input {
  StreamArn: string;
  Limit?: number;
  ExclusiveStartShardId?: string;
}

export const DescribeStream: Action<Input> = {
  members: {
    StreamArn: streamArn,
    Limit: { type: 'integer', min: 1, max: 100 },
    ExclusiveStartShardId: { ...shardId, required: false },
  },
  run(db: Database, input) {
    const stream = streamOf(db, input.StreamArn);
    const range: { StartingSequenceNumber: string; EndingSequenceNumber?: string } = { StartingSequenceNumber: stream.startingSequenceNumber };
    const ending = stream.endingSequenceNumber;
    if (ending !== undefined) range.EndingSequenceNumber = ending;
    // One shard per stream (see src/streams/streams.ts), so Limit never leaves any for a next page.
    const shards = [{ ShardId: stream.shardId, SequenceNumberRange: range }].filter((shard) => input.ExclusiveStartShardId == null || shard.ShardId > input.ExclusiveStartShardId);
    return {
      StreamDescription: {
        StreamArn: stream.arn,
        StreamLabel: stream.label,
        StreamStatus: stream.enabled ? 'ENABLED' : 'DISABLED',
        StreamViewType: stream.viewType,
        CreationRequestDateTime: stream.createdAt / 1000,
        TableName: stream.table.name,
        KeySchema: stream.table.keySchema.map((key) => ({ ...key })),
        Shards: shards,
      },
    };
  },
};
