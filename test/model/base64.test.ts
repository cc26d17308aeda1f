import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64 } from '../../src/model/index.js';

describe('base64', () => {
  it('round-trips bytes of every length and value', () => {
    for (let length = 0; length < 70; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 97 + length * 31) & 255);
      const text = bytesToBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(base64ToBytes(text)).toEqual(bytes);
    }
  });

  it('decodes examples', () => {
    expect(base64ToBytes('')).toEqual(new Uint8Array(0));
    expect(base64ToBytes('YQ==')).toEqual(new Uint8Array([97]));
    expect(base64ToBytes('+/8=')).toEqual(new Uint8Array([251, 255]));
  });
});
