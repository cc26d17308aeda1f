/**
 * `tidepool serve` on the wire: raw HTTP requests and the exact responses DynamoDB gives them.
 */
import { crc32 } from 'node:zlib';
import { Sha256 } from '@aws-crypto/sha256-js';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tidepool } from '../../src/index.js';
import { MAX_REQUEST_BYTES, serve, type Server } from '../../src/hosts/server.js';

const AUTH = 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc';

interface Reply {
  status: number;
  headers: Headers;
  text: string;
}

async function post(url: string, target: string | undefined, body: string, headers: Record<string, string> = {}): Promise<Reply> {
  const all: Record<string, string> = { 'content-type': 'application/x-amz-json-1.0', authorization: AUTH, 'x-amz-date': '20260101T000000Z', ...headers };
  if (target !== undefined) all['x-amz-target'] = target;
  for (const [name, value] of Object.entries(all)) if (value === '') delete all[name];
  const response = await fetch(url, { method: 'POST', headers: all, body });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

const json = (reply: Reply) => ({ status: reply.status, body: JSON.parse(reply.text) });

describe('tidepool serve: the JSON 1.0 protocol', () => {
  let db: Tidepool;
  let server: Server;

  beforeAll(async () => {
    db = await Tidepool.open();
    server = await serve(db, { port: 0 });
    await db.send('CreateTable', {
      TableName: 'things',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  it('listens on 127.0.0.1 and answers an action with DynamoDB headers', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const reply = await post(server.url, 'DynamoDB_20120810.ListTables', '{}');
    expect(json(reply)).toEqual({ status: 200, body: { TableNames: ['things'] } });
    expect(reply.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(reply.headers.get('x-amz-crc32')).toBe(String(crc32(Buffer.from(reply.text))));
    expect(reply.headers.get('content-length')).toBe(String(Buffer.byteLength(reply.text)));
    expect(reply.headers.get('x-amzn-requestid')).toMatch(/^[0-9A-Z]{52}$/);
  });

  it('answers application/json requests in kind', async () => {
    const reply = await post(server.url, 'DynamoDB_20120810.ListTables', '{}', { 'content-type': 'application/json; charset=utf-8' });
    expect([reply.status, reply.headers.get('content-type')]).toEqual([200, 'application/json']);
  });

  it('gives DynamoDB error bodies with the service type, message and status', async () => {
    expect(json(await post(server.url, 'DynamoDB_20120810.GetItem', '{"TableName":"missing","Key":{"id":{"S":"a"}}}'))).toEqual({
      status: 400,
      body: { __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: 'Requested resource not found' },
    });
    expect(json(await post(server.url, 'DynamoDB_20120810.GetItem', '{"TableName":"things","Key":{"id":{"N":"1"}}}'))).toEqual({
      status: 400,
      body: { __type: 'com.amazon.coral.validate#ValidationException', message: 'The provided key element does not match the schema' },
    });
    expect(json(await post(server.url, 'DynamoDB_20120810.GetItem', '{"TableName":1}'))).toEqual({
      status: 400,
      body: { __type: 'com.amazon.coral.service#SerializationException', Message: 'NUMBER_VALUE cannot be converted to String' },
    });
  });

  it('carries the item of a failed condition and the reasons of a cancelled transaction', async () => {
    await post(server.url, 'DynamoDB_20120810.PutItem', '{"TableName":"things","Item":{"id":{"S":"a"},"n":{"N":"1"}}}');
    expect(
      json(await post(server.url, 'DynamoDB_20120810.DeleteItem', '{"TableName":"things","Key":{"id":{"S":"a"}},"ConditionExpression":"n = :two","ExpressionAttributeValues":{":two":{"N":"2"}},"ReturnValuesOnConditionCheckFailure":"ALL_OLD"}')),
    ).toEqual({
      status: 400,
      body: { __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException', message: 'The conditional request failed', Item: { id: { S: 'a' }, n: { N: '1' } } },
    });
    const transaction = { TransactItems: [{ ConditionCheck: { TableName: 'things', Key: { id: { S: 'a' } }, ConditionExpression: 'attribute_not_exists(id)' } }] };
    expect(json(await post(server.url, 'DynamoDB_20120810.TransactWriteItems', JSON.stringify(transaction)))).toEqual({
      status: 400,
      body: {
        __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
        Message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed]',
        CancellationReasons: [{ Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' }],
      },
    });
  });

  it('refuses a body that is not JSON, and an empty one, with a bare SerializationException', async () => {
    const bare = { status: 400, body: { __type: 'com.amazon.coral.service#SerializationException' } };
    expect(json(await post(server.url, 'DynamoDB_20120810.ListTables', '{"TableNames":'))).toEqual(bare);
    expect(json(await post(server.url, 'DynamoDB_20120810.ListTables', '\xff'))).toEqual(bare);
    expect(json(await post(server.url, 'DynamoDB_20120810.ListTables', ''))).toEqual(bare);
    expect(json(await post(server.url, 'DynamoDB_20120810.ListTables', '[]'))).toEqual(bare);
  });

  it('refuses unknown targets with a bare UnknownOperationException, before looking at authentication', async () => {
    const unknown = { status: 400, body: { __type: 'com.amazon.coral.service#UnknownOperationException' } };
    for (const target of [undefined, 'DynamoDB_20120810.Frobnicate', 'DynamoDB_20991231.ListTables', 'ListTables', 'DynamoDBStreams_20120810.PutItem']) {
      expect(json(await post(server.url, target, '{}', { authorization: '' }))).toEqual(unknown);
    }
  });

  it('names operations of the service that Tidepool does not implement yet', async () => {
    expect(json(await post(server.url, 'DynamoDB_20120810.CreateBackup', '{}'))).toEqual({
      status: 400,
      body: { __type: 'com.amazon.coral.service#UnknownOperationException', message: 'Tidepool does not implement CreateBackup yet' },
    });
  });

  it('requires complete authentication material, as DynamoDB does', async () => {
    expect(json(await post(server.url, 'DynamoDB_20120810.ListTables', '{}', { authorization: '' }))).toEqual({
      status: 400,
      body: { __type: 'com.amazon.coral.service#MissingAuthenticationTokenException', message: 'Request is missing Authentication Token' },
    });
    expect(json(await post(server.url, 'DynamoDB_20120810.ListTables', '{}', { authorization: 'Basic dXNlcjpwYXNz' }))).toEqual({
      status: 400,
      body: { __type: 'com.amazon.coral.service#MissingAuthenticationTokenException', message: 'Request is missing Authentication Token' },
    });
    expect(json(await post(server.url, 'DynamoDB_20120810.ListTables', '{}', { authorization: 'AWS4-HMAC-SHA256 Credential=a/b', 'x-amz-date': '' }))).toEqual({
      status: 400,
      body: {
        __type: 'com.amazon.coral.service#IncompleteSignatureException',
        message:
          "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 Credential=a/b",
      },
    });
    expect(json(await post(`${server.url}/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20260101T000000Z`, 'DynamoDB_20120810.ListTables', '{}', { authorization: '' }))).toEqual({
      status: 400,
      body: {
        __type: 'com.amazon.coral.service#IncompleteSignatureException',
        message: "AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string parameters must include 'X-Amz-Signature'. AWS query-string parameters must include 'X-Amz-SignedHeaders'. Re-examine the query-string parameters.",
      },
    });
    expect(json(await post(`${server.url}/?X-Amz-Algorithm=AWS4-HMAC-SHA256`, 'DynamoDB_20120810.ListTables', '{}'))).toEqual({
      status: 400,
      body: { __type: 'com.amazon.coral.service#InvalidSignatureException', message: "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header." },
    });
  });

  it('answers GET with a health line and other methods or content types with 404', async () => {
    const health = await fetch(server.url);
    expect([health.status, await health.text()]).toEqual([200, 'healthy: dynamodb.us-east-1.amazonaws.com ']);
    const put = await fetch(server.url, { method: 'PUT', body: '{}' });
    expect([put.status, await put.text()]).toEqual([404, '<UnknownOperationException/>\n']);
    const xml = await post(server.url, 'DynamoDB_20120810.ListTables', '{}', { 'content-type': 'text/xml' });
    expect([xml.status, xml.text]).toEqual([404, '<UnknownOperationException/>\n']);
  });

  it('lets web pages call it (CORS)', async () => {
    const preflight = await fetch(server.url, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-amz-target,authorization' },
    });
    expect([preflight.status, preflight.headers.get('access-control-allow-origin'), preflight.headers.get('access-control-allow-methods'), preflight.headers.get('access-control-allow-headers'), preflight.headers.get('access-control-max-age')]).toEqual([
      200,
      '*',
      'POST',
      'content-type,x-amz-target,authorization',
      '172800',
    ]);
    const reply = await post(server.url, 'DynamoDB_20120810.ListTables', '{}', { origin: 'http://localhost:5173' });
    expect([reply.headers.get('access-control-allow-origin'), reply.headers.get('access-control-expose-headers')]).toEqual(['*', 'x-amzn-RequestId,x-amz-crc32']);
    expect((await post(server.url, 'DynamoDB_20120810.ListTables', '{}')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses requests over 16 MB with 413 without reading them, and keeps serving', async () => {
    const reply = await post(server.url, 'DynamoDB_20120810.ListTables', 'x'.repeat(MAX_REQUEST_BYTES + 1));
    expect([reply.status, reply.text]).toEqual([413, '']);
    expect((await post(server.url, 'DynamoDB_20120810.ListTables', '{}')).status).toBe(200);
  });

  it('answers exactly as db.requestHandler() does, byte for byte', async () => {
    const handler = db.requestHandler();
    const requests: [string, string][] = [
      ['GetItem', '{"TableName":"things","Key":{"id":{"S":"a"}}}'],
      ['Query', '{"TableName":"things","KeyConditionExpression":"id = :a","ExpressionAttributeValues":{":a":{"S":"a"}}}'],
      ['UpdateItem', '{"TableName":"things","Key":{"id":{"S":"b"}},"UpdateExpression":"SET x = :x","ExpressionAttributeValues":{":x":{"N":"1e3"}},"ReturnValues":"ALL_NEW"}'],
      ['GetItem', '{"TableName":"things","Key":{"id":{"B":"AQ=="}}}'],
      ['Frobnicate', '{}'],
    ];
    for (const [action, body] of requests) {
      const headers = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${action}`, authorization: AUTH, 'x-amz-date': '20260101T000000Z' };
      const { response } = await handler.handle({ method: 'POST', path: '/', headers, body });
      const reply = await post(server.url, headers['x-amz-target'], body);
      const viaHandler = { status: response.statusCode, body: new TextDecoder().decode(response.body), crc: response.headers['x-amz-crc32'], length: response.headers['content-length'] };
      expect(viaHandler).toEqual({ status: reply.status, body: reply.text, crc: reply.headers.get('x-amz-crc32'), length: reply.headers.get('content-length') });
    }
  });

  it('survives hostile bodies: every answer is a DynamoDB error or a result', async () => {
    const bodies = ['{"TableName":{"__proto__":{"x":1}}}', '{"__proto__":{"TableName":"things"}}', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, '{"Item":'.repeat(5000), '"string"', 'null', '1e999999'];
    for (const target of ['PutItem', 'Query', 'CreateTable', 'BatchWriteItem']) {
      for (const body of bodies) {
        const reply = await post(server.url, `DynamoDB_20120810.${target}`, body);
        expect(reply.status).toBe(400);
        expect(JSON.parse(reply.text).__type).toMatch(/^com\.amazon(aws\.dynamodb\.v20120810|\.coral\.(validate|service))#[A-Za-z]+Exception$/);
      }
    }
  });
});

describe('tidepool serve --credentials: signature verification', () => {
  let db: Tidepool;
  let server: Server;
  const secrets = new Map([['AKIDLOCAL', 'secret-one']]);

  beforeAll(async () => {
    db = await Tidepool.open();
    server = await serve(db, { port: 0, credentials: secrets });
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  /** Signs a ListTables request the way the SDK does, then lets the test tamper with it. */
  async function signed(accessKeyId: string, secretAccessKey: string, body = '{}', date = new Date()) {
    const url = new URL(server.url);
    const signer = new SignatureV4({ credentials: { accessKeyId, secretAccessKey }, region: 'us-east-1', service: 'dynamodb', sha256: Sha256 });
    const request = await signer.sign(
      {
        method: 'POST',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: '/',
        headers: { host: url.host, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables' },
        body,
      },
      { signingDate: date },
    );
    return request.headers as Record<string, string>;
  }

  const send = (headers: Record<string, string>, body = '{}') => fetch(server.url, { method: 'POST', headers, body }).then(async (r) => ({ status: r.status, body: JSON.parse(await r.text()) }));

  it('accepts the AWS SDK with a known key', async () => {
    const client = new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'secret-one' } });
    expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual([]);
    client.destroy();
  });

  it('accepts a correctly signed raw request', async () => {
    expect(await send(await signed('AKIDLOCAL', 'secret-one'))).toEqual({ status: 200, body: { TableNames: [] } });
  });

  it('refuses an unknown access key with UnrecognizedClientException', async () => {
    expect(await send(await signed('AKIDOTHER', 'secret-one'))).toEqual({
      status: 400,
      body: { __type: 'com.amazon.coral.service#UnrecognizedClientException', message: 'The security token included in the request is invalid.' },
    });
  });

  const badSignature = {
    status: 400,
    body: {
      __type: 'com.amazon.coral.service#InvalidSignatureException',
      message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    },
  };

  it('refuses a wrong secret, a changed body and a changed signed header with InvalidSignatureException', async () => {
    expect(await send(await signed('AKIDLOCAL', 'secret-two'))).toEqual(badSignature);
    // The SDK signs x-amz-content-sha256: a forged body must not pass with the original hash.
    expect(await send(await signed('AKIDLOCAL', 'secret-one'), '{"Limit":1}')).toEqual(badSignature);
    const headers = await signed('AKIDLOCAL', 'secret-one');
    delete headers['x-amz-content-sha256'];
    expect(await send(headers, '{"Limit":1}')).toEqual(badSignature);
    expect(await send({ ...(await signed('AKIDLOCAL', 'secret-one')), 'x-amz-target': 'DynamoDB_20120810.DescribeTable' }, '{"TableName":"x"}')).toEqual(badSignature);
  });

  it('refuses a signature more than 15 minutes old', async () => {
    const reply = await send(await signed('AKIDLOCAL', 'secret-one', '{}', new Date(Date.now() - 16 * 60 * 1000)));
    expect(reply.status).toBe(400);
    expect(reply.body.__type).toBe('com.amazon.coral.service#InvalidSignatureException');
    expect(reply.body.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
  });

  it('checks the credential scope and the signed headers', async () => {
    const headers = await signed('AKIDLOCAL', 'secret-one');
    const date = headers['x-amz-date'];
    const scoped = headers.authorization.replace('/us-east-1/dynamodb/aws4_request', '/nowhere/s3/aws4_response');
    expect(await send({ ...headers, authorization: scoped })).toEqual({
      status: 400,
      body: {
        __type: 'com.amazon.coral.service#InvalidSignatureException',
        message: "Credential should be scoped to a valid region, not 'nowhere'. Credential should be scoped to correct service: 'dynamodb'. Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4_response'.",
      },
    });
    const noHost = headers.authorization.replace('SignedHeaders=content-type;host;', 'SignedHeaders=content-type;');
    expect(await send({ ...headers, authorization: noHost })).toEqual({
      status: 400,
      body: { __type: 'com.amazon.coral.service#InvalidSignatureException', message: "'Host' must be a 'SignedHeader' in the AWS Authorization." },
    });
    expect(await send({ ...headers, 'x-amz-date': date.slice(0, 8) })).toEqual({
      status: 400,
      body: { __type: 'com.amazon.coral.service#IncompleteSignatureException', message: `Date must be in ISO-8601 'basic format'. Got '${date.slice(0, 8)}'. See http://en.wikipedia.org/wiki/ISO_8601` },
    });
  });
});
