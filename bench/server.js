/**
 * `tidepool serve` under HTTP load, against dynalite (the npm DynamoDB emulator) and a bare node:http
 * server that answers `{}` (the ceiling), in one run; and against the bare server answering
 * a body the size of the operation's answer (a 20-item Query's is ~20 KB, which costs any server
 * more to send than `{}`). `tidepool serve` has its own HTTP layer on node:net (src/hosts/http1.ts),
 * cheaper per request than node:http, so it can pass the bare node:http server.
 * GetItem and PutItem of ~1 KB items and a 20-item Query, at 1 and 32 connections, driven by wrk
 * (Debian package `wrk`): the AWS SDK client saturates near 2k requests/s on its own, so SDK-driven
 * load would measure the client. Each server runs in its own process; all listen on 127.0.0.1.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SECONDS = Number(process.env.SERVER_BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.SERVER_BENCH_ROUNDS ?? 3);
const GET_ITEMS = 5000;
const QUERY_PARTITIONS = 100;
const PUT_KEYS = 10_000;
const DATA = 'x'.repeat(1000);
// Complete authentication material: neither emulator verifies signatures unless configured to.
const HEADERS = {
  'content-type': 'application/x-amz-json-1.0',
  authorization: 'AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0',
  'x-amz-date': '20260101T000000Z',
};

/** Each operation's requests: how many distinct ones, and the Lua expression of body `i`. */
const OPERATIONS = {
  GetItem: { count: GET_ITEMS, body: `'{"TableName":"bench","Key":{"pk":{"S":"g' .. i .. '"},"sk":{"N":"0"}}}'` },
  PutItem: { count: PUT_KEYS, body: `'{"TableName":"bench","Item":{"pk":{"S":"p' .. i .. '"},"sk":{"N":"0"},"n":{"N":"' .. i .. '"},"data":{"S":"${DATA}"}}}'` },
  Query: { count: QUERY_PARTITIONS, body: `'{"TableName":"bench","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"q' .. i .. '"}}}'` },
};

