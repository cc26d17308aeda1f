import { describe, expect, it } from 'vitest';
import { checkAttributeValueShape } from '../../src/model/index.js';

const AV_COLLECTION = 'Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue';
const STRUCTURE = 'Start of structure or map found where not expected';

// Wrong JSON types and DynamoDB's answer for each, per member type (dynalite's assertType tables).
const STRING_CASES: [unknown, string][] = [
  [true, 'TRUE_VALUE cannot be converted to String'],
  [false, 'FALSE_VALUE cannot be converted to String'],
  [23, 'NUMBER_VALUE cannot be converted to String'],
  [-2147483648, 'NUMBER_VALUE cannot be converted to String'],
  [2147483648, 'NUMBER_VALUE cannot be converted to String'],
  [34.56, 'DECIMAL_VALUE cannot be converted to String'],
  [[], 'Unrecognized collection type class java.lang.String'],
  [{}, STRUCTURE],
];
const BLOB_CASES: [unknown, string][] = [
  [true, 'only base-64-encoded strings are convertible to bytes'],
  [23, 'only base-64-encoded strings are convertible to bytes'],
  [34.56, 'only base-64-encoded strings are convertible to bytes'],
  [[], 'Unrecognized collection type class java.nio.ByteBuffer'],
  [{}, STRUCTURE],
  ['23456', 'Base64 encoded length is expected a multiple of 4 bytes but found: 5'],
  ['abc', 'Base64 encoded length is expected a multiple of 4 bytes but found: 3'],
  ['=+/=', 'Invalid last non-pad Base64 character dectected'],
  ['+/+=', 'Invalid last non-pad Base64 character dectected'],
  ['YR==', 'Invalid last non-pad Base64 character dectected'],
  ['ab*d', 'Invalid last non-pad Base64 character dectected'],
  ['ab-_', 'Invalid last non-pad Base64 character dectected'],
  ['a=bc', 'Invalid last non-pad Base64 character dectected'],
];
const BOOLEAN_CASES: [unknown, string][] = [
  ['23', 'Unexpected token received from parser'],
  ['maybe', 'Unexpected token received from parser'],
  [23, 'NUMBER_VALUE cannot be converted to Boolean'],
  [-2147483648, 'NUMBER_VALUE cannot be converted to Boolean'],
  [34.56, 'DECIMAL_VALUE cannot be converted to Boolean'],
  [[], 'Unrecognized collection type class java.lang.Boolean'],
  [{}, STRUCTURE],
];
const LIST_CASES: [unknown, string][] = [
  ['23', 'Unexpected field type'],
  [true, 'Unexpected field type'],
  [23, 'Unexpected field type'],
  [34.56, 'Unexpected field type'],
  [{}, STRUCTURE],
];
const VALUE_CASES: [unknown, string][] = [
  ['23', 'Unexpected value type in payload'],
  [true, 'Unexpected value type in payload'],
  [23, 'Unexpected value type in payload'],
  [34.56, 'Unexpected value type in payload'],
  [[], AV_COLLECTION],
];

