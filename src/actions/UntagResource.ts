import type { Database } from '../engine/database.js';
import { DynamoError } from '../model/index.js';
import * as msg from '../model/messages.js';
import type { Action } from './common.js';
import { checkArn } from './tags.js';

interface Input {
  ResourceArn?: string;
  TagKeys?: string[];
}

export const UntagResource: Action<Input> = {
  members: { ResourceArn: { type: 'string' }, TagKeys: { type: 'list', member: { type: 'string' } } },

  // dynalite's order, as for TagResource.
  check(input) {
    if (input.ResourceArn == null) return msg.INVALID_TABLE_ARN;
    if (input.TagKeys == null) return msg.TAG_KEYS_NULL;
    return checkArn(input.ResourceArn) ?? (input.TagKeys.length === 0 ? msg.NO_TAG_KEYS : undefined);
  },

  run(db: Database, input) {
    const table = db.tableByArn(input.ResourceArn!);
    if (!table) throw new DynamoError('ResourceNotFoundException', msg.RESOURCE_NOT_FOUND);
    // Removing a key the table does not have is no error (ScyllaDB's tests, run against the service).
    for (const key of input.TagKeys!) table.tags.delete(key);
    return {};
  },
};
