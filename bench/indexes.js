/**
 * Secondary indexes and multi-item requests on two 50k-item tables of ~200-byte items, in-process:
 * PutItem on a table with two GSIs (ALL and KEYS_ONLY, index keys changing on every write) against
 * the same PutItems on an identical table without indexes; TransactWriteItems of 25 Puts against
 * 25 sequential PutItems; BatchGetItem of 100 keys against 100 sequential GetItems.
 */
import { Tidepool } from '../dist/index.js';
import { itemSize } from '../dist/model/index.js';

const ITEMS = 50_000;
/** Keys written over and over, spread over the table; a multiple of 25 and coprime-stepped below. */
const WRITE_SET = 10_000;
const STEP = 7919;

const KEY_SCHEMA = [
  { AttributeName: 'pk', KeyType: 'HASH' },
  { AttributeName: 'sk', KeyType: 'RANGE' },
];
const PLAIN = {
  TableName: 'plain',
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'N' },
  ],
  KeySchema: KEY_SCHEMA,
  BillingMode: 'PAY_PER_REQUEST',
};
const INDEXED = {
  TableName: 'indexed',
  AttributeDefinitions: [
    ...PLAIN.AttributeDefinitions,
    { AttributeName: 'org', AttributeType: 'S' },
    { AttributeName: 'updated', AttributeType: 'N' },
    { AttributeName: 'state', AttributeType: 'S' },
    { AttributeName: 'seq', AttributeType: 'N' },
  ],
  KeySchema: KEY_SCHEMA,
  BillingMode: 'PAY_PER_REQUEST',
  GlobalSecondaryIndexes: [
    {
      IndexName: 'by-org',
      KeySchema: [
        { AttributeName: 'org', KeyType: 'HASH' },
        { AttributeName: 'updated', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
    {
      IndexName: 'by-state',
      KeySchema: [
        { AttributeName: 'state', KeyType: 'HASH' },
        { AttributeName: 'seq', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    },
  ],
};

const NOTE = 'status note: '.padEnd(72, 'x');
const STATES = ['new', 'open', 'pending', 'closed'];

/** Item `i` at version `v` (0 or 1): every index key attribute differs between the two versions. */
const item = (i, v) => ({
  pk: { S: `user#${String(i).padStart(7, '0')}` },
  sk: { N: String(i % 97) },
  org: { S: `org#${String((i * 31 + v * 17) % 500).padStart(3, '0')}` },
  updated: { N: String(1_700_000_000 + i * 2 + v) },
  state: { S: STATES[(i + v) % 4] },
  seq: { N: String(i * 2 + v) },
  name: { S: `Name ${i}`.padEnd(24, '.') },
  email: { S: `user${i}@example.com` },
  active: { BOOL: v === 0 },
  note: { S: NOTE },
});
const keyOf = (i) => ({ pk: { S: `user#${String(i).padStart(7, '0')}` }, sk: { N: String(i % 97) } });
/** The m-th written or read key: STEP is coprime with ITEMS, so m < ITEMS gives distinct keys all over the table. */
const spread = (m) => (m * STEP + 13) % ITEMS;

// Both versions of the written items, built once so that the timed loops only send them.
const VERSIONS = [0, 1].map((v) => Array.from({ length: WRITE_SET }, (_, j) => item(spread(j), v)));

/**
 * The next items to overwrite in one table. The tables are loaded at version 0 and each pass over
 * WRITE_SET flips the version, so every write moves the item's entries in both indexes.
 */
function writer() {
  let n = 0;
  return () => {
    const v = (Math.floor(n / WRITE_SET) + 1) % 2;
    return VERSIONS[v][n++ % WRITE_SET];
  };
}

function gc() {
  if (globalThis.gc) globalThis.gc();
}

/**
 * Runs `a(i)` and `b(i)` in alternating rounds of `batch` calls until each has run for at least
 * `ms` milliseconds in all, so that both see the same machine load; returns [a calls/s, b calls/s].
 */
async function pair(a, b, { ms = 2000, rounds = 4, batch = 1000 } = {}) {
  const runs = [a, b].map((fn) => ({ fn, ops: 0, time: 0 }));
  for (let r = 1; r <= rounds; r++) {
    for (const run of runs) {
      gc();
      const start = performance.now();
      let now = start;
      while (run.time + now - start < (ms * r) / rounds) {
        for (let k = 0; k < batch; k++) await run.fn(run.ops + k);
        run.ops += batch;
        now = performance.now();
      }
      run.time += now - start;
    }
  }
  return runs.map((run) => (run.ops / run.time) * 1000);
}

async function count(db, input) {
  let total = 0;
  let start;
  do {
    const page = await db.send('Scan', { ...input, Select: 'COUNT', ExclusiveStartKey: start });
    total += page.Count;
    start = page.LastEvaluatedKey;
  } while (start);
  return total;
}

const row = (operation, tidepool, peer, peerRate, target) => ({
  operation,
  'Tidepool items/s': Math.round(tidepool),
  peer,
  'peer items/s': Math.round(peerRate),
  ratio: +(tidepool / peerRate).toFixed(2),
  target,
});

export async function run(report) {
  const db = await Tidepool.open({ retainChanges: 1 });
  await db.send('CreateTable', INDEXED);
  await db.send('CreateTable', PLAIN);
  await new Promise((resolve) => setTimeout(resolve, 5));
  for (let i = 0; i < ITEMS; i++) {
    const it = item(i, 0);
    await db.send('PutItem', { TableName: 'indexed', Item: it });
    await db.send('PutItem', { TableName: 'plain', Item: it });
  }
  const bytes = itemSize(item(12345, 0));
  const next = { indexed: writer(), plain: writer() };

  // 1. PutItem overwriting existing keys, with and without the two GSIs.
  const [putIndexed, putPlain] = await pair(
    () => db.send('PutItem', { TableName: 'indexed', Item: next.indexed() }),
    () => db.send('PutItem', { TableName: 'plain', Item: next.plain() }),
  );

  // 1b. The same, but the writes leave the index keys as they are (only non-key attributes change),
  // so each index entry stays put: the common case for tables whose index keys rarely change.
  const steady = (v) => VERSIONS[v].map((it) => ({ ...it, name: { S: it.name.S.replace('.', ':') } }));
  const settled = { v: 0, n: 0, items: [steady(0), steady(0).map((it) => ({ ...it, email: { S: `x${it.email.S}` } }))] };
  // Bring the indexed table's written keys back to version 0 first (the plain table has no indexes to care).
  for (const it of VERSIONS[0]) await db.send('PutItem', { TableName: 'indexed', Item: it });
  const nextSteady = () => settled.items[Math.floor(settled.n / WRITE_SET) % 2][settled.n++ % WRITE_SET];
  const [putIndexedSteady, putPlainSteady] = await pair(
    () => db.send('PutItem', { TableName: 'indexed', Item: nextSteady() }),
    () => db.send('PutItem', { TableName: 'plain', Item: next.plain() }),
  );

  // 2. TransactWriteItems of 25 Puts against 25 sequential PutItems of the same items, on each table.
  const transact = (TableName) => () =>
    db.send('TransactWriteItems', { TransactItems: Array.from({ length: 25 }, () => ({ Put: { TableName, Item: next[TableName]() } })) });
  const sequential = (TableName) => async () => {
    for (let k = 0; k < 25; k++) await db.send('PutItem', { TableName, Item: next[TableName]() });
  };
  const writes = {};
  for (const name of ['plain', 'indexed']) {
    const [tx, seq] = await pair(transact(name), sequential(name), { batch: 40 });
    writes[name] = { tx: tx * 25, seq: seq * 25 };
  }

  // 3. BatchGetItem of 100 keys against GetItem of the same 100 keys, over 100 different batches.
  const batches = Array.from({ length: 100 }, (_, b) => Array.from({ length: 100 }, (_, k) => keyOf(spread(b * 100 + k))));
  const requests = batches.map((Keys) => ({ RequestItems: { plain: { Keys } } }));
  const first = await db.send('BatchGetItem', requests[0]);
  if (first.Responses.plain.length !== 100 || Object.keys(first.UnprocessedKeys).length !== 0) {
    throw new Error(`BatchGetItem returned ${first.Responses.plain.length} of 100 items`);
  }
  const [batchGet, gets] = await pair(
    (n) => db.send('BatchGetItem', requests[n % 100]),
    async (n) => {
      for (const Key of batches[n % 100]) await db.send('GetItem', { TableName: 'plain', Key });
    },
    { batch: 20 },
  );

  // Every item is still there, once in each index.
  for (const input of [{ TableName: 'plain' }, { TableName: 'indexed' }, { TableName: 'indexed', IndexName: 'by-org' }, { TableName: 'indexed', IndexName: 'by-state' }]) {
    const found = await count(db, input);
    if (found !== ITEMS) throw new Error(`expected ${ITEMS} items in ${JSON.stringify(input)}, found ${found}`);
  }
  await db.close();

  report(`Secondary indexes and multi-item requests (${ITEMS.toLocaleString('en-US')} items of ~${bytes} bytes per table, in-process)`, [
    row('PutItem overwrite, 2 GSIs (ALL + KEYS_ONLY), index keys moving', putIndexed, 'same PutItem, no indexes', putPlain, '>= 0.5 (<= 2x the cost)'),
    row('PutItem overwrite, 2 GSIs, index keys unchanged', putIndexedSteady, 'same PutItem, no indexes', putPlainSteady, '>= 0.5 (<= 2x the cost)'),
    row('TransactWriteItems of 25 Puts, no indexes', writes.plain.tx, '25 sequential PutItems', writes.plain.seq, '>= 0.33 (<= 3x the cost)'),
    row('TransactWriteItems of 25 Puts, 2 GSIs', writes.indexed.tx, '25 sequential PutItems', writes.indexed.seq, '>= 0.33 (<= 3x the cost)'),
    row('BatchGetItem of 100 keys', batchGet * 100, '100 sequential GetItems', gets * 100, ''),
  ]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await run((title, rows) => {
    console.log(`\n${title}`);
    console.table(rows);
  });
}
