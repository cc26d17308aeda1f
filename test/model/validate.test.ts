import { describe, expect, it } from 'vitest';
import { type AttributeValue, MAX_NESTING_DEPTH, validateAttributeValue } from '../../src/model/index.js';

const INVALID = 'One or more parameter values were invalid: ';
const EMPTY = 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes';
const NESTING =
  'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';

// Values arrive as parsed JSON; the validators take them as such.
const validate = (v: unknown) => validateAttributeValue(v as AttributeValue);

function wrapInMaps(depth: number, leaf: unknown): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = { M: { n: v } };
  return v;
}

function wrapInLists(depth: number, leaf: unknown): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = { L: [v] };
  return v;
}

describe('validateAttributeValue', () => {
  it.each([{}, { X: 'a' }, { S: null }, { M: { a: {} } }, { L: [{}] }, { L: [{ a: {} }] }, { L: [null] }])(
    'empty AttributeValue %j',
    (v) => {
      expect(validate(v)).toBe(EMPTY);
    },
  );

  it('more than one datatype', () => {
    expect(validate({ S: 'a', N: '1' })).toBe(
      'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
    );
    expect(validate({ BOOL: true, NULL: true })).toBe(
      'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
    );
  });

  it("checks each member's value before counting members (dynalite)", () => {
    expect(validate({ S: 'a', N: 'b' })).toBe('The parameter cannot be converted to a numeric value: b');
    expect(validate({ S: '', N: '' })).toBe('The parameter cannot be converted to a numeric value');
  });

  it.each([{ NULL: false }, { NULL: 'no' }, { NULL: '0' }])('NULL that is not true %j', (v) => {
    expect(validate(v)).toBe(`${INVALID}Null attribute value types must have the value of true`);
  });

  it.each([{ N: '1.50' }, { NULL: true }, { NULL: 'yes' }, { BOOL: false }, { S: '' }, { B: '' }, { B: new Uint8Array(0) }])(
    'accepts %j',
    (v) => {
      expect(validate(v)).toBe(undefined);
    },
  );

  describe('numbers', () => {
    it.each([
      ['', 'The parameter cannot be converted to a numeric value'],
      ['b', 'The parameter cannot be converted to a numeric value: b'],
      ['1.2.3', 'The parameter cannot be converted to a numeric value: 1.2.3'],
      [' 5', 'The parameter cannot be converted to a numeric value:  5'],
      ['5 ', 'The parameter cannot be converted to a numeric value: 5 '],
      ['1e', 'The parameter cannot be converted to a numeric value: 1e'],
      ['+e2', 'The parameter cannot be converted to a numeric value: +e2'],
      ['++5', 'The parameter cannot be converted to a numeric value: ++5'],
      ['1+2', 'The parameter cannot be converted to a numeric value: 1+2'],
      ['NaN', 'The parameter cannot be converted to a numeric value: NaN'],
      ['Infinity', 'The parameter cannot be converted to a numeric value: Infinity'],
      ['0x10', 'The parameter cannot be converted to a numeric value: 0x10'],
      ['.', 'The parameter cannot be converted to a numeric value: .'],
      ['123456789012345678901234567890123456789', 'Attempting to store more than 38 significant digits in a Number'],
      ['-1.23456789012345678901234567890123456789', 'Attempting to store more than 38 significant digits in a Number'],
      ['1e126', 'Number overflow. Attempting to store a number with magnitude larger than supported range'],
      ['-1E+126', 'Number overflow. Attempting to store a number with magnitude larger than supported range'],
      ['1e-131', 'Number underflow. Attempting to store a number with magnitude smaller than supported range'],
      ['-1e-131', 'Number underflow. Attempting to store a number with magnitude smaller than supported range'],
      ['1e99999999999999999999', 'Number overflow. Attempting to store a number with magnitude larger than supported range'],
    ])('N %j', (n, message) => {
      expect(validate({ N: n })).toBe(message);
    });

    it.each([
      '12345678901234567890123456789012345678',
      '9.9999999999999999999999999999999999999E+125',
      '-9.9999999999999999999999999999999999999E+125',
      '1E-130',
      '-1E-130',
      '0',
      '-0',
      '0e999999',
      '00042',
      '+5',
      '.5',
      '5.',
      '1.000000000000000000000000000000000000000000',
      '99999999999999999999999999999999999999',
    ])('accepts N %j', (n) => {
      expect(validate({ N: n })).toBe(undefined);
    });
  });

  describe('sets', () => {
    it('empty sets', () => {
      expect(validate({ SS: [] })).toBe(`${INVALID}An string set  may not be empty`);
      expect(validate({ NS: [] })).toBe(`${INVALID}An number set  may not be empty`);
      expect(validate({ BS: [] })).toBe(`${INVALID}Binary sets should not be empty`);
    });

    it('duplicate strings, listing the whole set as sent', () => {
      expect(validate({ SS: ['a', 'a'] })).toBe(`${INVALID}Input collection [a, a] contains duplicates.`);
      expect(validate({ SS: ['x', 'a', 'b', 'a'] })).toBe(`${INVALID}Input collection [x, a, b, a] contains duplicates.`);
    });

    it('duplicate numbers, compared by value', () => {
      expect(validate({ NS: ['1', '1'] })).toBe('Input collection contains duplicates');
      expect(validate({ NS: ['1', '1.0'] })).toBe('Input collection contains duplicates');
      expect(validate({ NS: ['100', '1E2', '3'] })).toBe('Input collection contains duplicates');
      expect(validate({ NS: ['0', '-0'] })).toBe('Input collection contains duplicates');
    });

    it('checks every number before looking for duplicates', () => {
      expect(validate({ NS: ['1', '1', 'b'] })).toBe('The parameter cannot be converted to a numeric value: b');
      expect(validate({ NS: ['1', ''] })).toBe('The parameter cannot be converted to a numeric value');
      expect(validate({ NS: ['42', '123456789012345678901234567890123456789'] })).toBe(
        'Attempting to store more than 38 significant digits in a Number',
      );
    });

    it('duplicate binaries, listed as base64, whether sent as text or bytes', () => {
      expect(validate({ BS: ['Yg==', 'Yg=='] })).toBe(`${INVALID}Input collection [Yg==, Yg==]of type BS contains duplicates.`);
      expect(validate({ BS: ['Yg==', new Uint8Array([98])] })).toBe(
        `${INVALID}Input collection [Yg==, Yg==]of type BS contains duplicates.`,
      );
    });

    it('accepts distinct elements', () => {
      expect(validate({ SS: ['a', 'A', ''] })).toBe(undefined);
      expect(validate({ NS: ['1', '1.5', '-1'] })).toBe(undefined);
      expect(validate({ BS: ['YQ==', 'Yg==', ''] })).toBe(undefined);
    });
  });

  describe('documents', () => {
    it('reports errors inside maps and lists', () => {
      expect(validate({ M: { a: { S: 'x' }, b: { SS: [] } } })).toBe(`${INVALID}An string set  may not be empty`);
      expect(validate({ L: [{ S: 'x' }, { NS: ['1', '1'] }] })).toBe('Input collection contains duplicates');
      expect(validate({ L: [{ M: { a: { NULL: false } } }] })).toBe(
        `${INVALID}Null attribute value types must have the value of true`,
      );
      expect(validate({ M: { a: { L: [{ N: '1e200' }] } } })).toBe(
        'Number overflow. Attempting to store a number with magnitude larger than supported range',
      );
    });

    it('accepts empty maps and lists', () => {
      expect(validate({ M: {} })).toBe(undefined);
      expect(validate({ L: [] })).toBe(undefined);
    });

    it('nests 32 levels, counting the attribute itself: 31 maps around a scalar are stored, 32 are not', () => {
      expect(MAX_NESTING_DEPTH).toBe(32);
      expect(validate(wrapInMaps(31, { S: 'leaf' }))).toBe(undefined);
      expect(validate(wrapInMaps(32, { S: 'leaf' }))).toBe(NESTING);
      expect(validate(wrapInLists(31, { N: '1' }))).toBe(undefined);
      expect(validate(wrapInLists(32, { N: '1' }))).toBe(NESTING);
      // The 32nd level may itself be an empty document.
      expect(validate(wrapInMaps(31, { M: {} }))).toBe(undefined);
      expect(validate(wrapInLists(31, { L: [] }))).toBe(undefined);
    });
  });
});