describe('checkAttributeValueShape', () => {
  describe('the AttributeValue itself', () => {
    it.each(VALUE_CASES)('as a map value or list element: %j', (v, message) => {
      expect(checkAttributeValueShape(v)).toBe(message);
    });
    it.each([
      ['23', 'Unexpected field type'],
      [true, 'Unexpected field type'],
      [23, 'Unexpected field type'],
      [[], AV_COLLECTION],
    ] as [unknown, string][])('as a structure field: %j', (v, message) => {
      expect(checkAttributeValueShape(v, 'field')).toBe(message);
    });
    it('null and undefined are absent values', () => {
      expect(checkAttributeValueShape(null)).toBe(undefined);
      expect(checkAttributeValueShape(undefined)).toBe(undefined);
    });
  });

  describe.each(['S', 'N'])('%s', (type) => {
    it.each(STRING_CASES)('%j', (v, message) => {
      expect(checkAttributeValueShape({ [type]: v })).toBe(message);
    });
  });

  describe('B', () => {
    it.each(BLOB_CASES)('%j', (v, message) => {
      expect(checkAttributeValueShape({ B: v })).toBe(message);
    });
    it.each(['', 'YQ==', 'YWI=', 'YWJj', '+/+/', 'AAECAwQF'])('accepts base64 %j', (b) => {
      expect(checkAttributeValueShape({ B: b })).toBe(undefined);
    });
    it('accepts bytes', () => {
      expect(checkAttributeValueShape({ B: new Uint8Array([1, 2, 3]) })).toBe(undefined);
      expect(checkAttributeValueShape({ B: new Uint8Array(0) })).toBe(undefined);
    });
  });

  describe.each(['BOOL', 'NULL'])('%s', (type) => {
    it.each(BOOLEAN_CASES)('%j', (v, message) => {
      expect(checkAttributeValueShape({ [type]: v })).toBe(message);
    });
    it.each([true, false, 'true', 'FALSE', 'Yes', 'no', '1', '0'])('reads %j as a boolean', (v) => {
      expect(checkAttributeValueShape({ [type]: v })).toBe(undefined);
    });
  });

  describe.each(['SS', 'NS', 'BS', 'L'])('%s', (type) => {
    it.each(LIST_CASES)('%j', (v, message) => {
      expect(checkAttributeValueShape({ [type]: v })).toBe(message);
    });
  });

  describe.each(['SS', 'NS'])('%s elements', (type) => {
    it.each(STRING_CASES)('%j', (v, message) => {
      expect(checkAttributeValueShape({ [type]: ['a', v] })).toBe(message);
    });
  });

  describe('BS elements', () => {
    it.each(BLOB_CASES)('%j', (v, message) => {
      expect(checkAttributeValueShape({ BS: ['YQ==', v] })).toBe(message);
    });
  });

  describe('L elements', () => {
    it.each(VALUE_CASES)('%j', (v, message) => {
      expect(checkAttributeValueShape({ L: [{ S: 'a' }, v] })).toBe(message);
    });
    it('checks nested members', () => {
      expect(checkAttributeValueShape({ L: [{ BS: [5] }] })).toBe('only base-64-encoded strings are convertible to bytes');
      expect(checkAttributeValueShape({ L: [{ BS: 'x' }] })).toBe('Unexpected field type');
    });
  });

  describe('M', () => {
    it.each([
      ['23', 'Unexpected field type'],
      [true, 'Unexpected field type'],
      [23, 'Unexpected field type'],
      [34.56, 'Unexpected field type'],
      [[], 'Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>'],
    ] as [unknown, string][])('%j', (v, message) => {
      expect(checkAttributeValueShape({ M: v })).toBe(message);
    });
    it.each(VALUE_CASES)('value %j', (v, message) => {
      expect(checkAttributeValueShape({ M: { a: { S: 'a' }, b: v } })).toBe(message);
    });
    it('checks nested members', () => {
      expect(checkAttributeValueShape({ M: { a: { BS: [[]] } } })).toBe('Unrecognized collection type class java.nio.ByteBuffer');
      expect(checkAttributeValueShape({ M: { a: { M: { b: { N: 1.5 } } } } })).toBe('DECIMAL_VALUE cannot be converted to String');
    });
  });

  it('examples', () => {
    expect(checkAttributeValueShape({ S: 5 })).toBe('NUMBER_VALUE cannot be converted to String');
    expect(checkAttributeValueShape({ B: 'abc' })).toBe('Base64 encoded length is expected a multiple of 4 bytes but found: 3');
    expect(checkAttributeValueShape({ S: 'ok' })).toBe(undefined);
  });

  it('reports the first bad member in document order', () => {
    expect(checkAttributeValueShape({ S: 1, N: true })).toBe('NUMBER_VALUE cannot be converted to String');
    expect(checkAttributeValueShape({ N: true, S: 1 })).toBe('TRUE_VALUE cannot be converted to String');
  });

  it('skips unknown and null members, leaving emptiness to validation', () => {
    expect(checkAttributeValueShape({ X: 5, Y: [] })).toBe(undefined);
    expect(checkAttributeValueShape({ S: null, N: '1' })).toBe(undefined);
    expect(checkAttributeValueShape({})).toBe(undefined);
  });

  it('passes well-formed values of every type', () => {
    const v = {
      M: {
        s: { S: 'x' }, n: { N: '1' }, b: { B: 'YQ==' }, t: { BOOL: true }, z: { NULL: true },
        ss: { SS: ['a'] }, ns: { NS: ['1'] }, bs: { BS: ['YQ==', new Uint8Array(1)] }, l: { L: [{ M: {} }] },
      },
    };
    expect(checkAttributeValueShape(v)).toBe(undefined);
  });
});