async function call(url, action, body) {
  const response = await fetch(url, { method: 'POST', headers: { ...HEADERS, 'x-amz-target': `DynamoDB_20120810.${action}` }, body: JSON.stringify(body) });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${action} failed: ${response.status} ${text}`);
  return JSON.parse(text);
}

function start(kind, port, body) {
  const args = [new URL('./server-target.js', import.meta.url).pathname, kind, String(port), ...(body === undefined ? [] : [body])];
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
    child.stdout.on('data', (chunk) => {
      if (String(chunk).includes('ready')) resolve(child);
    });
  });
}

const getItem = (i) => ({ pk: { S: `g${i}` }, sk: { N: '0' }, n: { N: String(i) }, data: { S: DATA } });
const queryItem = (p, s) => ({ pk: { S: `q${p}` }, sk: { N: String(s) }, data: { S: DATA } });

/**
 * What a bare server answers in place of each operation's answer, for the second ceiling: a body
 * of the same size, as DynamoDB writes it (`{}` for PutItem, which returns nothing). Serving 20 KB
 * costs a server more than serving `{}`, whatever it does to find them.
 */
const SAME_BODY = {
  GetItem: JSON.stringify({ Item: getItem(1234) }),
  PutItem: '{}',
  Query: JSON.stringify({ Items: Array.from({ length: 20 }, (_, s) => queryItem(42, s)), Count: 20, ScannedCount: 20 }),
};

async function seed(url) {
  await call(url, 'CreateTable', {
    TableName: 'bench',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'N' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  });
  while ((await call(url, 'DescribeTable', { TableName: 'bench' })).Table.TableStatus !== 'ACTIVE') await new Promise((r) => setTimeout(r, 20));
  const items = [];
  for (let i = 0; i < GET_ITEMS; i++) items.push(getItem(i));
  for (let p = 0; p < QUERY_PARTITIONS; p++) for (let s = 0; s < 20; s++) items.push(queryItem(p, s));
  for (let i = 0; i < items.length; i += 25) {
    const result = await call(url, 'BatchWriteItem', { RequestItems: { bench: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } });
    if (Object.keys(result.UnprocessedItems ?? {}).length > 0) throw new Error('seeding left unprocessed items');
  }
  // Both emulators must be doing the same work: check one answer of each operation.
  const got = await call(url, 'GetItem', { TableName: 'bench', Key: { pk: { S: 'g7' }, sk: { N: '0' } } });
  const queried = await call(url, 'Query', { TableName: 'bench', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'q3' } } });
  if (got.Item?.n?.N !== '7' || queried.Count !== 20) throw new Error(`unexpected answers while checking the seed: ${JSON.stringify({ got, count: queried.Count })}`);
}

function wrk(dir, url, operation, connections, seconds) {
  const script = join(dir, `${operation}.lua`);
  const headers = Object.entries({ ...HEADERS, 'x-amz-target': `DynamoDB_20120810.${operation}` })
    .map(([name, value]) => `wrk.headers["${name}"] = "${value}"`)
    .join('\n');
  const { count, body } = OPERATIONS[operation];
  // Every request is formatted once, before the run: building a 1 KB body per request in Lua made
  // wrk itself the bottleneck for PutItem, with the server idle a quarter of the time.
  writeFileSync(
    script,
    `wrk.method = "POST"\n${headers}\nmath.randomseed(42)\nlocal requests = {}\n` +
      `init = function(args)\n  for i = 0, ${count - 1} do requests[i] = wrk.format(nil, "/", nil, ${body}) end\nend\n` +
      `request = function()\n  return requests[math.random(0, ${count - 1})]\nend\n`,
  );
  const out = spawnSync('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, url], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`wrk failed: ${out.stderr}`);
  const text = out.stdout;
  if (/Non-2xx or 3xx responses|Socket errors/.test(text)) throw new Error(`wrk saw failed requests:\n${text}`);
  const ms = (label) => {
    const m = new RegExp(`^\\s+${label}%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(text);
    if (!m) throw new Error(`no ${label}% latency in wrk output:\n${text}`);
    return +(Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2]]).toFixed(2);
  };
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(text)[1]);
  return { rps: Math.round(rps), p50: ms('50'), p99: ms('99') };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function run(report) {
  if (spawnSync('wrk', ['--version']).error) throw new Error('bench/server.js needs wrk: apt-get install -y wrk');
  const dir = mkdtempSync(join(tmpdir(), 'tidepool-bench-'));
  // Every server runs for the whole benchmark, and the rounds visit them in turn: this VM's speed
  // drifts by tens of percent within a minute, so a ratio is taken between cells of the same round,
  // and the median over rounds is reported.
  // The bare server answers {} (the ceiling), then the same body as GetItem's and Query's answers.
  const servers = [
    { name: 'bare', operations: ['GetItem'] },
    { name: 'bare GetItem', body: SAME_BODY.GetItem, operations: ['GetItem'] },
    { name: 'bare Query', body: SAME_BODY.Query, operations: ['GetItem'] },
    { name: 'tidepool', operations: Object.keys(OPERATIONS) },
    { name: 'dynalite', operations: Object.keys(OPERATIONS) },
  ];
  const rounds = [];
  let port = 18_400;
  try {
    for (const server of servers) {
      server.url = `http://127.0.0.1:${++port}`;
      server.child = await start(server.name.split(' ')[0], port, server.body);
      if (!server.name.startsWith('bare')) await seed(server.url);
      // Warm-up: JIT, and PutItem's keys exist from here on.
      for (const operation of server.operations) wrk(dir, server.url, operation, 32, 2);
    }
    for (let round = 0; round < ROUNDS; round++) {
      const results = {};
      for (const connections of [1, 32]) {
        for (const server of servers) {
          for (const operation of server.operations) results[`${server.name} ${operation} ${connections}`] = wrk(dir, server.url, operation, connections, SECONDS);
        }
      }
      rounds.push(results);
    }
  } finally {
    for (const server of servers) server.child?.kill();
    rmSync(dir, { recursive: true, force: true });
  }

  const rows = [];
  for (const operation of Object.keys(OPERATIONS)) {
    for (const connections of [1, 32]) {
      const t = `tidepool ${operation} ${connections}`;
      const d = `dynalite ${operation} ${connections}`;
      const b = `bare GetItem ${connections}`;
      // PutItem answers {}: its same-body ceiling is the bare server's.
      const same = operation === 'PutItem' ? b : `bare ${operation} GetItem ${connections}`;
      const rps = (cell) => median(rounds.map((r) => r[cell].rps));
      const ms = (cell, field) => median(rounds.map((r) => r[cell][field]));
      const ratio = (a, c) => +median(rounds.map((r) => r[a].rps / r[c].rps)).toFixed(2);
      const range = (a, c) => {
        const ratios = rounds.map((r) => r[a].rps / r[c].rps);
        return `${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}`;
      };
      rows.push({
        operation,
        connections,
        'Tidepool req/s': rps(t),
        'p50 / p99 ms': `${ms(t, 'p50')} / ${ms(t, 'p99')}`,
        'dynalite req/s': rps(d),
        'dynalite p50 / p99 ms': `${ms(d, 'p50')} / ${ms(d, 'p99')}`,
        'bare {} req/s': rps(b),
        'bare, same body req/s': rps(same),
        'vs dynalite': ratio(t, d),
        'vs bare {}': ratio(t, b),
        'vs bare {}, range over rounds': range(t, b),
        'vs bare, same body': ratio(t, same),
        target: connections === 32 ? '>= 2x dynalite, >= 0.8 bare' : '',
      });
    }
  }
  report(`tidepool serve under HTTP load (wrk; ${ROUNDS} rounds of ${SECONDS} s per cell, medians; ~1 KB items; Query returns 20 items)`, rows);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await run((title, rows) => {
    console.log(`\n${title}`);
    console.table(rows);
  });
}
