import { bytesToBase64 } from './base64.js';
import {
  EMPTY_ATTRIBUTE_VALUE,
  EMPTY_BINARY_SET,
  EMPTY_NUMBER_SET,
  EMPTY_STRING_SET,
  MULTIPLE_DATATYPES,
  NESTING_TOO_DEEP,
  NULL_NOT_TRUE,
  NUMBER_EMPTY,
  NUMBER_SET_DUPLICATES,
  binarySetDuplicates,
  stringSetDuplicates,
} from './messages.js';
import { checkNumber, normaliseNumber } from './number.js';
import { booleanOf } from './shape.js';
import type { AttributeValue } from './types.js';

/**
 * Documents nest 32 levels deep, the attribute's own value being the first: dynoxide captured
 * DynamoDB storing a scalar inside 31 maps and refusing one inside 32.
 */
export const MAX_NESTING_DEPTH = 32;

function base64Of(element: unknown): string {
  return element instanceof Uint8Array ? bytesToBase64(element) : String(element);
}

function stringSetError(set: unknown[]): string | undefined {
  const seen = new Set<unknown>();
  for (const element of set) {
    if (element == null) return EMPTY_ATTRIBUTE_VALUE;
    if (seen.has(element)) return stringSetDuplicates(set.map(String));
    seen.add(element);
  }
  return undefined;
}

function numberSetError(set: unknown[]): string | undefined {
  for (const element of set) {
    const message = typeof element === 'string' ? checkNumber(element) : NUMBER_EMPTY;
    if (message !== undefined) return message;
  }
  // Duplicates by value: "1" and "1.0" are the same number.
  const seen = new Set<string>();
  for (const element of set) {
    const value = normaliseNumber(element as string);
    if (seen.has(value)) return NUMBER_SET_DUPLICATES;
    seen.add(value);
  }
  return undefined;
}

function binarySetError(set: unknown[]): string | undefined {
  // Canonical base64 is one text per byte string, so text equality is byte equality.
  const seen = new Set<string>();
  for (const element of set) {
    if (element == null) return EMPTY_ATTRIBUTE_VALUE;
    const text = base64Of(element);
    if (seen.has(text)) return binarySetDuplicates(set.map(base64Of));
    seen.add(text);
  }
  return undefined;
}

function validate(v: unknown, depth: number): string | undefined {
  if (depth >= MAX_NESTING_DEPTH) return NESTING_TOO_DEEP;
  if (v === null || typeof v !== 'object') return EMPTY_ATTRIBUTE_VALUE;
  const members = v as Record<string, unknown>;
  let types = 0;
  // Member by member in the order sent, each one's own checks before the count of members
  // (dynalite: {"S": "a", "N": "b"} is reported for its number, not for having two types).
  for (const type in members) {
    const member = members[type];
    if (member == null) continue;
    let message: string | undefined;
    switch (type) {
      case 'S':
      case 'B':
      case 'BOOL':
        break;
      case 'N':
        message = typeof member === 'string' ? checkNumber(member) : undefined;
        break;
      case 'NULL':
        if (!booleanOf(member)) message = NULL_NOT_TRUE;
        break;
      case 'SS':
        if (Array.isArray(member)) message = member.length === 0 ? EMPTY_STRING_SET : stringSetError(member);
        break;
      case 'NS':
        if (Array.isArray(member)) message = member.length === 0 ? EMPTY_NUMBER_SET : numberSetError(member);
        break;
      case 'BS':
        if (Array.isArray(member)) message = member.length === 0 ? EMPTY_BINARY_SET : binarySetError(member);
        break;
      case 'L':
        if (Array.isArray(member)) {
          for (let i = 0; i < member.length && message === undefined; i++) message = validate(member[i], depth + 1);
        }
        break;
      case 'M':
        if (typeof member === 'object') {
          const map = member as Record<string, unknown>;
          for (const name in map) {
            message = validate(map[name], depth + 1);
            if (message !== undefined) break;
          }
        }
        break;
      default:
        continue;
    }
    if (message !== undefined) return message;
    types++;
  }
  if (types === 0) return EMPTY_ATTRIBUTE_VALUE;
  return types > 1 ? MULTIPLE_DATATYPES : undefined;
}

/**
 * The ValidationException message DynamoDB gives for the first thing wrong with an AttributeValue,
 * nested values included, or undefined when it is valid. Call it on values that passed
 * {@link checkAttributeValueShape}; on anything else it still returns rather than throws.
 * Key-attribute rules (types, empty strings, sizes) depend on the table and are the engine's.
 *
 * @example
 * validateAttributeValue({ SS: ['a', 'a'] }); // 'One or more parameter values were invalid: Input collection [a, a] contains duplicates.'
 * validateAttributeValue({ NULL: false }); // 'One or more parameter values were invalid: Null attribute value types must have the value of true'
 * validateAttributeValue({ N: '1.50' }); // undefined
 */
export function validateAttributeValue(v: AttributeValue): string | undefined {
  return validate(v, 0);
}
