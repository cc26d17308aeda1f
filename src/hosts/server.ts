/**
 * `tidepool serve`: a DynamoDB-compatible HTTP endpoint on one database, for the AWS SDK, the AWS
 * CLI and anything else that speaks DynamoDB's JSON protocol.
 *
 * @example
 * import { Tidepool } from 'tidepool';
 * import { serve } from 'tidepool/server';
 * const server = await serve(await Tidepool.open(), { port: 0 });
 * // new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } })
 * await server.close();
 */
import zlib from 'node:zlib';
import type { Tidepool } from '../index.js';
import { createHttpServer } from './http1.js';

export interface ServeOptions {
  /** TCP port; 0 picks a free one. Default 8000, DynamoDB Local's. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Access key id -> secret; when given, request signatures are verified. */
  credentials?: ReadonlyMap<string, string>;
}

export interface Server {
  /** The endpoint, e.g. http://127.0.0.1:8000. */
  readonly url: string;
  /** Stops accepting connections and resolves once every request already read is answered; a request still arriving is dropped. */
  close(): Promise<void>;
}

/**
 * The largest request body accepted: BatchWriteItem's 16 MB total request size. Larger bodies are
 * refused with 413 before they are read.
 */
export const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

/** Starts an HTTP endpoint for `db`; resolves once it listens. */
export async function serve(db: Tidepool, options: ServeOptions = {}): Promise<Server> {
  // zlib.crc32 is native (Node >= 20.15; the package requires 20.19).
  const answer = db.protocol({ credentials: options.credentials, crc32: zlib.crc32 });
  // Keep-alive like the service, so SDK clients and load generators reuse connections.
  const http = createHttpServer(answer, { maxBodyBytes: MAX_REQUEST_BYTES, idleMs: 60_000 });
  const { address, port } = await http.listen(options.port ?? 8000, options.host ?? '127.0.0.1');
  const host = address.includes(':') ? `[${address}]` : address;
  return { url: `http://${host}:${port}`, close: () => http.close() };
}
