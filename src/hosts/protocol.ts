/**
 * DynamoDB's JSON 1.0 wire protocol over one engine: HTTP request in, HTTP response out, with no
 * sockets. The Node server and the AWS SDK request handler both run every request through here,
 * so the bytes a client sees are the same either way.
 *
 * The order of checks is the service's (dynalite's notes on captured responses): method, content
 * type, JSON body, X-Amz-Target, authentication, then the action's own validation.
 */
import CRC32 from 'crc-32';
import { ACTION_NAMES } from '../actions/index.js';
import { checkAuthorization, verifySignature } from '../auth/sigv4.js';
import { DynamoError, toWireJson, wireErrorType } from '../model/index.js';

/** An HTTP request as the protocol needs it. Header names are lower case. */
export interface WireRequest {
  method: string;
  path: string;
  /** Decoded query-string parameters. */
  query: Record<string, string>;
  headers: Record<string, string>;
  body: Uint8Array;
}

/**
 * An HTTP response: the body is UTF-8 bytes, encoded once (the checksum and the socket both read
 * them), and the headers include its Content-Length.
 */
export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface ProtocolOptions {
  /** Access key id -> secret. When given, every request's signature is verified. */
  credentials?: ReadonlyMap<string, string>;
  /** Clock for signature expiry, in ms since the epoch. */
  now?: () => number;
  /**
   * CRC32 of a body, for x-amz-crc32. The default, the crc-32 package, runs anywhere; the Node
   * server passes zlib.crc32, which is native: in JS the checksum was over a quarter of a GetItem's
   * cost.
   */
  crc32?: (bytes: Uint8Array) => number;
}

const JSON_10 = 'application/x-amz-json-1.0';
const DYNAMODB = 'DynamoDB_20120810.';
const STREAMS = 'DynamoDBStreams_20120810.';

/** Operations of the service this version does not implement yet: known names, refused clearly. */
const NOT_YET = new Set([
  'CreateBackup', 'CreateGlobalTable', 'DeleteBackup', 'DeleteResourcePolicy', 'DescribeBackup', 'DescribeContinuousBackups',
  'DescribeContributorInsights', 'DescribeEndpoints', 'DescribeExport', 'DescribeGlobalTable', 'DescribeGlobalTableSettings',
  'DescribeImport', 'DescribeKinesisStreamingDestination', 'DescribeTableReplicaAutoScaling', 'DisableKinesisStreamingDestination',
  'EnableKinesisStreamingDestination', 'ExportTableToPointInTime', 'GetResourcePolicy', 'ImportTable', 'ListBackups',
  'ListContributorInsights', 'ListExports', 'ListGlobalTables', 'ListImports', 'PutResourcePolicy', 'RestoreTableFromBackup',
  'RestoreTableToPointInTime', 'UpdateContinuousBackups', 'UpdateContributorInsights', 'UpdateGlobalTable',
  'UpdateGlobalTableSettings', 'UpdateKinesisStreamingDestination', 'UpdateTableReplicaAutoScaling',
]);
/** The DynamoDB Streams API's operations: routed by their own target prefix, run by the same dispatch. */
const STREAM_ACTIONS = new Set(['DescribeStream', 'GetRecords', 'GetShardIterator', 'ListStreams']);
const IMPLEMENTED = new Set(ACTION_NAMES);

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** What the service answers for anything but a POST of JSON to it. */
const NOT_FOUND = '<UnknownOperationException/>\n';

const ID_LENGTH = 52;
const ID_BATCH = 256;
let idBytes = new Uint8Array(0);
let idOffset = 0;

/**
 * 52 characters of [0-9A-Z], the shape of DynamoDB's x-amzn-RequestId. Random bytes are drawn 256
 * ids at a time: one getRandomValues call per request was a tenth of a GetItem's cost.
 */
function requestId(): string {
  if (idOffset === idBytes.length) {
    idBytes = crypto.getRandomValues(new Uint8Array(ID_LENGTH * ID_BATCH));
    idOffset = 0;
  }
  let id = '';
  for (let i = idOffset; i < idOffset + ID_LENGTH; i++) id += '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'[idBytes[i] % 36];
  idOffset += ID_LENGTH;
  return id;
}

type Checksum = (bytes: Uint8Array) => number;

const portableCrc32: Checksum = (bytes) => CRC32.buf(bytes) >>> 0;

function respond(checksum: Checksum, status: number, text: string, contentType?: string): WireResponse {
  const body = encoder.encode(text);
  const headers: Record<string, string> = {
    'x-amzn-requestid': requestId(),
    'x-amz-crc32': String(checksum(body)),
    'content-length': String(body.length),
  };
  if (contentType) headers['content-type'] = contentType;
  return { status, headers, body };
}

/**
 * The JSON error body for a DynamoError: `__type` and `message`, plus what the error carries
 * (CancellationReasons, Item). TransactionCanceledException and SerializationException spell it
 * `Message`, as the service does; a bare UnknownOperationException has no message at all.
 */
export function errorBody(error: DynamoError): Record<string, unknown> {
  const body: Record<string, unknown> = { __type: wireErrorType(error.name) };
  if (error.message) {
    const key = error.name === 'TransactionCanceledException' || error.name === 'SerializationException' ? 'Message' : 'message';
    body[key] = error.message;
  }
  for (const key of Object.keys(error)) if (key !== 'name') body[key] = (error as unknown as Record<string, unknown>)[key];
  return body;
}

