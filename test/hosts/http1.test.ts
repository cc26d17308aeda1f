/**
 * The HTTP/1.1 layer under `tidepool serve`, on raw sockets: framing, pipelining, keep-alive,
 * refusals, back-pressure and shutdown, with a handler that echoes what it was given.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer, type Handler, type HttpServer } from '../../src/hosts/http1.js';
import type { WireRequest, WireResponse } from '../../src/hosts/protocol.js';
import { mulberry32 } from '../support/random.js';

interface Parsed {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Splits a byte stream into HTTP responses; `heads` says which are answers to HEAD (no body). */
function parseResponses(bytes: Buffer, heads: boolean[] = []): { responses: Parsed[]; rest: number } {
  const responses: Parsed[] = [];
  let at = 0;
  for (;;) {
    const end = bytes.indexOf('\r\n\r\n', at);
    if (end < 0) break;
    const lines = bytes.toString('latin1', at, end).split('\r\n');
    const status = /^HTTP\/1\.1 (\d{3}) [A-Za-z -]+$/.exec(lines[0]);
    if (!status) throw new Error(`not a status line: ${JSON.stringify(lines[0])}`);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(': ');
      if (colon <= 0) throw new Error(`not a header line: ${JSON.stringify(line)}`);
      headers[line.slice(0, colon)] = line.slice(colon + 2);
    }
    const code = Number(status[1]);
    const length = code === 100 || heads[responses.length] ? 0 : Number(headers['content-length']);
    if (!Number.isInteger(length)) throw new Error(`no content-length in ${JSON.stringify(headers)}`);
    if (bytes.length < end + 4 + length) break;
    responses.push({ status: code, headers, body: bytes.toString('utf8', end + 4, end + 4 + length) });
    at = end + 4 + length;
  }
  return { responses, rest: bytes.length - at };
}

interface Exchange {
  responses: Parsed[];
  /** Did the server close the connection? */
  closed: boolean;
}

/**
 * Sends `parts` (each written separately, `gapMs` apart), and collects the answers until the server
 * closes, `expected` answers (not counting 100 Continue) have arrived, or `waitMs` passes.
 */
function exchange(port: number, parts: (string | Buffer)[], options: { expected?: number; waitMs?: number; gapMs?: number; heads?: boolean[]; end?: boolean } = {}): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      try {
        const { responses, rest } = parseResponses(Buffer.concat(chunks), options.heads);
        if (rest !== 0 && !closed) throw new Error(`${rest} bytes after the last whole response`);
        resolve({ responses, closed });
      } catch (error) {
        reject(error);
      }
    };
    const timer = setTimeout(() => finish(false), options.waitMs ?? 2000);
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      if (options.expected !== undefined) {
        const { responses } = parseResponses(Buffer.concat(chunks), options.heads);
        if (responses.filter((r) => r.status !== 100).length >= options.expected) finish(false);
      }
    });
    socket.on('close', () => finish(true));
    socket.on('error', () => {});
    socket.on('connect', async () => {
      for (const part of parts) {
        if (socket.destroyed) return;
        socket.write(part);
        if (options.gapMs) await new Promise((r) => setTimeout(r, options.gapMs));
      }
      if (options.end) socket.end();
    });
  });
}

const encoder = new TextEncoder();

/** Answers with what it was given, as JSON; a body of "wait N" answers after N ms. */
const echo: Handler = (request: WireRequest) => {
  const body = new TextDecoder().decode(request.body);
  const response = (): WireResponse => {
    const bytes = encoder.encode(JSON.stringify({ method: request.method, path: request.path, query: request.query, body, host: request.headers.host, x: request.headers.x }));
    return { status: 200, headers: { 'content-type': 'application/json', 'content-length': String(bytes.length) }, body: bytes };
  };
  const wait = /^wait (\d+)$/.exec(body);
  return wait ? new Promise((resolve) => setTimeout(() => resolve(response()), Number(wait[1]))) : response();
};

