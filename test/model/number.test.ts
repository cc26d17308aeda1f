import { describe, expect, it } from 'vitest';
import { addNumbers, checkNumber, compareNumbers, normaliseNumber, subtractNumbers } from '../../src/model/index.js';
import { numberSize } from '../../src/model/number.js';

const OVERFLOW = 'Number overflow. Attempting to store a number with magnitude larger than supported range';
const UNDERFLOW = 'Number underflow. Attempting to store a number with magnitude smaller than supported range';
const PRECISION = 'Attempting to store more than 38 significant digits in a Number';
const MAX = '9.9999999999999999999999999999999999999E+125';

describe('checkNumber', () => {
  it('examples', () => {
    expect(checkNumber('1e126')).toBe(OVERFLOW);
    expect(checkNumber('00042')).toBe(undefined);
  });

  it('checks magnitude before precision (dynalite)', () => {
    expect(checkNumber('1.23456789012345678901234567890123456789E+200')).toBe(OVERFLOW);
    expect(checkNumber('1.23456789012345678901234567890123456789E-200')).toBe(UNDERFLOW);
  });

  it('counts significant digits, not characters', () => {
    expect(checkNumber('0.000000000000000000000000000000000000000000001')).toBe(undefined);
    expect(checkNumber('1' + '0'.repeat(125))).toBe(undefined);
    expect(checkNumber('1' + '0'.repeat(126))).toBe(OVERFLOW);
    expect(checkNumber('00000000000000000000000000000000000000000001')).toBe(undefined);
  });
});

describe('normaliseNumber', () => {
  // What DynamoDB hands back for what it was given: conformance suite (00042, 1.0, 3.1400, 1.5E2, -0,
  // the 38-digit integer), dynoxide's captures (+5, +1.5, +0, +1e2, +.5, 5., +0.0); the rest follow
  // the same rule, plain notation without superfluous zeros.
  it.each([
    ['00042', '42'],
    ['1.0', '1'],
    ['3.1400', '3.14'],
    ['1.5E2', '150'],
    ['-0', '0'],
    ['12345678901234567890123456789012345678', '12345678901234567890123456789012345678'],
    ['+5', '5'],
    ['+1.5', '1.5'],
    ['+0', '0'],
    ['+1e2', '100'],
    ['+.5', '0.5'],
    ['5.', '5'],
    ['+0.0', '0'],
    ['1.50', '1.5'],
    ['1e3', '1000'],
    ['0.00100', '0.001'],
    ['-0.00100', '-0.001'],
    ['1E+2', '100'],
    ['1E-2', '0.01'],
    ['-1.5e-3', '-0.0015'],
    ['123.456e1', '1234.56'],
    ['123.456e-5', '0.00123456'],
    ['0e10', '0'],
    ['-000.000', '0'],
    ['1E+100', '1' + '0'.repeat(100)],
    ['1E-130', '0.' + '0'.repeat(129) + '1'],
    [MAX, '99999999999999999999999999999999999999' + '0'.repeat(88)],
    ['1.50E3', '1500'],
    ['42', '42'],
    ['-7', '-7'],
  ])('%s -> %s', (input, output) => {
    expect(normaliseNumber(input)).toBe(output);
  });
});

describe('compareNumbers', () => {
  it.each([
    ['1', '1.0', 0],
    ['0', '-0', 0],
    ['100', '1e2', 0],
    ['-10', '9', -1],
    ['9', '10', -1],
    ['10', '9', 1],
    ['-9', '-10', 1],
    ['0.001', '0.01', -1],
    ['-0.001', '0', -1],
    ['0', '1E-130', -1],
    ['1.5', '1.49999999999999999999999999999999999', 1],
    ['12', '123', -1],
    ['1.2', '1.23', -1],
    ['-1.2', '-1.23', 1],
    [MAX, '-' + MAX, 1],
    ['99999999999999999999999999999999999999', '1E-130', 1],
  ] as [string, string, number][])('%s vs %s', (a, b, order) => {
    expect(compareNumbers(a, b)).toBe(order);
    expect(compareNumbers(b, a)).toBe(-order || 0);
  });
});

