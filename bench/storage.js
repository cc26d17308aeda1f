/**
 * Durable writes in Node: PutItem of ~1 KB items on a database in a data folder (file store,
 * fdatasync per log frame), with 1 and 64 writes in flight, against the same writes on an
 * in-memory database in the same run; and reopening a 100k-item data folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tidepool } from '../dist/index.js';

const SECONDS = 3;
const DATA = 'x'.repeat(1000);
const TABLE = {
  TableName: 'bench',
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
};

async function open(path) {
  const db = await Tidepool.open(path ? { path } : {});
  await db.send('CreateTable', TABLE);
  await new Promise((resolve) => setTimeout(resolve, 5));
  return db;
}

/** Writes/s with `inFlight` PutItems outstanding at all times, for SECONDS. */
async function putRate(db, inFlight) {
  let n = 0;
  const end = performance.now() + SECONDS * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const i = n++;
      await db.send('PutItem', { TableName: 'bench', Item: { pk: { S: `k${i % 20_000}` }, n: { N: String(i) }, data: { S: DATA } } });
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: inFlight }, worker));
  return Math.round((n / (performance.now() - start)) * 1000);
}

export async function run(report) {
  const rows = [];
  for (const inFlight of [1, 64]) {
    const dir = mkdtempSync(join(tmpdir(), 'tidepool-bench-'));
    const durable = await open(dir);
    const memory = await open();
    const durableRate = await putRate(durable, inFlight);
    const memoryRate = await putRate(memory, inFlight);
    await durable.close();
    await memory.close();
    rmSync(dir, { recursive: true, force: true });
    rows.push({ 'writes in flight': inFlight, 'durable PutItem/s (file store)': durableRate, 'in-memory PutItem/s': memoryRate, 'durable / memory': +(durableRate / memoryRate).toFixed(2) });
  }
  report(`Durable PutItem in Node (~1 KB items, fdatasync per group commit, ${SECONDS} s each)`, rows);

  const dir = mkdtempSync(join(tmpdir(), 'tidepool-bench-'));
  const db = await open(dir);
  for (let i = 0; i < 100_000; i += 25) {
    await db.send('BatchWriteItem', { RequestItems: { bench: Array.from({ length: 25 }, (_, k) => ({ PutRequest: { Item: { pk: { S: `k${i + k}` }, data: { S: DATA } } } })) } });
  }
  await db.close();
  const start = performance.now();
  const reopened = await Tidepool.open({ path: dir });
  const { Item } = await reopened.send('GetItem', { TableName: 'bench', Key: { pk: { S: 'k777' } } });
  const openMs = performance.now() - start;
  if (!Item) throw new Error('the reopened database lost k777');
  await reopened.close();
  rmSync(dir, { recursive: true, force: true });
  report('Reopening a durable 100k-item database (~1 KB items) in Node', [
    { 'open to first GetItem, ms': Math.round(openMs), note: 'closed cleanly: opening reads the manifest, the GetItem one partition page', target: '<= 100 ms (the browser figure in the issue)' },
  ]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await run((title, rows) => {
    console.log(`\n${title}`);
    console.table(rows);
  });
}