function errorResponse(checksum: Checksum, error: DynamoError, contentType: string): WireResponse {
  const status = error.name === 'InternalServerError' ? 500 : 400;
  return respond(checksum, status, JSON.stringify(errorBody(error)), contentType);
}

/** The service's answer for `error`, for a host that fails a request before the protocol sees it. */
export function failureResponse(error: DynamoError): WireResponse {
  return errorResponse(portableCrc32, error, JSON_10);
}

/** Adds the CORS headers a web page needs to call the endpoint and read DynamoDB's headers. */
function allowOrigin(response: WireResponse): WireResponse {
  response.headers['access-control-allow-origin'] = '*';
  response.headers['access-control-expose-headers'] = 'x-amzn-RequestId,x-amz-crc32';
  return response;
}

/**
 * Creates the function that answers one HTTP request. `run` executes an action (Tidepool's
 * execute: validation, the engine, and durability) for the wire (its output is written with
 * toWireJson), returning the output, or a promise of it when
 * the answer must wait (for the log); `region` names the endpoint in the health check. The
 * function never throws or rejects, and answers synchronously when it can: on the server's hot path
 * each promise hop is measurable.
 */
export function createProtocol(run: (action: string, input: unknown) => unknown, region: string, options: ProtocolOptions = {}): (request: WireRequest) => WireResponse | Promise<WireResponse> {
  const now = options.now ?? Date.now;
  const checksum = options.crc32 ?? portableCrc32;
  const credentials = options.credentials;

  const failed = (error: unknown, contentType: string) =>
    errorResponse(checksum, error instanceof DynamoError ? error : new DynamoError('InternalServerError', 'Internal server error', { cause: error }), contentType);

  function perform(action: string, input: unknown, contentType: string): WireResponse | Promise<WireResponse> {
    if (!IMPLEMENTED.has(action)) {
      return errorResponse(checksum, new DynamoError('UnknownOperationException', `Tidepool does not implement ${action} yet`), contentType);
    }
    let output: unknown;
    try {
      output = run(action, input);
    } catch (error) {
      return failed(error, contentType);
    }
    if (output instanceof Promise) {
      return output.then(
        (value) => respond(checksum, 200, toWireJson(value), contentType),
        (error) => failed(error, contentType),
      );
    }
    return respond(checksum, 200, toWireJson(output), contentType);
  }

  function answer(request: WireRequest): WireResponse | Promise<WireResponse> {
    const { method, headers } = request;
    if (method === 'OPTIONS' && headers.origin !== undefined) {
      const response = respond(checksum, 200, '');
      response.headers['access-control-max-age'] = '172800';
      if (headers['access-control-request-headers']) response.headers['access-control-allow-headers'] = headers['access-control-request-headers'];
      if (headers['access-control-request-method']) response.headers['access-control-allow-methods'] = headers['access-control-request-method'];
      return response;
    }
    if (method === 'GET') return respond(checksum, 200, `healthy: dynamodb.${region}.amazonaws.com `);

    const mediaType = (headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const isJson = mediaType === JSON_10 || mediaType === 'application/json';
    if (method !== 'POST' || (request.body.length > 0 && !isJson)) return respond(checksum, 404, NOT_FOUND);
    const contentType = mediaType === 'application/json' ? 'application/json' : JSON_10;

    let input: unknown;
    if (request.body.length > 0) {
      try {
        input = JSON.parse(decoder.decode(request.body));
      } catch {
        return errorResponse(checksum, new DynamoError('SerializationException', ''), contentType);
      }
    }

    const target = headers['x-amz-target'] ?? '';
    const dot = target.indexOf('.');
    const api = target.slice(0, dot + 1);
    const action = target.slice(dot + 1);
    const known = api === DYNAMODB ? (IMPLEMENTED.has(action) && !STREAM_ACTIONS.has(action)) || NOT_YET.has(action) : api === STREAMS && STREAM_ACTIONS.has(action);
    if (!known) return errorResponse(checksum, new DynamoError('UnknownOperationException', ''), contentType);

    const incomplete = checkAuthorization(request);
    if (incomplete) return errorResponse(checksum, incomplete, contentType);
    const proceed = (): WireResponse | Promise<WireResponse> =>
      input === undefined ? errorResponse(checksum, new DynamoError('SerializationException', ''), contentType) : perform(action, input, contentType);
    if (!credentials) return proceed();
    return verifySignature(request, credentials, now()).then((error) => (error ? errorResponse(checksum, error, contentType) : proceed()));
  }

  const withCors = (request: WireRequest, response: WireResponse) => (request.headers.origin !== undefined ? allowOrigin(response) : response);
  const internal = (error: unknown) => errorResponse(checksum, new DynamoError('InternalServerError', 'Internal server error', { cause: error }), JSON_10);

  return (request) => {
    let response: WireResponse | Promise<WireResponse>;
    try {
      response = answer(request);
    } catch (error) {
      response = internal(error);
    }
    if (response instanceof Promise) return response.then((r) => withCors(request, r), (error) => withCors(request, internal(error)));
    return withCors(request, response);
  };
}
