import { Decimal } from 'decimal.js';
import {
  NUMBER_EMPTY,
  NUMBER_OVERFLOW,
  NUMBER_PRECISION,
  NUMBER_UNDERFLOW,
  notANumber,
} from './messages.js';

// DynamoDB numbers are Oracle-style decimals: up to 38 significant digits, magnitude 1E-130 to
// 9.9999999999999999999999999999999999999E+125 (Developer Guide, "Supported data types").
const MAX_DIGITS = 38;
const MAX_EXPONENT = 125;
const MIN_EXPONENT = -130;

/**
 * A number reduced to sign, significant digits and the power of ten of the first digit:
 * "-0.0150" is { negative: true, digits: '15', exponent: -2 }. Zero has no digits.
 */
interface Parts {
  negative: boolean;
  digits: string;
  exponent: number;
}

const ZERO = 48;
const NINE = 57;
const DOT = 46;
const PLUS = 43;
const MINUS = 45;

function isDigit(code: number): boolean {
  return code >= ZERO && code <= NINE;
}

/**
 * DynamoDB's grammar, captured by dynoxide against the service: sign? coefficient exponent?, where
 * the coefficient has at least one digit and at most one '.', and the exponent is e|E, sign?,
 * digits. "+5", ".5", "5." and "1e+2" are numbers; " 5", "1e", "1.2.3", "NaN" and "Infinity" are not.
 */
function parse(text: string): Parts | undefined {
  const n = text.length;
  let i = 0;
  let negative = false;
  const first = text.charCodeAt(0);
  if (first === PLUS || first === MINUS) {
    negative = first === MINUS;
    i = 1;
  }
  const start = i;
  let dot = -1;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === DOT) {
      if (dot >= 0) return undefined;
      dot = i;
    } else if (!isDigit(c)) {
      break;
    }
  }
  const end = i;
  const digitCount = end - start - (dot >= 0 ? 1 : 0);
  if (digitCount === 0) return undefined;

  let power = 0;
  if (i < n) {
    const c = text.charCodeAt(i);
    if (c !== 101 && c !== 69) return undefined; // e, E
    i++;
    let expNegative = false;
    const sign = text.charCodeAt(i);
    if (sign === PLUS || sign === MINUS) {
      expNegative = sign === MINUS;
      i++;
    }
    const expStart = i;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
    if (i === expStart || i < n) return undefined;
    // An absurd exponent parses to Infinity, which the range checks then reject.
    power = Number(text.slice(expStart, i));
    if (expNegative) power = -power;
  }

  const mantissa = dot < 0 ? text.slice(start, end) : text.slice(start, dot) + text.slice(dot + 1, end);
  const intDigits = (dot < 0 ? end : dot) - start;
  let lead = 0;
  while (lead < mantissa.length && mantissa.charCodeAt(lead) === ZERO) lead++;
  if (lead === mantissa.length) return { negative: false, digits: '', exponent: 0 };
  let trail = mantissa.length;
  while (mantissa.charCodeAt(trail - 1) === ZERO) trail--;
  return { negative, digits: mantissa.slice(lead, trail), exponent: intDigits - lead - 1 + power };
}

function rangeError(parts: Parts): string | undefined {
  if (parts.digits === '') return undefined;
  // Order as dynalite found it: magnitude before precision.
  if (parts.exponent > MAX_EXPONENT) return NUMBER_OVERFLOW;
  if (parts.exponent < MIN_EXPONENT) return NUMBER_UNDERFLOW;
  if (parts.digits.length > MAX_DIGITS) return NUMBER_PRECISION;
  return undefined;
}

function plain(parts: Parts): string {
  const { digits, exponent } = parts;
  if (digits === '') return '0';
  let text: string;
  if (exponent < 0) text = '0.' + '0'.repeat(-exponent - 1) + digits;
  else if (exponent >= digits.length - 1) text = digits + '0'.repeat(exponent - digits.length + 1);
  else text = digits.slice(0, exponent + 1) + '.' + digits.slice(exponent + 1);
  return parts.negative ? '-' + text : text;
}

/**
 * The message DynamoDB gives for a number string it will not store, or undefined when it is a
 * valid number.
 *
 * @example
 * checkNumber('1e126'); // 'Number overflow. Attempting to store a number with magnitude larger than supported range'
 * checkNumber('00042'); // undefined
 */
export function checkNumber(text: string): string | undefined {
  if (text === '') return NUMBER_EMPTY;
  const parts = parse(text);
  return parts === undefined ? notANumber(text) : rangeError(parts);
}

const NORMAL = /^-?(?:0|[1-9]\d*)(?:\.\d*[1-9])?$/;

