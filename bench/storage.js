/**
 * Durable writes in Node: PutItem of ~1 KB items on a database in a data folder (file store,
 * fdatasync per log frame), with 1 and 64 writes in flight, against the same writes on an
 * in-memory database in the same run; and reopening a 100k-item data folder, closed cleanly and
 * left by a process that exited without closing it.
 */
import { spawnSync } from 'node:child_process';
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

  const reopen = [];
  for (const [how, close] of [
    ['closed cleanly (manifest only)', true],
    ['exited without closing (manifest and log tail)', false],
  ]) {
    const dir = mkdtempSync(join(tmpdir(), 'tidepool-bench-'));
    // A child process loads the folder: one that exits without closing leaves its lock to be taken over.
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', `(${load})(${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)}, ${JSON.stringify(dir)}, ${close})`], { stdio: 'inherit' });
    if (child.status !== 0) throw new Error('the loading process failed');
    const start = performance.now();
    const reopened = await Tidepool.open({ path: dir });
    const { Item } = await reopened.send('GetItem', { TableName: 'bench', Key: { pk: { S: 'k777' } } });
    const openMs = performance.now() - start;
    if (!Item) throw new Error('the reopened database lost k777');
    await reopened.close();
    rmSync(dir, { recursive: true, force: true });
    reopen.push({ 'data folder': how, 'open to first GetItem, ms': Math.round(openMs), target: '<= 100 ms (the browser figure in the issue)' });
  }
  report('Reopening a durable 100k-item database (~1 KB items) in Node', reopen);
}

/** Runs in the child process: 100k ~1 KB items with BatchWriteItem, 8 in flight. */
async function load(module, dir, close) {
  const { Tidepool } = await import(module);
  const db = await Tidepool.open({ path: dir });
  await db.send('CreateTable', { TableName: 'bench', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' });
  await new Promise((resolve) => setTimeout(resolve, 5));
  let next = 0;
  const writer = async () => {
    while (next < 100_000) {
      const first = next;
      next += 25;
      const puts = Array.from({ length: 25 }, (_, k) => ({ PutRequest: { Item: { pk: { S: `k${first + k}` }, data: { S: 'x'.repeat(1000) } } } }));
      await db.send('BatchWriteItem', { RequestItems: { bench: puts } });
    }
  };
  await Promise.all(Array.from({ length: 8 }, writer));
  if (close) await db.close();
  else process.exit(0);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await run((title, rows) => {
    console.log(`\n${title}`);
    console.table(rows);
  });
}
