/**
 * GetItem and PutItem through db.send on a 100k-item table of ~1 KB items, in-process, and the
 * engine's memory per item. The baseline is a plain JS Map of the same items doing the same
 * clone-on-read, the least a store can do.
 */
import { Tidepool } from '../dist/index.js';
import { itemSize, cloneItem } from '../dist/model/index.js';
import { Core } from '../dist/core/wasm.js';

const ITEMS = 100_000;
const TABLE = {
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
};

const BIO = 'lorem ipsum dolor sit amet '.repeat(32).slice(0, 840);

function item(i) {
  return {
    pk: { S: `user#${String(i).padStart(7, '0')}` },
    sk: { N: String(i % 97) },
    name: { S: `Name ${i}`.padEnd(24, '.') },
    email: { S: `user${i}@example.com` },
    age: { N: String(18 + (i % 60)) },
    active: { BOOL: i % 2 === 0 },
    tags: { SS: ['alpha', 'beta', `t${i % 10}`] },
    bio: { S: BIO + String(i) },
  };
}
const keyOf = (i) => ({ pk: { S: `user#${String(i).padStart(7, '0')}` }, sk: { N: String(i % 97) } });

function gc() {
  if (globalThis.gc) globalThis.gc();
}

/**
 * Runs `fn(i)` in 7 rounds of at least `ms` / 7 milliseconds each (in batches of `batch` calls) and
 * returns the median round's ops/s: this shared VM has bursts of outside load that a single long
 * average would fold into the figure.
 */
async function rate(fn, { ms = 2800, batch = 1000 } = {}) {
  const rounds = [];
  let ops = 0;
  for (let round = 0; round < 7; round++) {
    const start = performance.now();
    let now = start;
    let done = 0;
    while (now - start < ms / 7) {
      for (let k = 0; k < batch; k++) await fn(ops + k);
      ops += batch;
      done += batch;
      now = performance.now();
    }
    rounds.push((done / (now - start)) * 1000);
  }
  return rounds.sort((a, b) => a - b)[3];
}

export async function run(report) {
  const sample = item(12345);
  const rawBytes = itemSize(sample);

  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const db = await Tidepool.open({ retainChanges: 1 });
  await db.send('CreateTable', TABLE);
  await new Promise((resolve) => setTimeout(resolve, 5));
  const core = await Core.load();
  const wasmBefore = core.memoryBytes;

  const loadStart = performance.now();
  for (let i = 0; i < ITEMS; i++) await db.send('PutItem', { TableName: 'bench', Item: item(i) });
  const loadRate = (ITEMS / (performance.now() - loadStart)) * 1000;
  gc();
  const heapAfter = process.memoryUsage().heapUsed;
  const wasmAfter = core.memoryBytes;
  const bytesPerItem = (heapAfter - heapBefore + wasmAfter - wasmBefore) / ITEMS;

  const rand = (n) => (Math.imul(n + 1, 2654435761) >>> 0) % ITEMS;
  const getRate = await rate((n) => db.send('GetItem', { TableName: 'bench', Key: keyOf(rand(n)) }));
  // The same table, reading 100 keys over and over: what the request path costs once the items are in cache.
  const hotRate = await rate((n) => db.send('GetItem', { TableName: 'bench', Key: keyOf(n % 100) }));
  const items = Array.from({ length: 1000 }, (_, i) => item(i));
  const putRate = await rate((n) => db.send('PutItem', { TableName: 'bench', Item: items[n % 1000] }));

  const map = new Map();
  for (let i = 0; i < ITEMS; i++) map.set(`${i}`, cloneItem(item(i)));
  const mapGet = await rate(async (n) => cloneItem(map.get(`${rand(n)}`)));
  const mapHot = await rate(async (n) => cloneItem(map.get(`${n % 100}`)));
  const mapPut = await rate(async (n) => map.set(`${n % ITEMS}`, cloneItem(items[n % 1000])));

  const { Table } = await db.send('DescribeTable', { TableName: 'bench' });
  if (Table.ItemCount !== ITEMS) throw new Error(`expected ${ITEMS} items, the table has ${Table.ItemCount}`);
  await db.close();

  report('GetItem and PutItem through db.send (100,000 items of ~1 KB, in-process)', [
    { operation: 'GetItem, uniformly random keys', 'Tidepool ops/s': Math.round(getRate), 'Map + clone ops/s': Math.round(mapGet), ratio: +(getRate / mapGet).toFixed(2), target: '>= 300,000' },
    { operation: 'GetItem, 100 hot keys', 'Tidepool ops/s': Math.round(hotRate), 'Map + clone ops/s': Math.round(mapHot), ratio: +(hotRate / mapHot).toFixed(2), target: '>= 300,000' },
    { operation: 'PutItem, overwrite', 'Tidepool ops/s': Math.round(putRate), 'Map + clone ops/s': Math.round(mapPut), ratio: +(putRate / mapPut).toFixed(2), target: '>= 100,000' },
    { operation: 'PutItem, insert (table growing 0 -> 100k)', 'Tidepool ops/s': Math.round(loadRate), 'Map + clone ops/s': '', ratio: '', target: '' },
  ]);
  report('Memory per item', [
    {
      'raw item size (DynamoDB rules), bytes': rawBytes,
      'engine bytes per item (JS heap + wasm)': Math.round(bytesPerItem),
      ratio: +(bytesPerItem / rawBytes).toFixed(2),
      target: '<= 3x',
    },
  ]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await run((title, rows) => {
    console.log(`\n${title}`);
    console.table(rows);
  });
}