const post = (body: string, extra = '') => `POST /p HTTP/1.1\r\nHost: h\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
const echoed = (response: Parsed) => [response.status, JSON.parse(response.body).body];

let http: HttpServer | undefined;
async function start(handler: Handler = echo, options: { maxBodyBytes?: number; idleMs?: number } = {}): Promise<number> {
  http = createHttpServer(handler, { maxBodyBytes: options.maxBodyBytes ?? 1000, idleMs: options.idleMs ?? 5000 });
  return (await http.listen(0, '127.0.0.1')).port;
}
afterEach(async () => {
  await http?.close();
  http = undefined;
});

describe('the HTTP/1.1 layer', () => {
  it('reads a request sent a byte at a time', async () => {
    const port = await start();
    const raw = Buffer.from('POST /a/b?x=1&y=%20z HTTP/1.1\r\nHost: h\r\nX: one\r\nx: two\r\nContent-Length: 5\r\n\r\nhello');
    const parts = Array.from(raw, (byte) => Buffer.from([byte]));
    const { responses, closed } = await exchange(port, parts, { expected: 1 });
    expect(closed).toBe(false);
    expect(responses.map((r) => [r.status, JSON.parse(r.body)])).toEqual([[200, { method: 'POST', path: '/a/b', query: { x: '1', y: ' z' }, body: 'hello', host: 'h', x: 'one, two' }]]);
    expect(Object.keys(responses[0].headers)).toEqual(['content-type', 'content-length', 'date', 'connection']);
    expect([responses[0].headers.connection, new Date(responses[0].headers.date).toUTCString()]).toEqual(['keep-alive', responses[0].headers.date]);
  });

  it('answers pipelined requests in order, however long each takes', async () => {
    const port = await start();
    const { responses } = await exchange(port, [post('wait 80') + post('first') + post('wait 20') + post('second')], { expected: 4 });
    expect(responses.map(echoed)).toEqual([
      [200, 'wait 80'],
      [200, 'first'],
      [200, 'wait 20'],
      [200, 'second'],
    ]);
  });

  it('reads chunked bodies, with chunk extensions and trailers', async () => {
    const port = await start();
    const chunked = 'POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\n1\r\n,\r\n6\r\n world\r\n0\r\nTrailer: t\r\n\r\n';
    const { responses } = await exchange(port, [chunked, chunked.slice(0, 60), chunked.slice(60)], { expected: 2, gapMs: 20 });
    expect(responses.map(echoed)).toEqual([
      [200, 'hello, world'],
      [200, 'hello, world'],
    ]);
  });

  it('answers Expect: 100-continue with 100 Continue, and refuses other expectations with 417', async () => {
    const port = await start();
    const { responses } = await exchange(port, ['POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n', 'ok'], { expected: 1, gapMs: 50 });
    expect(responses.map((r) => r.status)).toEqual([100, 200]);
    expect(echoed(responses[1])).toEqual([200, 'ok']);
    const refused = await exchange(port, [post('x', 'Expect: something-else\r\n')]);
    expect([refused.responses.map((r) => [r.status, r.headers.connection]), refused.closed]).toEqual([[[417, 'close']], true]);
  });

  it('closes after Connection: close and after HTTP/1.0 without keep-alive, and keeps HTTP/1.0 keep-alive open', async () => {
    const port = await start();
    const close = await exchange(port, [post('a', 'Connection: close\r\n') + post('never read')]);
    expect([close.responses.map(echoed), close.responses[0].headers.connection, close.closed]).toEqual([[[200, 'a']], 'close', true]);
    const old = await exchange(port, ['POST / HTTP/1.0\r\nContent-Length: 1\r\n\r\nb']);
    expect([old.responses.map(echoed), old.closed]).toEqual([[[200, 'b']], true]);
    const kept = await exchange(port, ['POST / HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nc'], { expected: 1 });
    expect([kept.responses.map(echoed), kept.responses[0].headers.connection, kept.closed]).toEqual([[[200, 'c']], 'keep-alive', false]);
  });

  it('refuses malformed requests with 400 and closes, after answering the requests before them', async () => {
    const port = await start();
    const malformed = [
      'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n',
      'POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n',
      'POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n',
      'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1e1\r\n\r\n0123456789',
      'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +1\r\n\r\nx',
      'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxx',
      'POST / HTTP/9\r\n\r\n',
      'FROB / HTTP/1.1\r\n\r\n',
      'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
      'POST / HTTP/1.1\r\nHost: h\rX: y\r\n\r\n',
    ];
    for (const request of malformed) {
      const { responses, closed } = await exchange(port, [post('before') + request + post('after')]);
      expect([responses.map((r) => [r.status, r.status === 200 ? JSON.parse(r.body).body : r.body]), responses.at(-1)?.headers.connection, closed], request).toEqual([
        [
          [200, 'before'],
          [400, ''],
        ],
        'close',
        true,
      ]);
    }
  });

  it('refuses a header block over 16 KB with 431', async () => {
    const port = await start();
    for (const parts of [[post('x', `X: ${'a'.repeat(17_000)}\r\n`)], [post('x', `X: ${'a'.repeat(9000)}\r\nY: ${'b'.repeat(9000)}\r\n`)]]) {
      const { responses, closed } = await exchange(port, parts);
      expect([responses.map((r) => r.status), closed]).toEqual([[431], true]);
    }
    const fits = await exchange(port, [post('x', `X: ${'a'.repeat(15_000)}\r\n`)], { expected: 1 });
    expect(fits.responses.map(echoed)).toEqual([[200, 'x']]);
  });

  it('refuses a body over the limit with 413, declared or chunked, without handing it on', async () => {
    const calls: string[] = [];
    const port = await start((request) => {
      calls.push(new TextDecoder().decode(request.body));
      return echo(request);
    }, { maxBodyBytes: 10 });
    const declared = await exchange(port, [post('0123456789'), post('0123456789x') + post('after')]);
    expect([declared.responses.map((r) => r.status), declared.closed]).toEqual([[200, 413], true]);
    const chunked = await exchange(port, ['POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n012345\r\n', '5\r\n6789x\r\n0\r\n\r\n'], { gapMs: 20 });
    expect([chunked.responses.map((r) => r.status), chunked.closed]).toEqual([[413], true]);
    expect(calls).toEqual(['0123456789']);
  });

  it('answers HEAD with the headers alone', async () => {
    const port = await start();
    const { responses } = await exchange(port, ['HEAD / HTTP/1.1\r\nHost: h\r\n\r\n' + post('after')], { expected: 2, heads: [true, false] });
    expect(responses.map((r) => [r.status, r.body])).toEqual([
      [200, ''],
      [200, JSON.stringify({ method: 'POST', path: '/p', query: {}, body: 'after', host: 'h' })],
    ]);
    expect(responses[0].headers['content-length']).toBe(String(JSON.stringify({ method: 'HEAD', path: '/', query: {}, body: '', host: 'h' }).length));
  });

  it('answers 500 when the handler throws or rejects', async () => {
    const port = await start((request) => {
      if (request.path === '/throw') throw new Error('thrown');
      if (request.path === '/reject') return Promise.reject(new Error('rejected'));
      return echo(request);
    });
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      for (const path of ['/throw', '/reject']) {
        const { responses, closed } = await exchange(port, [`POST ${path} HTTP/1.1\r\nContent-Length: 0\r\n\r\n`]);
        expect([responses.map((r) => [r.status, r.headers.connection]), closed]).toEqual([[[500, 'close']], true]);
      }
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual(['thrown', 'rejected']);
  });

  it('closes a connection idle for idleMs, but not one waiting for its answer', async () => {
    const port = await start(echo, { idleMs: 100 });
    const idle = await exchange(port, [post('a')], { waitMs: 1000 });
    expect([idle.responses.map(echoed), idle.closed]).toEqual([[[200, 'a']], true]);
    const slow = await exchange(port, [post('wait 300')], { expected: 1 });
    expect([slow.responses.map(echoed), slow.closed]).toEqual([[[200, 'wait 300']], false]);
  });

  it('stops reading a client that does not read its answers, and answers everything once it does', async () => {
    let handled = 0;
    const big = encoder.encode('x'.repeat(256 * 1024));
    const port = await start(() => {
      handled++;
      return { status: 200, headers: { 'content-length': String(big.length) }, body: big };
    });
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    socket.pause();
    socket.write(post('x').repeat(400));
    await new Promise((r) => setTimeout(r, 300));
    const handledWhilePaused = handled;
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.resume();
    await new Promise<void>((resolve) => {
      const check = () => (parseResponses(Buffer.concat(chunks)).responses.length === 400 ? resolve() : setTimeout(check, 20));
      check();
    });
    socket.destroy();
    expect(handledWhilePaused).toBeLessThan(400);
    expect(handled).toBe(400);
    expect(parseResponses(Buffer.concat(chunks)).responses.every((r) => r.status === 200 && r.body.length === big.length)).toBe(true);
  });

  it('close() lets answers in progress finish, ends idle connections, and refuses new ones', async () => {
    const port = await start();
    const idle = exchange(port, [post('idle')], { waitMs: 3000 });
    const busy = exchange(port, [post('wait 200')], { waitMs: 3000 });
    await new Promise((r) => setTimeout(r, 50));
    const closing = http!.close();
    http = undefined;
    await closing;
    expect(await idle).toEqual({ responses: [expect.objectContaining({ status: 200 })], closed: true });
    const answered = await busy;
    expect([answered.responses.map(echoed), answered.responses[0].headers.connection, answered.closed]).toEqual([[[200, 'wait 200']], 'keep-alive', true]);
    const refusedConnection = await new Promise((resolve) => net.connect(port, '127.0.0.1').on('error', (error: NodeJS.ErrnoException) => resolve(error.code)));
    expect(refusedConnection).toBe('ECONNREFUSED');
  });

  it('close() does not wait for a client still sending a refused body, or one half way through a request', async () => {
    const port = await start(echo, { maxBodyBytes: 10, idleMs: 60_000 });
    const sending = exchange(port, ['POST / HTTP/1.1\r\nContent-Length: 1000\r\n\r\n', 'x'.repeat(100)], { waitMs: 10_000, gapMs: 20 });
    const halfWay = exchange(port, ['POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab'], { waitMs: 10_000 });
    await new Promise((r) => setTimeout(r, 100));
    await http!.close();
    http = undefined;
    expect(await sending).toEqual({ responses: [expect.objectContaining({ status: 413 })], closed: true });
    expect(await halfWay).toEqual({ responses: [], closed: true });
  });

  it('survives 3,000 mangled requests: every answer is well formed, and the server keeps serving', async () => {
    const port = await start(echo, { maxBodyBytes: 64 });
    const next = mulberry32(7);
    const seeds = [post('{"a":1}', 'X-Amz-Target: T\r\n'), 'GET /?a=b HTTP/1.1\r\nHost: h\r\n\r\n', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n', post('x', 'Expect: 100-continue\r\n')];
    const noise = ['\r', '\n', '\r\n', ':', ' ', '\t', '0', 'ff', '-1', ';', '\u00e9', '\0', 'Content-Length: 5\r\n', 'Transfer-Encoding: chunked\r\n', 'HTTP/1.1'];
    const statuses = new Set<number>();
    for (let i = 0; i < 3000; i++) {
      let raw = seeds[Math.floor(next() * seeds.length)].repeat(1 + Math.floor(next() * 2));
      for (let m = 1 + Math.floor(next() * 3); m > 0; m--) {
        const at = Math.floor(next() * raw.length);
        const kind = next();
        if (kind < 0.4) raw = raw.slice(0, at) + noise[Math.floor(next() * noise.length)] + raw.slice(at);
        else if (kind < 0.7) raw = raw.slice(0, at) + raw.slice(at + 1 + Math.floor(next() * 4));
        else raw = raw.slice(0, at) + String.fromCharCode(Math.floor(next() * 256)) + raw.slice(at + 1);
      }
      // The client ends its side: the server answers what it read whole, and closes.
      const { responses, closed } = await exchange(port, [Buffer.from(raw, 'latin1')], { end: true });
      expect(closed, raw).toBe(true);
      for (const response of responses) statuses.add(response.status);
      expect(responses.every((r) => [100, 200, 400, 413, 417, 431].includes(r.status)), raw).toBe(true);
    }
    expect([...statuses].sort()).toEqual([100, 200, 400, 413, 417]);
    const { responses } = await exchange(port, [post('still here')], { expected: 1 });
    expect(responses.map(echoed)).toEqual([[200, 'still here']]);
  }, 120_000);
});
