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
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import type { Tidepool } from '../index.js';
import type { WireRequest, WireResponse } from './protocol.js';

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
  /** Stops accepting connections, closes idle ones and resolves once the last request is answered. */
  close(): Promise<void>;
}

/**
 * The largest request body accepted: BatchWriteItem's 16 MB total request size. Larger bodies are
 * refused with 413 before they are read.
 */
export const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

/** Starts an HTTP endpoint for `db`; resolves once it listens. */
export function serve(db: Tidepool, options: ServeOptions = {}): Promise<Server> {
  // zlib.crc32 is native (Node >= 20.15; the package requires 20.19).
  const answer = db.protocol({ credentials: options.credentials, crc32: zlib.crc32 });

  // Requests whose bodies arrived in one turn of the event loop are answered together, after it
  // (setImmediate runs once the poll phase has read every ready socket), not each as its body
  // ends: at 32 connections this halved the CPU time per request (GetItem ~125 -> ~65 us on the
  // main thread, measured with wrk on a 2-core VM), as the protocol's code and data stay in the
  // caches from one request to the next, and the load generator is woken once per batch of
  // answers instead of once per answer. A lone request waits one loop turn, a few microseconds.
  let ready: Array<() => void> = [];
  const answerReady = () => {
    const due = ready;
    ready = [];
    for (const run of due) {
      // The protocol never throws; should writing one response throw, the others are still answered.
      try {
        run();
      } catch (error) {
        process.emitWarning(error instanceof Error ? error : String(error));
      }
    }
  };

  const server = http.createServer((req, res) => {
    const write = (response: WireResponse) => {
      response.headers['content-length'] = String(Buffer.byteLength(response.body));
      res.writeHead(response.status, response.headers);
      res.end(response.body);
    };
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_REQUEST_BYTES) return tooLarge(req, res);
    const chunks: Buffer[] = [];
    let length = 0;
    req.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > MAX_REQUEST_BYTES) return tooLarge(req, res);
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (res.headersSent) return;
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const request: WireRequest = {
        method: req.method ?? 'GET',
        path: q < 0 ? url : url.slice(0, q),
        query: q < 0 ? {} : Object.fromEntries(new URLSearchParams(url.slice(q + 1))),
        headers: flattenHeaders(req.headers),
        body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks),
      };
      ready.push(() => {
        const response = answer(request);
        if (response instanceof Promise) response.then(write);
        else write(response);
      });
      if (ready.length === 1) setImmediate(answerReady);
    });
  });
  // Keep-alive like the service, so SDK clients and load generators reuse connections.
  server.keepAliveTimeout = 60_000;

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8000, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      const { address, port } = server.address() as AddressInfo;
      const host = address.includes(':') ? `[${address}]` : address;
      resolve({
        url: `http://${host}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
          }),
      });
    });
  });
}

function tooLarge(req: http.IncomingMessage, res: http.ServerResponse): void {
  if (res.headersSent) return;
  res.writeHead(413, { connection: 'close', 'content-length': '0' });
  res.end();
  req.removeAllListeners('data');
  req.resume();
}

/** Node gives repeated headers as arrays (and set-cookie always); the protocol wants one string each. */
function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
