import type { Database } from '../engine/database.js';
import { compareBytes } from '../engine/table.js';
import { DynamoError } from '../model/index.js';
import * as msg from '../model/messages.js';
import type { Action } from './common.js';
import { checkArn } from './tags.js';

const utf8 = new TextEncoder();

export const ListTagsOfResource: Action<{ ResourceArn?: string }> = {
  members: { ResourceArn: { type: 'string' } },

  check(input) {
    if (input.ResourceArn == null) return msg.INVALID_TABLE_ARN;
    return checkArn(input.ResourceArn);
  },

  // A resource holds at most 50 tags, so they all fit one page: no NextToken is ever returned.
  run(db: Database, input) {
    const arn = input.ResourceArn!;
    const table = db.tableByArn(arn);
    // The service answers for a table that does not exist as for one the caller may not read (conformance).
    if (!table) throw new DynamoError('AccessDeniedException', msg.listTagsDenied(db.accountId, arn));
    // In key order by UTF-8 bytes, as dynalite and dynoxide keep them.
    const keys = [...table.tags.keys()].map((key) => ({ key, bytes: utf8.encode(key) })).sort((a, b) => compareBytes(a.bytes, b.bytes));
    return { Tags: keys.map(({ key }) => ({ Key: key, Value: table.tags.get(key)! })) };
  },
};
