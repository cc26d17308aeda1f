// Base64 without Buffer or atob, so the model runs unchanged in browsers and workers.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const PAD = 61; // '='

/** Sextet value of each character code, -1 where the character is not in the alphabet. */
const SEXTET = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) SEXTET[ALPHABET.charCodeAt(i)] = i;

function sextet(code: number): number {
  return code < 128 ? SEXTET[code]! : -1;
}

/**
 * Whether `text` is base64 exactly as an encoder would write it: alphabet characters, padding only at
 * the end, and zero bits in the last character's unused low bits. DynamoDB refuses the rest, as it
 * would not round-trip (dynalite re-encodes to check the same thing). The length is checked apart,
 * because DynamoDB reports it with its own message.
 */
export function isCanonicalBase64(text: string): boolean {
  const n = text.length;
  if (n === 0) return true;
  const pads = text.charCodeAt(n - 1) !== PAD ? 0 : text.charCodeAt(n - 2) === PAD ? 2 : 1;
  const dataEnd = n - pads;
  for (let i = 0; i < dataEnd; i++) {
    if (sextet(text.charCodeAt(i)) < 0) return false;
  }
  if (pads === 2) return (sextet(text.charCodeAt(dataEnd - 1)) & 0b1111) === 0;
  if (pads === 1) return (sextet(text.charCodeAt(dataEnd - 1)) & 0b11) === 0;
  return true;
}

/** Decoded length of canonical base64 text, without decoding it. */
export function base64ByteLength(text: string): number {
  const n = text.length;
  if (n === 0) return 0;
  const pads = text.charCodeAt(n - 1) !== PAD ? 0 : text.charCodeAt(n - 2) === PAD ? 2 : 1;
  return (n / 4) * 3 - pads;
}

/**
 * Standard padded base64, as DynamoDB writes binaries on the wire.
 *
 * @example
 * bytesToBase64(new Uint8Array([97])); // 'YQ=='
 */
export function bytesToBase64(bytes: Uint8Array): string {
  let out = '';
  const whole = bytes.length - (bytes.length % 3);
  for (let i = 0; i < whole; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - whole;
  if (rest === 1) {
    const n = bytes[whole]! << 16;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (bytes[whole]! << 16) | (bytes[whole + 1]! << 8);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + '=';
  }
  return out;
}

/**
 * The bytes of canonical base64 text (see isCanonicalBase64).
 *
 * @example
 * base64ToBytes('YQ=='); // Uint8Array [97]
 */
export function base64ToBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(base64ByteLength(text));
  let j = 0;
  for (let i = 0; i < text.length && j < bytes.length; i += 4) {
    const n =
      (sextet(text.charCodeAt(i)) << 18) |
      (sextet(text.charCodeAt(i + 1)) << 12) |
      ((sextet(text.charCodeAt(i + 2)) & 63) << 6) |
      (sextet(text.charCodeAt(i + 3)) & 63);
    bytes[j++] = n >> 16;
    if (j < bytes.length) bytes[j++] = (n >> 8) & 255;
    if (j < bytes.length) bytes[j++] = n & 255;
  }
  return bytes;
}
