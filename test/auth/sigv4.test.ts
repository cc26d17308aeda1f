import { describe, expect, it } from 'vitest';
import { authParameters } from '../../src/auth/sigv4.js';

/** What the scan replaced: the words after the first, split at runs of commas and spaces. */
function bySplit(header: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const part of header.trim().split(/[, ]+/).slice(1)) {
    const eq = part.indexOf('=');
    if (eq > 0) params[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return params;
}

describe('Authorization header parameters', () => {
  it('reads the SDK\'s header', () => {
    expect(authParameters('AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc=')).toEqual({
      Credential: 'AKID/20260101/us-east-1/dynamodb/aws4_request',
      SignedHeaders: 'host;x-amz-date',
      Signature: 'abc=',
    });
    expect(authParameters('AWS4-HMAC-SHA256')).toEqual({});
    expect(authParameters('  AWS4-HMAC-SHA256 ,, =x a= b=c,=,d  ')).toEqual({ a: '', b: 'c' });
  });

  it('agrees with splitting at /[, ]+/ on 20,000 seeded random headers', () => {
    const alphabet = 'AWS4- ,=abc/;\t';
    let state = 7;
    const next = () => (state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32;
    for (let n = 0; n < 20_000; n++) {
      let header = 'AWS4-HMAC-SHA256';
      const length = Math.floor(next() * 30);
      for (let i = 0; i < length; i++) header += alphabet[Math.floor(next() * alphabet.length)];
      expect(authParameters(header), JSON.stringify(header)).toEqual(bySplit(header));
    }
  });
});
