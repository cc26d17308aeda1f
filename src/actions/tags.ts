/** What the tagging actions share: the Tag shape, the ARN check and the tag limits. */
import * as msg from '../model/messages.js';
import type { ListShape } from './shape.js';

export interface Tag {
  Key: string;
  Value: string;
}

export const tagList: ListShape = {
  type: 'list',
  member: {
    type: 'struct',
    name: 'Tag',
    members: { Key: { type: 'string', notNull: true }, Value: { type: 'string', notNull: true } },
  },
};

/** Tags per resource (Developer Guide, "Tagging restrictions"). */
const MAX_TAGS = 50;

/** Only a table's own ARN names a taggable resource; an index's is refused as invalid (ScyllaDB's tests, run against the service). */
const TABLE_ARN = /^arn:aws:dynamodb:[^:/]+:\d+:table\/([a-zA-Z0-9_.-]{3,255})$/;

/** DynamoDB's message for a ResourceArn that is not a table ARN. */
export function checkArn(arn: string): string | undefined {
  return TABLE_ARN.test(arn) ? undefined : msg.invalidResourceArn(arn);
}

/** The first tag that breaks a limit; lengths count characters (code points), not bytes (ScyllaDB's tests). */
export function checkTags(tags: readonly Tag[]): string | undefined {
  for (const { Key, Value } of tags) {
    const keyLength = [...Key].length;
    if (keyLength < 1 || keyLength > 128) return msg.TAG_KEY_LENGTH;
    if ([...Value].length > 256) return msg.TAG_VALUE_LENGTH;
    if (Key.toLowerCase().startsWith('aws:')) return msg.RESERVED_TAG_KEY;
  }
  return undefined;
}

/** Whether a resource holding `current` tags may take `added` as well (a key already there is replaced, not added). */
export function withinTagLimit(current: ReadonlyMap<string, string>, added: readonly Tag[]): boolean {
  const keys = new Set(current.keys());
  for (const tag of added) keys.add(tag.Key);
  return keys.size <= MAX_TAGS;
}