describe('addNumbers and subtractNumbers', () => {
  it('are exact where binary floating point is not', () => {
    expect(addNumbers('0.1', '0.2')).toEqual({ value: '0.3' });
    expect(subtractNumbers('0.3', '0.1')).toEqual({ value: '0.2' });
    expect(subtractNumbers('100000000000000000000.00000001', '1')).toEqual({ value: '99999999999999999999.00000001' });
    expect(addNumbers('9007199254740993', '1')).toEqual({ value: '9007199254740994' });
    expect(addNumbers('12345678901234567890123456789012345677', '1')).toEqual({
      value: '12345678901234567890123456789012345678',
    });
  });

  it('normalise their operands and result', () => {
    expect(addNumbers('1.50', '+1.5e0')).toEqual({ value: '3' });
    expect(subtractNumbers('5', '5.000')).toEqual({ value: '0' });
    expect(addNumbers('-1', '0.5')).toEqual({ value: '-0.5' });
    expect(addNumbers('1E+125', '1E+125')).toEqual({ value: '2' + '0'.repeat(125) });
  });

  it('refuse results with more than 38 significant digits', () => {
    expect(addNumbers('1E+37', '0.1')).toEqual({ error: PRECISION });
    expect(addNumbers('99999999999999999999999999999999999999', '0.5')).toEqual({ error: PRECISION });
    expect(subtractNumbers('1', '1E-38')).toEqual({ value: '0.' + '9'.repeat(38) });
    expect(subtractNumbers('1', '1E-39')).toEqual({ error: PRECISION });
  });

  it('refuse results out of range', () => {
    expect(addNumbers(MAX, '1E+88')).toEqual({ error: OVERFLOW });
    expect(subtractNumbers('-' + MAX, '1E+88')).toEqual({ error: OVERFLOW });
    expect(subtractNumbers('1.0000000000000000000000000000000000001E-100', '1E-100')).toEqual({ error: UNDERFLOW });
  });

  it('reach the edges of the range exactly', () => {
    expect(addNumbers('9.9999999999999999999999999999999999998E+125', '1E+88')).toEqual({
      value: '99999999999999999999999999999999999999' + '0'.repeat(88),
    });
    expect(subtractNumbers('2E-130', '1E-130')).toEqual({ value: '0.' + '0'.repeat(129) + '1' });
  });
});

describe('numberSize', () => {
  // Byte-exact sizes dynoxide measured against DynamoDB by bisecting the 400 KB limit.
  it.each([
    ['1', 2], ['12', 2], ['123', 3], ['1234', 3], ['12345', 4], ['123456', 4], ['1234567', 5],
    ['12345678', 5], ['123456789', 6], ['1234567891', 6], ['12345678912', 7], ['123456789123', 7],
    ['1234567890123456789', 11], ['12345678901234567890123456789012345678', 20],
    ['0042', 2], ['100', 2], ['1010', 3], ['0.0000001', 2], ['0', 1], ['1E125', 2], ['1E-100', 2],
    ['1.5', 3], ['1.2', 3], ['1.200', 3], ['1.234', 4], ['3.14159', 5], ['100.5', 4], ['0.15', 2], ['15', 2],
    ['-42', 3], ['-12345', 5], ['-1E125', 3], ['-0.15', 3], ['-0', 1],
  ] as [string, number][])('%s is %i bytes', (n, size) => {
    expect(numberSize(n)).toBe(size);
  });

  // dynalite's boundary tests (written against DynamoDB): 38 ones then zeros, 20 bytes; and so on.
  it.each([
    ['1'.repeat(38) + '0'.repeat(88), 20],
    ['1' + '0'.repeat(125), 2],
    ['11' + '0'.repeat(124), 2],
    ['11111' + '0'.repeat(121), 4],
    ['111111' + '0'.repeat(120), 4],
    ['1111111' + '0'.repeat(119), 5],
  ] as [string, number][])('dynalite %#: %i bytes', (n, size) => {
    expect(numberSize(n)).toBe(size);
  });
});

describe('integer fast path of addNumbers and subtractNumbers', () => {
  it('gives the same normal text as exact arithmetic', async () => {
    const { addNumbers, subtractNumbers } = await import('../../src/model/index.js');
    expect(addNumbers('-0', '0')).toEqual({ value: '0' });
    expect(subtractNumbers('-0', '0')).toEqual({ value: '0' });
    expect(addNumbers('007', '-7')).toEqual({ value: '0' });
    expect(subtractNumbers('1', '999999999999999')).toEqual({ value: '-999999999999998' });
    expect(addNumbers('999999999999999', '999999999999999')).toEqual({ value: '1999999999999998' });
    // Past 15 digits the exact path takes over.
    expect(addNumbers('9999999999999999', '1')).toEqual({ value: '10000000000000000' });
    expect(addNumbers('12345678901234567890', '1')).toEqual({ value: '12345678901234567891' });
  });
});
