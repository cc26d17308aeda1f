/**
 * HTTP/1.1 for `tidepool serve`: connections on node:net, requests parsed by http-parser-js,
 * answers written back in request order (pipelining) with one socket write per connection per turn
 * of the event loop.
 *
 * Why not node:http: its request and response objects (streams, events, header validation) cost
 * more than everything else a GetItem does. Under wrk at 32 connections on a 2-core VM, a node:http
 * server answering a constant `{}` spent 46–64 µs of CPU per request; the same server on this layer
 * spent 21–28 µs, and Tidepool's whole protocol (JSON, engine, checksum) spends ~11 µs on a GetItem
 * (in a loop, same VM).
 *
 * What the endpoint needs of HTTP/1.1, and no more: Content-Length and chunked bodies, keep-alive
 * and Connection: close, HTTP/1.0 clients, Expect: 100-continue, HEAD, pipelining with
 * back-pressure, a body limit (413), a header limit (431), 400 for malformed requests (including a
 * request with both Content-Length and Transfer-Encoding, or a Transfer-Encoding other than
 * chunked, as node:http refuses them), and an idle timeout.
 */
import { STATUS_CODES } from 'node:http';
import net from 'node:net';
import { HTTPParser } from 'http-parser-js';
import type { WireRequest, WireResponse } from './protocol.js';

/** Answers one request; must not throw. */
export type Handler = (request: WireRequest) => WireResponse | Promise<WireResponse>;

export interface HttpOptions {
  /** The largest request body read; a larger one is answered 413 without being read. */
  maxBodyBytes: number;
  /** A connection with no request in progress is closed after this long without traffic. */
  idleMs: number;
}

export interface HttpServer {
  /** Resolves with the port once the server listens. */
  listen(port: number, host: string): Promise<net.AddressInfo>;
  /** Stops accepting connections and resolves once the answers to requests already read are written; a request still arriving is dropped. */
  close(): Promise<void>;
}

/** The header block limit: node:http's default (--max-http-header-size). */
const MAX_HEADER_BYTES = 16 * 1024;
/** A connection stops being read while this many of its requests wait for their answers. */
const MAX_PENDING = 128;
/** Answers are written as soon as this many bytes of them are waiting, not at the end of the batch. */
const WRITE_EARLY_BYTES = 64 * 1024;

const CONTINUE = Buffer.from('HTTP/1.1 100 Continue\r\n\r\n', 'latin1');

/** Header names whose repeats node:http drops (the first wins); other repeats are joined with ", ". */
const SINGLE_VALUED = new Set([
  'age', 'authorization', 'content-length', 'content-type', 'etag', 'expires', 'from', 'host', 'if-modified-since',
  'if-unmodified-since', 'last-modified', 'location', 'max-forwards', 'proxy-authorization', 'referer', 'retry-after',
  'server', 'user-agent',
]);

/** A request the layer answers itself, before or instead of the handler. */
class Refusal {
  constructor(readonly status: number) {}
}

/** One answer in a connection's queue: its bytes once known, and whether the connection ends after it. */
interface Slot {
  bytes: Buffer | undefined;
  close: boolean;
}

/** What the headers said about the request whose body is being read. */
interface Head {
  method: string;
  url: string;
  headers: Record<string, string>;
  keepAlive: boolean;
}

let dateText = '';
let dateSecond = -1;
/** The Date header, formatted once a second. */
function httpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(now).toUTCString();
  }
  return dateText;
}

/** Status line, headers and body in one buffer, for one write. */
function responseBytes(response: WireResponse, close: boolean, head: boolean): Buffer {
  let text = `HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}\r\n`;
  for (const name in response.headers) text += `${name}: ${response.headers[name]}\r\n`;
  text += close ? `date: ${httpDate()}\r\nconnection: close\r\n\r\n` : `date: ${httpDate()}\r\nconnection: keep-alive\r\n\r\n`;
  const length = text.length;
  const bytes = Buffer.allocUnsafe(head ? length : length + response.body.length);
  bytes.write(text, 0, length, 'latin1');
  if (!head) bytes.set(response.body, length);
  return bytes;
}

