import type { Database } from '../engine/database.js';
import { type Action, NAME_PATTERN, streamArn } from './common.js';

interface Input {
  TableName?: string;
  Limit?: number;
  ExclusiveStartStreamArn?: string;
}

export const ListStreams: Action<Input> = {
  members: {
    TableName: { type: 'string', pattern: NAME_PATTERN, minLength: 3, maxLength: 255 },
    Limit: { type: 'integer', min: 1, max: 100 },
    ExclusiveStartStreamArn: { ...streamArn, required: false },
  },
  run(db: Database, input) {
    const limit = input.Limit == null ? 100 : Math.trunc(input.Limit);
    let streams = db.streams.list();
    // A table without streams, or no table of that name, lists none (dynoxide's reading of the service).
    if (input.TableName != null) streams = streams.filter((stream) => stream.table.name === input.TableName);
    const start = streams.findIndex((stream) => stream.arn === input.ExclusiveStartStreamArn);
    const rest = streams.slice(start + 1);
    const page = rest.slice(0, limit);
    const result: { Streams: { StreamArn: string; TableName: string; StreamLabel: string }[]; LastEvaluatedStreamArn?: string } = {
      Streams: page.map((stream) => ({ StreamArn: stream.arn, TableName: stream.table.name, StreamLabel: stream.label })),
    };
    if (rest.length > limit) result.LastEvaluatedStreamArn = page[page.length - 1].arn;
    return result;
  },
};
