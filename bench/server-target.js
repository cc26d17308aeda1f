/**
 * One HTTP server under load, in its own process so the load generator and the benchmark driver do
 * not share its event loop: `node bench/server-target.js <tidepool|dynalite|bare> <port> [body]`.
 * Prints "ready" once it listens; the driver seeds it over HTTP, like any client would.
 */
import http from 'node:http';
import zlib from 'node:zlib';
import dynalite from 'dynalite';
import { Tidepool } from '../dist/index.js';
import { serve } from '../dist/hosts/server.js';

const [kind, portText] = process.argv.slice(2);
const port = Number(portText);

if (kind === 'tidepool') {
  // The change log keeps what streams and sync need; the benchmark keeps it as small as DynamoDB Local's.
  await serve(await Tidepool.open({ retainChanges: 1 }), { port });
} else if (kind === 'dynalite') {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
} else if (kind === 'bare') {
  // The ceiling: read the body, answer {} (or the text given) with the headers DynamoDB sends.
  const body = process.argv[4] ?? '{}';
  const headers = { 'content-type': 'application/x-amz-json-1.0', 'content-length': String(Buffer.byteLength(body)), 'x-amz-crc32': String(zlib.crc32(body)), 'x-amzn-requestid': 'BARE' };
  const server = http.createServer((req, res) => {
    req.on('data', () => {});
    req.on('end', () => {
      res.writeHead(200, headers);
      res.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
} else {
  throw new Error(`unknown server kind ${kind}`);
}
console.log('ready');
// The driver kills this process when it is done; stop anyway if it goes away.
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