/** The answer the layer gives itself: no body, and the connection closes after it. */
function refusal(status: number): Buffer {
  return Buffer.from(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-length: 0\r\ndate: ${httpDate()}\r\nconnection: close\r\n\r\n`, 'latin1');
}

function headerRecord(raw: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    const previous = headers[name];
    if (previous === undefined) headers[name] = raw[i + 1];
    else if (!SINGLE_VALUED.has(name)) headers[name] = `${previous}, ${raw[i + 1]}`;
  }
  return headers;
}

export function createHttpServer(handler: Handler, options: HttpOptions): HttpServer {
  const connections = new Set<Connection>();
  let closing = false;

  // Requests whose bodies arrived in one turn of the event loop are answered together, after it
  // (setImmediate runs once the poll phase has read every ready socket), not each as it arrives:
  // at 32 connections this halved the CPU time per request (GetItem ~125 -> ~65 µs on node:http,
  // measured with wrk on a 2-core VM), as the protocol's code and data stay in the caches from one
  // request to the next, and each connection gets the batch's answers in one write.
  let due = new Set<Connection>();
  let answering = false;
  const touched = new Set<Connection>();
  const answerDue = () => {
    const now = due;
    due = new Set();
    answering = true;
    for (const connection of now) connection.answer();
    answering = false;
    for (const connection of touched) connection.flush();
    touched.clear();
  };
  const schedule = (connection: Connection) => {
    if (due.size === 0) setImmediate(answerDue);
    due.add(connection);
  };

  class Connection {
    private readonly parser = new HTTPParser(HTTPParser.REQUEST);
    private readonly slots: Slot[] = [];
    /** Requests read and not yet handed to the handler, with the slots for their answers. */
    private readonly waiting: Array<{ slot: Slot; request: WireRequest; head: boolean }> = [];
    /** Bytes of answers made and not yet written. */
    private unwritten = 0;
    private head: Head | undefined;
    private chunks: Buffer[] = [];
    private length = 0;
    /** The body of a refused request is read and dropped. */
    private discarding = false;
    /** Nothing more is parsed: the connection ends after the answers already queued. */
    private stopped = false;
    /** The client has ended its side. */
    private ended = false;

    constructor(private readonly socket: net.Socket) {
      socket.setNoDelay(true);
      socket.setTimeout(options.idleMs);
      socket.on('timeout', () => {
        if (this.slots.length === 0) socket.destroy();
      });
      socket.on('error', () => socket.destroy());
      socket.on('drain', () => {
        if (this.waiting.length > 0) schedule(this);
        this.regulate();
      });
      socket.on('end', () => {
        // A request cut short by the client's end can never be answered.
        this.ended = true;
        this.stopped = true;
        this.endIfDone();
      });
      socket.on('close', () => connections.delete(this));
      socket.on('data', (chunk: Buffer) => this.read(chunk));
      const parser = this.parser;
      parser[HTTPParser.kOnHeadersComplete] = (info) => this.onHead(info.versionMinor, info.headers, HTTPParser.methods[info.method], info.url, info.shouldKeepAlive && !info.upgrade);
      parser[HTTPParser.kOnBody] = (chunk) => this.onBody(chunk);
      parser[HTTPParser.kOnMessageComplete] = () => this.onMessage();
    }

    private read(chunk: Buffer): void {
      let offset = 0;
      // execute stops after an Upgrade or CONNECT request without a body; the rest is parsed again.
      while (!this.stopped && offset < chunk.length) {
        let used: number | Error;
        try {
          used = this.parser.execute(chunk, offset, chunk.length - offset);
        } catch (error) {
          if (!(error instanceof Refusal)) throw error;
          this.refuse(error.status);
          return;
        }
        if (used instanceof Error) {
          this.refuse(used.message === 'max header size exceeded' ? 431 : 400);
          return;
        }
        if (used === 0) break;
        offset += used;
      }
    }

    private onHead(minor: number, raw: string[], method: string, url: string, keepAlive: boolean): void {
      // Requests after one that closes the connection are read (the parser cannot stop) and dropped.
      if (this.stopped) {
        this.discarding = true;
        return;
      }
      let bytes = 0;
      for (const part of raw) bytes += part.length + 2;
      if (bytes > MAX_HEADER_BYTES) throw new Refusal(431);
      const headers = headerRecord(raw);
      const encoding = headers['transfer-encoding'];
      const length = headers['content-length'];
      if (encoding !== undefined && (encoding.toLowerCase() !== 'chunked' || length !== undefined)) throw new Refusal(400);
      // A repeated Content-Length is the first one: the parser refuses repeats that differ.
      if (length !== undefined && !/^\d+$/.test(length)) throw new Refusal(400);
      if (length !== undefined && Number(length) > options.maxBodyBytes) return this.refuseBody(413);
      const expect = headers.expect;
      if (expect !== undefined) {
        if (expect.toLowerCase() !== '100-continue') return this.refuseBody(417);
        if (minor >= 1) {
          this.queue({ bytes: CONTINUE, close: false });
          this.flush();
        }
      }
      this.head = { method, url, headers, keepAlive };
    }

    private onBody(chunk: Buffer): void {
      if (this.discarding) return;
      this.length += chunk.length;
      if (this.length > options.maxBodyBytes) return this.refuseBody(413);
      this.chunks.push(chunk);
    }

    private onMessage(): void {
      if (this.stopped) return;
      const head = this.head;
      const chunks = this.chunks;
      this.head = undefined;
      this.chunks = [];
      this.length = 0;
      if (this.discarding || head === undefined) {
        // The refusal closed the connection; what follows it is not read.
        this.stopped = true;
        return;
      }
      const q = head.url.indexOf('?');
      const request: WireRequest = {
        method: head.method,
        path: q < 0 ? head.url : head.url.slice(0, q),
        query: q < 0 ? {} : Object.fromEntries(new URLSearchParams(head.url.slice(q + 1))),
        headers: head.headers,
        body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks),
      };
      const close = !head.keepAlive || closing;
      const slot: Slot = { bytes: undefined, close };
      if (close) this.stopped = true;
      this.queue(slot);
      this.waiting.push({ slot, request, head: head.method === 'HEAD' });
      if (this.waiting.length === 1) schedule(this);
    }

    /**
     * Hands the waiting requests to the handler, until the client stops reading: answers are made
     * only as fast as the client takes them, so one that sends without reading holds little memory.
     */
    answer(): void {
      while (this.waiting.length > 0 && !this.socket.writableNeedDrain && !this.socket.destroyed) {
        const { slot, request, head } = this.waiting.shift()!;
        try {
          const response = handler(request);
          if (response instanceof Promise) response.then((r) => this.fill(slot, responseBytes(r, slot.close, head)), (error: unknown) => this.fail(slot, error));
          else this.fill(slot, responseBytes(response, slot.close, head));
        } catch (error) {
          this.fail(slot, error);
        }
        // Large answers go out as they are made, so that writableNeedDrain tells the truth.
        if (this.unwritten >= WRITE_EARLY_BYTES) this.flush();
      }
    }

    /** The handler never throws or rejects; should it, the client still gets an answer, and the connection closes. */
    private fail(slot: Slot, error: unknown): void {
      process.emitWarning(error instanceof Error ? error : String(error));
      slot.close = true;
      this.fill(slot, refusal(500));
    }

    /** Answers the request being read with `status`, drops its body, and ends the connection after it. */
    private refuseBody(status: number): void {
      this.discarding = true;
      this.head = undefined;
      this.chunks = [];
      this.queue({ bytes: refusal(status), close: true });
      this.flush();
    }

    /** Answers a malformed request and reads nothing more. */
    private refuse(status: number): void {
      this.stopped = true;
      this.queue({ bytes: refusal(status), close: true });
      this.flush();
    }

    private queue(slot: Slot): void {
      this.slots.push(slot);
      if (slot.bytes !== undefined) this.unwritten += slot.bytes.length;
      this.regulate();
    }

    fill(slot: Slot, bytes: Buffer): void {
      slot.bytes = bytes;
      this.unwritten += bytes.length;
      if (this.slots[0] !== slot) return;
      if (answering) touched.add(this);
      else this.flush();
    }

    /** Writes the answers at the head of the queue that are ready, in one write. */
    flush(): void {
      const ready: Buffer[] = [];
      let close = false;
      while (this.slots.length > 0 && this.slots[0].bytes !== undefined) {
        const slot = this.slots.shift()!;
        ready.push(slot.bytes!);
        this.unwritten -= slot.bytes!.length;
        if (slot.close) {
          close = true;
          this.slots.length = 0;
          this.waiting.length = 0;
          break;
        }
      }
      if (this.socket.destroyed) return;
      if (ready.length > 0) this.socket.write(ready.length === 1 ? ready[0] : Buffer.concat(ready));
      if (close) {
        this.stopped = true;
        // A refused body may still be arriving: the client reads the answer, then closes.
        if (this.discarding) this.socket.end();
        else this.finish();
        return;
      }
      this.regulate();
      this.endIfDone();
    }

    /** Stops reading while the client is not reading its answers, or too many are pending. */
    private regulate(): void {
      if (this.socket.writableNeedDrain || this.slots.length >= MAX_PENDING) this.socket.pause();
      else if (this.socket.isPaused()) this.socket.resume();
    }

    /**
     * Ends the connection once its answers are written, if no more will come: the client has ended
     * its side, the connection is to close, or the server is closing (a request still arriving then
     * is abandoned, as a client that never finishes one would otherwise hold the server open).
     */
    endIfDone(): void {
      if (this.slots.length === 0 && (this.ended || closing || this.stopped)) this.finish();
    }

    private finish(): void {
      if (!this.socket.writableEnded) this.socket.end(() => this.socket.destroy());
      // A connection left open for a refused body to arrive is not waited for when the server closes.
      else if (closing) this.socket.destroy();
    }
  }

  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    if (closing) return socket.destroy();
    connections.add(new Connection(socket));
  });

  return {
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve(server.address() as net.AddressInfo);
        });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        server.close(() => resolve());
        for (const connection of connections) connection.endIfDone();
      }),
  };
}
