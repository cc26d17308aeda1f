import type { Database } from '../engine/database.js';
import { DynamoError } from '../model/index.js';
import * as msg from '../model/messages.js';
import type { Action } from './common.js';
import { type Tag, checkArn, checkTags, tagList, withinTagLimit } from './tags.js';

interface Input {
  ResourceArn?: string;
  Tags?: Tag[];
}

export const TagResource: Action<Input> = {
  members: { ResourceArn: { type: 'string' }, Tags: tagList },

  // dynalite's order: the ARN's presence, then the Tags', then the ARN's form.
  check(input) {
    if (input.ResourceArn == null) return msg.INVALID_TABLE_ARN;
    if (input.Tags == null) return msg.TAGS_NULL;
    return checkArn(input.ResourceArn) ?? (input.Tags.length === 0 ? msg.NO_TAGS : checkTags(input.Tags));
  },

  run(db: Database, input) {
    const arn = input.ResourceArn!;
    const table = db.tableByArn(arn);
    if (!table) throw new DynamoError('ResourceNotFoundException', msg.resourceArnNotFound(arn));
    if (!withinTagLimit(table.tags, input.Tags!)) throw new DynamoError('ValidationException', msg.TOO_MANY_TAGS);
    for (const tag of input.Tags!) table.tags.set(tag.Key, tag.Value);
    return {};
  },
};
