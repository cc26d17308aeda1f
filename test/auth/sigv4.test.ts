import { describe, expect, it } from 'vitest';
import { authParameters } from '../../src/auth/sigv4.js';

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
});
