/**
 * Signature V4 as DynamoDB checks it. `checkAuthorization` is what the service does for every
 * request: the Authorization header (or presigned query) must be present and complete.
 * `verifySignature` is what an endpoint started with credentials adds: the scope, the clock, the
 * access key and the signature itself. Signatures are computed by @smithy/signature-v4, the AWS
 * SDK's own signer, never by hand.
 *
 * Texts and their order are the service's, as recorded in dynalite's notes on captured responses.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { DynamoError } from '../model/index.js';

/** An access key the endpoint accepts, with its secret. */
export interface Credential {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The parts of an HTTP request a signature covers. Header names are lower case. */
export interface SignableRequest {
  method: string;
  path: string;
  /** Decoded query parameters. */
  query: Record<string, string>;
  headers: Record<string, string>;
  body: Uint8Array;
}

const MISSING_TOKEN = 'Request is missing Authentication Token';
const BAD_SIGNATURE =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const UNKNOWN_KEY = 'The security token included in the request is invalid.';
/** The service refuses a signature whose date is further than this from its clock either way. */
const SKEW_MS = 15 * 60 * 1000;

const fail = (type: string, message: string) => new DynamoError(type, message);

/** The Authorization header's key=value parameters (Credential, SignedHeaders, Signature). */
export function authParameters(header: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const part of header.trim().split(/[, ]+/).slice(1)) {
    const eq = part.indexOf('=');
    if (eq > 0) params[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return params;
}

/**
 * DynamoDB's check that a request carries complete authentication material, before anything else
 * about it is looked at. Returns the error to answer with, or undefined.
 */
export function checkAuthorization(request: SignableRequest): DynamoError | undefined {
  const header = request.headers['authorization'];
  const presigned = 'X-Amz-Algorithm' in request.query;
  if (header !== undefined && presigned) {
    return fail('InvalidSignatureException', "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.");
  }
  if (presigned) {
    let message = '';
    for (const name of ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date']) {
      if (!request.query[name]) message += `AWS query-string parameters must include '${name}'. `;
    }
    return message ? fail('IncompleteSignatureException', `${message}Re-examine the query-string parameters.`) : undefined;
  }
  if (header === undefined || !header.trim().startsWith('AWS4-')) return fail('MissingAuthenticationTokenException', MISSING_TOKEN);
  const params = authParameters(header);
  let message = '';
  for (const name of ['Credential', 'Signature', 'SignedHeaders']) {
    if (!params[name]) message += `Authorization header requires '${name}' parameter. `;
  }
  if (request.headers['x-amz-date'] === undefined && request.headers['date'] === undefined) {
    message += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  }
  return message ? fail('IncompleteSignatureException', `${message}Authorization=${header}`) : undefined;
}

/** 20130609T095204Z -> milliseconds, or undefined if it is not ISO 8601 basic format. */
function parseAmzDate(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  return Number.isNaN(ms) ? undefined : ms;
}

const amzDate = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/**
 * Verifies a header-signed request against the known credentials, after checkAuthorization passed.
 * Resolves to the error to answer with, or undefined when the signature is good. Presigned
 * (query-string) requests are not accepted by an endpoint that checks signatures.
 */
export async function verifySignature(request: SignableRequest, credentials: ReadonlyMap<string, string>, now: number): Promise<DynamoError | undefined> {
  const header = request.headers['authorization'];
  if (header === undefined) return fail('MissingAuthenticationTokenException', MISSING_TOKEN);
  const params = authParameters(header);
  const dateText = request.headers['x-amz-date'] ?? request.headers['date']!;
  const date = parseAmzDate(dateText);
  if (date === undefined) {
    return fail('IncompleteSignatureException', `Date must be in ISO-8601 'basic format'. Got '${dateText}'. See http://en.wikipedia.org/wiki/ISO_8601`);
  }
  if (date < now - SKEW_MS) {
    return fail('InvalidSignatureException', `Signature expired: ${dateText} is now earlier than ${amzDate(now - SKEW_MS)} (${amzDate(now)} - 15 min.)`);
  }
  if (date > now + SKEW_MS) {
    return fail('InvalidSignatureException', `Signature not yet current: ${dateText} is still later than ${amzDate(now + SKEW_MS)} (${amzDate(now)} + 15 min.)`);
  }
  const signed = params.SignedHeaders.toLowerCase().split(';');
  if (!signed.includes('host')) return fail('InvalidSignatureException', "'Host' must be a 'SignedHeader' in the AWS Authorization.");
  const algorithm = header.trim().split(/\s+/)[0];
  if (algorithm !== 'AWS4-HMAC-SHA256') {
    return fail('IncompleteSignatureException', `Unsupported AWS 'algorithm': '${algorithm}' (only AWS4-HMAC-SHA256 for now). `);
  }
  const scope = params.Credential.replace(/\/+$/, '').split('/');
  if (scope.length !== 5) {
    return fail('IncompleteSignatureException', `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${params.Credential}'`);
  }
  const [keyId, scopeDate, region, service, terminator] = scope;
  let scopeMessage = '';
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) scopeMessage += `Credential should be scoped to a valid region, not '${region}'. `;
  if (service !== 'dynamodb') scopeMessage += "Credential should be scoped to correct service: 'dynamodb'. ";
  if (terminator !== 'aws4_request') scopeMessage += `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'. `;
  if (scopeDate !== dateText.slice(0, 8)) {
    scopeMessage += `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${dateText.slice(0, 8)}', from '${dateText}'.`;
  }
  if (scopeMessage) return fail('InvalidSignatureException', scopeMessage.trimEnd());
  const secretAccessKey = credentials.get(keyId);
  if (secretAccessKey === undefined) return fail('UnrecognizedClientException', UNKNOWN_KEY);

  // Re-sign exactly the headers the client signed. The payload hash is always computed from the
  // body: a client-supplied x-amz-content-sha256 is signed as sent, so a changed body cannot hide.
  const headers: Record<string, string> = {};
  for (const name of signed) {
    const value = request.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  const signer = new SignatureV4({ credentials: { accessKeyId: keyId, secretAccessKey }, region, service, sha256: Sha256, applyChecksum: false });
  const hash = new Sha256();
  hash.update(request.body);
  const payloadHash = toHex(await hash.digest());
  if (headers['x-amz-content-sha256'] !== undefined && headers['x-amz-content-sha256'] !== payloadHash) {
    return fail('InvalidSignatureException', BAD_SIGNATURE);
  }
  const resigned = await signer.sign(
    { method: request.method, protocol: 'http:', hostname: headers.host ?? '', path: request.path, query: request.query, headers, body: request.body },
    { signingDate: new Date(date), signableHeaders: new Set(signed), unsignableHeaders: new Set(signed.includes('x-amz-date') ? [] : ['x-amz-date']) },
  );
  const expected = authParameters(resigned.headers.authorization).Signature;
  return timingSafeEqual(expected, params.Signature) ? undefined : fail('InvalidSignatureException', BAD_SIGNATURE);
}

function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex;
}

function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * Reads a credentials file's text: a JSON array of `{ "accessKeyId": ..., "secretAccessKey": ... }`.
 * Throws an Error naming what is wrong.
 */
export function parseCredentials(text: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`credentials file is not JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0) throw new Error('credentials file must hold a non-empty JSON array of { accessKeyId, secretAccessKey }');
  const credentials = new Map<string, string>();
  parsed.forEach((entry: Partial<Credential>, i) => {
    if (typeof entry?.accessKeyId !== 'string' || entry.accessKeyId === '' || typeof entry.secretAccessKey !== 'string' || entry.secretAccessKey === '') {
      throw new Error(`credentials file entry ${i} needs a non-empty string accessKeyId and secretAccessKey`);
    }
    credentials.set(entry.accessKeyId, entry.secretAccessKey);
  });
  return credentials;
}