/**
 * The text DynamoDB returns for a valid number: plain notation (never an exponent), no leading or
 * trailing zeros, no '+', and "0" for every zero. The conformance suite and dynoxide's captures give
 * "00042" -> "42", "3.1400" -> "3.14", "1.5E2" -> "150", "-0" -> "0", "+.5" -> "0.5".
 *
 * @example
 * normaliseNumber('1.50E3'); // '1500'
 */
export function normaliseNumber(text: string): string {
  // Most numbers arrive already normal ("42", "-3.5"); recognising them skips the parse.
  if (NORMAL.test(text) && text !== '-0') return text;
  const parts = parse(text);
  return parts === undefined ? text : plain(parts);
}

function compareParts(a: Parts, b: Parts): -1 | 0 | 1 {
  const signA = a.digits === '' ? 0 : a.negative ? -1 : 1;
  const signB = b.digits === '' ? 0 : b.negative ? -1 : 1;
  if (signA !== signB) return signA < signB ? -1 : 1;
  if (signA === 0) return 0;
  let order: number;
  if (a.exponent !== b.exponent) order = a.exponent < b.exponent ? -1 : 1;
  // Digit strings carry no leading zeros, so at equal exponents text order is numeric order.
  else order = a.digits === b.digits ? 0 : a.digits < b.digits ? -1 : 1;
  return (signA < 0 ? -order : order) as -1 | 0 | 1;
}

/**
 * Numeric order of two valid number strings: -1, 0 or 1. "1" and "1.0" are equal.
 *
 * @example
 * compareNumbers('-10', '9'); // -1
 */
export function compareNumbers(a: string, b: string): -1 | 0 | 1 {
  return compareParts(parse(a)!, parse(b)!);
}

/**
 * Bytes a valid number counts for in an item's size. DynamoDB keeps numbers as Oracle NUMBER does:
 * an exponent byte, then the significant digits in base-100 pairs aligned on the decimal point,
 * then a terminator byte for negatives. This agrees with every size dynoxide measured against the
 * service ("1.5" 3, "100.5" 4, "0.15" 2, "-42" 3, "1E125" 2, ...) and with dynalite's formula.
 */
export function numberSize(text: string): number {
  const parts = parse(text)!;
  if (parts.digits === '') return 1;
  // An even exponent puts the first digit alone in the low half of its pair.
  const pad = parts.exponent % 2 === 0 ? 1 : 0;
  return 1 + Math.ceil((parts.digits.length + pad) / 2) + (parts.negative ? 1 : 0);
}

// Operands have at most 38 digits between 1E-130 and 1E+126, so an exact sum has under 260 digits:
// with 400 there is never rounding, and the range checks see the true result.
const Exact = Decimal.clone({ precision: 400 });

/** The normalised result of exact arithmetic, or the message DynamoDB gives when it cannot be stored. */
export type ArithmeticResult = { value: string; error?: undefined } | { error: string; value?: undefined };

function arithmeticResult(result: Decimal): ArithmeticResult {
  const parts = parse(result.toFixed())!;
  const error = rangeError(parts);
  return error === undefined ? { value: plain(parts) } : { error };
}

/**
 * a + b, exactly, as UpdateItem's `SET x = a + b` and `ADD` compute it; a result DynamoDB cannot
 * store (more than 38 significant digits, or out of range) gives its message instead.
 *
 * @example
 * addNumbers('0.1', '0.2'); // { value: '0.3' }
 * addNumbers('1E+37', '0.1'); // { error: 'Attempting to store more than 38 significant digits in a Number' }
 */
export function addNumbers(a: string, b: string): ArithmeticResult {
  if (SMALL_INTEGER.test(a) && SMALL_INTEGER.test(b)) return { value: String(Number(a) + Number(b)) };
  return arithmeticResult(new Exact(normaliseNumber(a)).plus(normaliseNumber(b)));
}

// Counters dominate arithmetic in practice. Integers of up to 15 digits add and subtract exactly
// in doubles (the result stays below 2^53), with no decimal library and no allocation.
const SMALL_INTEGER = /^-?\d{1,15}$/;

/**
 * a - b, exactly, with the same limits as {@link addNumbers}.
 *
 * @example
 * subtractNumbers('0.3', '0.1'); // { value: '0.2' }
 */
export function subtractNumbers(a: string, b: string): ArithmeticResult {
  if (SMALL_INTEGER.test(a) && SMALL_INTEGER.test(b)) return { value: String(Number(a) - Number(b)) };
  return arithmeticResult(new Exact(normaliseNumber(a)).minus(normaliseNumber(b)));
}
