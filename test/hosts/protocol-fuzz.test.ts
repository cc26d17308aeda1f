/**
 * The wire protocol under hostile input: mutated bodies, targets, content types and authentication
 * headers. Every answer must be a DynamoDB answer (200, a 400 JSON error body of a DynamoDB type, or
 * the 404 the service gives non-JSON requests); never a 500, a throw or a hang.
 */
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Tidepool } from '../../src/index.js';
import type { WireRequest, WireResponse } from '../../src/hosts/protocol.js';
import { compositeTable, hashTable, withTables } from '../helpers.js';
import { mulberry32 } from '../support/random.js';

const VALID: [string, object][] = [
  ['PutItem', { TableName: 'hashes', Item: { pk: { S: 'a' }, n: { N: '1' }, l: { L: [{ M: { b: { B: 'AQID' } } }] } } }],
  ['GetItem', { TableName: 'hashes', Key: { pk: { S: 'a' } }, ProjectionExpression: '#n, l[0].b', ExpressionAttributeNames: { '#n': 'n' } }],
  ['UpdateItem', { TableName: 'hashes', Key: { pk: { S: 'a' } }, UpdateExpression: 'SET n = n + :one', ExpressionAttributeValues: { ':one': { N: '1' } } }],
  ['Query', { TableName: 'composite', KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b', ExpressionAttributeValues: { ':p': { S: 'a' }, ':a': { N: '1' }, ':b': { N: '9' } } }],
  ['Scan', { TableName: 'composite', Limit: 3, Segment: 0, TotalSegments: 2 }],
  ['BatchWriteItem', { RequestItems: { hashes: [{ PutRequest: { Item: { pk: { S: 'b' } } } }, { DeleteRequest: { Key: { pk: { S: 'c' } } } }] } }],
  ['TransactWriteItems', { TransactItems: [{ ConditionCheck: { TableName: 'hashes', Key: { pk: { S: 'a' } }, ConditionExpression: 'attribute_exists(pk)' } }] }],
  ['CreateTable', compositeTable('fuzzed')],
  ['ListTables', { Limit: 2 }],
];
const TARGETS = ['DynamoDB_20120810.', 'DynamoDBStreams_20120810.', 'DynamoDB_20111205.', '', 'dynamodb_20120810.'];
const CONTENT_TYPES = ['application/x-amz-json-1.0', 'application/json', 'application/x-amz-json-1.1', 'text/plain', '', 'application/json; charset=utf-8'];
const AUTHS = [
  'AWS4-HMAC-SHA256 Credential=k/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc',
  'AWS4-HMAC-SHA256 Credential=k',
  'AWS4-',
  'Bearer x',
  '',
];
const JUNK = ['null', '[]', '{}', '""', '-0', '1e400', '{"S":', '\\u0000', '"\\ud800"', '{"__proto__":{}}', '[[[[[[[[[[]]]]]]]]]]', 'true'];

const encoder = new TextEncoder();
let db: Tidepool;
let answer: (request: WireRequest) => WireResponse | Promise<WireResponse>;

beforeAll(async () => {
  db = await withTables([hashTable(), compositeTable()]);
  answer = db.protocol();
});
afterAll(() => db.close());

function mutate(text: string, next: () => number): string {
  const at = Math.floor(next() * (text.length + 1));
  switch (Math.floor(next() * 5)) {
    case 0:
      return text.slice(0, at);
    case 1:
      return text.slice(0, at) + String.fromCharCode(Math.floor(next() * 0x3000)) + text.slice(at + 1);
    case 2:
      return text.slice(0, at) + JUNK[Math.floor(next() * JUNK.length)] + text.slice(at);
    case 3: {
      // Replace one JSON value (after a colon) with junk: well-formed JSON of the wrong shape.
      const colons = [...text.matchAll(/:/g)].map((m) => m.index!);
      if (colons.length === 0) return text;
      const c = colons[Math.floor(next() * colons.length)];
      const end = text.slice(c + 1).search(/[,}\]]/);
      return `${text.slice(0, c + 1)}${JUNK[Math.floor(next() * JUNK.length)]}${end < 0 ? '' : text.slice(c + 1 + end)}`;
    }
    default:
      return text;
  }
}

it('answers 15,000 mutated requests with DynamoDB responses only', async () => {
  const next = mulberry32(2026);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  const statuses = new Map<number, number>();
  for (let i = 0; i < 15_000; i++) {
    const [action, input] = pick(VALID);
    let body = JSON.stringify(input);
    for (let m = Math.floor(next() * 3); m > 0; m--) body = mutate(body, next);
    const headers: Record<string, string> = {
      'content-type': next() < 0.8 ? CONTENT_TYPES[0] : pick(CONTENT_TYPES),
      'x-amz-target': next() < 0.85 ? `DynamoDB_20120810.${action}` : `${pick(TARGETS)}${next() < 0.5 ? action : pick(VALID)[0]}`,
      'x-amz-date': '20260101T000000Z',
    };
    const auth = next() < 0.9 ? AUTHS[0] : pick(AUTHS);
    if (auth) headers.authorization = auth;
    const method = next() < 0.97 ? 'POST' : pick(['GET', 'PUT', 'DELETE', 'OPTIONS']);
    const response = await answer({ method, path: '/', query: {}, headers, body: encoder.encode(body) });
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    const context = `${method} ${headers['x-amz-target']} ${body}`;
    expect([200, 400, 404], context).toContain(response.status);
    expect([response.headers['x-amz-crc32'], response.headers['content-length']], context).toEqual([String(crc32(response.body)), String(response.body.length)]);
    if (response.status === 400) {
      const error = JSON.parse(new TextDecoder().decode(response.body));
      expect(error.__type, context).toMatch(/^com\.amazon(aws\.dynamodb\.v20120810|\.coral\.(validate|service))#[A-Za-z]+$/);
      expect(error.__type, context).not.toMatch(/InternalServerError/);
    }
  }
  // The run exercised every kind of answer, not only one.
  expect([...statuses.keys()].sort()).toEqual([200, 400, 404]);
  expect(statuses.get(200)).toBeGreaterThan(1500);
});
