/**
 * The DynamoDB data model as it crosses the wire, one member per value.
 *
 * A binary value is base64 text on the wire and in plain JavaScript callers, or the raw bytes when an
 * in-process caller (the AWS SDK's own marshalling, a Node Buffer) hands them over; both are accepted
 * and kept as given.
 *
 * @example
 * const item: Item = { pk: { S: 'user#1' }, age: { N: '42' }, tags: { SS: ['a', 'b'] } };
 */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: Binary }
  | { BOOL: boolean }
  | { NULL: true }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: Binary[] }
  | { L: AttributeValue[] }
  | { M: Record<string, AttributeValue> };

export type Binary = string | Uint8Array;

export type Item = Record<string, AttributeValue>;

/** The types a key attribute may have (AttributeDefinitions' AttributeType). */
export type ScalarType = 'S' | 'N' | 'B';
