import { isCanonicalBase64 } from './base64.js';
import {
  ATTRIBUTE_VALUE_IS_COLLECTION,
  BASE64_LAST_CHARACTER,
  BLOB_IS_COLLECTION,
  BLOB_NOT_STRING,
  MAP_IS_COLLECTION,
  UNEXPECTED_FIELD_TYPE,
  UNEXPECTED_STRUCTURE,
  UNEXPECTED_TOKEN,
  UNEXPECTED_VALUE_TYPE,
  base64Length,
  cannotConvert,
  scalarIsCollection,
} from './messages.js';

/**
 * Where an AttributeValue sits in a request. DynamoDB words a scalar found in place of one
 * differently when it is a map value or list element ('value': Item, Key, ExclusiveStartKey,
 * ExpressionAttributeValues, AttributeValueList, M, L) and when it is a structure's member
 * ('field': Expected.x.Value, AttributeUpdates.x.Value).
 */
export type AttributeValuePosition = 'value' | 'field';

// Coral's JSON reader takes these strings for a Boolean, in any case (dynalite).
const TRUE_WORDS = new Set(['TRUE', '1', 'YES']);
const FALSE_WORDS = new Set(['FALSE', '0', 'NO']);

/**
 * The truth of a BOOL or NULL member that passed {@link checkAttributeValueShape}, which lets the
 * strings DynamoDB reads as booleans ("true", "yes", "1", ...) through.
 */
export function booleanOf(member: unknown): boolean {
  return member === true || (typeof member === 'string' && TRUE_WORDS.has(member.toUpperCase()));
}

// Deeper than any JSON the service would parse; past it the nesting validation reports the value.
const MAX_SHAPE_DEPTH = 1000;

function isMap(v: object): boolean {
  return !Array.isArray(v) && !(v instanceof Uint8Array);
}

function jsonToken(v: boolean | number | bigint): string {
  if (typeof v === 'boolean') return v ? 'TRUE_VALUE' : 'FALSE_VALUE';
  return typeof v === 'bigint' || Number.isInteger(v) ? 'NUMBER_VALUE' : 'DECIMAL_VALUE';
}

function checkString(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
      return undefined;
    case 'boolean':
    case 'number':
    case 'bigint':
      return cannotConvert(jsonToken(v), 'String');
    default:
      return Array.isArray(v) ? scalarIsCollection('String') : UNEXPECTED_STRUCTURE;
  }
}

function checkBoolean(v: unknown): string | undefined {
  switch (typeof v) {
    case 'boolean':
      return undefined;
    case 'string': {
      const word = v.toUpperCase();
      return TRUE_WORDS.has(word) || FALSE_WORDS.has(word) ? undefined : UNEXPECTED_TOKEN;
    }
    case 'number':
    case 'bigint':
      return cannotConvert(jsonToken(v), 'Boolean');
    default:
      return Array.isArray(v) ? scalarIsCollection('Boolean') : UNEXPECTED_STRUCTURE;
  }
}

function checkBlob(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
      if (v.length % 4 !== 0) return base64Length(v.length);
      return isCanonicalBase64(v) ? undefined : BASE64_LAST_CHARACTER;
    case 'boolean':
    case 'number':
    case 'bigint':
      return BLOB_NOT_STRING;
    default:
      if (v instanceof Uint8Array) return undefined;
      return Array.isArray(v) ? BLOB_IS_COLLECTION : UNEXPECTED_STRUCTURE;
  }
}

/** A JSON list: wrong only as a scalar or an object. */
function checkList(v: unknown): string | undefined {
  if (Array.isArray(v)) return undefined;
  return typeof v === 'object' ? UNEXPECTED_STRUCTURE : UNEXPECTED_FIELD_TYPE;
}

function checkElements(list: unknown[], check: (element: unknown) => string | undefined): string | undefined {
  for (let i = 0; i < list.length; i++) {
    const element = list[i];
    // A null element deserialises to null; validation reports it.
    if (element == null) continue;
    const message = check(element);
    if (message !== undefined) return message;
  }
  return undefined;
}

function checkShape(v: unknown, position: AttributeValuePosition, depth: number): string | undefined {
  if (v == null) return undefined;
  if (typeof v !== 'object') return position === 'value' ? UNEXPECTED_VALUE_TYPE : UNEXPECTED_FIELD_TYPE;
  if (Array.isArray(v)) return ATTRIBUTE_VALUE_IS_COLLECTION;
  if (depth > MAX_SHAPE_DEPTH) return undefined;
  const members = v as Record<string, unknown>;
  // Members in document order, as a streaming reader meets them. Unknown members are skipped and
  // null ones are absent, which is how {"X": 1} comes to be reported as an empty AttributeValue.
  for (const type in members) {
    const member = members[type];
    if (member == null) continue;
    let message: string | undefined;
    switch (type) {
      case 'S':
      case 'N':
        message = checkString(member);
        break;
      case 'B':
        message = checkBlob(member);
        break;
      case 'BOOL':
      case 'NULL':
        message = checkBoolean(member);
        break;
      case 'SS':
      case 'NS':
        message = checkList(member) ?? checkElements(member as unknown[], checkString);
        break;
      case 'BS':
        message = checkList(member) ?? checkElements(member as unknown[], checkBlob);
        break;
      case 'L':
        message =
          checkList(member) ??
          checkElements(member as unknown[], (element) => checkShape(element, 'value', depth + 1));
        break;
      case 'M':
        if (typeof member !== 'object') message = UNEXPECTED_FIELD_TYPE;
        else if (!isMap(member)) message = MAP_IS_COLLECTION;
        else {
          const map = member as Record<string, unknown>;
          for (const name in map) {
            message = checkShape(map[name], 'value', depth + 1);
            if (message !== undefined) break;
          }
        }
        break;
    }
    if (message !== undefined) return message;
  }
  return undefined;
}

/**
 * The SerializationException message DynamoDB gives when `v`, as found at `position` in a request,
 * does not deserialise into an AttributeValue, or undefined when it does. It looks only at JSON
 * types (and base64 text); whether the value is valid is {@link validateAttributeValue}'s question.
 * A null or undefined `v` is an absent value and passes.
 *
 * @example
 * checkAttributeValueShape({ S: 5 }); // 'NUMBER_VALUE cannot be converted to String'
 * checkAttributeValueShape({ B: 'abc' }); // 'Base64 encoded length is expected a multiple of 4 bytes but found: 3'
 * checkAttributeValueShape({ S: 'ok' }); // undefined
 */
export function checkAttributeValueShape(v: unknown, position: AttributeValuePosition = 'value'): string | undefined {
  return checkShape(v, position, 0);
}
