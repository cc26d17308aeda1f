/**
 * Tidepool in Chromium over IndexedDB (IndexedDbStore), on the page the browser tests use, all in
 * one browser run with an on-disk profile:
 * - a durable load of 20k ~1 KB items with BatchWriteItem (25 items each) against Dexie's bulkPut
 *   of the same 20k objects, both with strict durability, alternating round by round;
 * - the time from opening a 100k-item (~100-byte) database to the answer of its first GetItem,
 *   each time in a freshly loaded page: after the loading tab was closed without closing the
 *   database (pages of its last checkpoint plus the log after it), and after a clean close (pages
 *   only).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { launchOptions } from '../test/browser/chromium.js';
import { buildPage, openPage, serve } from '../test/browser/harness.js';

const LOAD_ITEMS = 20_000;
const LOAD_BYTES = 1_000;
const OPEN_ITEMS = 100_000;
const OPEN_BYTES = 100;
const ROUNDS = 3;

const median = (values) => values.toSorted((a, b) => a - b)[values.length >> 1];

export async function run(report) {
  await buildPage();
  const server = await serve();
  const dir = await mkdtemp(join(tmpdir(), 'tidepool-bench-'));
  const context = await chromium.launchPersistentContext(dir, launchOptions());
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await openPage(page, server.url);
    const call = (fn, ...args) => page.evaluate(([fn, args]) => window.tidepool[fn](...args), [fn, args]);

    // 1. The durable load: all 800 batches in flight (group commit makes few large frames), and 8 at a time.
    const times = { all: [], eight: [], dexie: [] };
    for (let r = 0; r < ROUNDS; r++) {
      times.all.push(await call('benchTidepool', `load-all-${r}`, LOAD_ITEMS, LOAD_BYTES, LOAD_ITEMS / 25));
      times.dexie.push(await call('benchDexie', `dexie-${r}`, LOAD_ITEMS, LOAD_BYTES));
      times.eight.push(await call('benchTidepool', `load-8-${r}`, LOAD_ITEMS, LOAD_BYTES, 8));
    }
    const rate = (ms) => (LOAD_ITEMS / ms) * 1000;
    const dexie = rate(median(times.dexie));
    const loadRow = (operation, ms) => ({
      operation,
      'Tidepool items/s': Math.round(rate(ms)),
      peer: 'Dexie bulkPut',
      'peer items/s': Math.round(dexie),
      ratio: +(rate(ms) / dexie).toFixed(2),
      target: '>= 2',
    });
    report('Browser: durable load of 20k ~1 KB items into IndexedDB (Chromium)', [
      loadRow('BatchWriteItem x800, all in flight', median(times.all)),
      loadRow('BatchWriteItem x800, 8 in flight', median(times.eight)),
    ]);

    // 2. Open to first GetItem on 100k items: pages and a log tail, and pages only.
    await call('load', 'open-log', OPEN_ITEMS, OPEN_BYTES, 40, true);
    await page.reload();
    await openPage(page, server.url);
    await call('load', 'open-checkpoint', OPEN_ITEMS, OPEN_BYTES, 40);
    const rows = [];
    for (const [name, from] of [
      ['open-log', 'a checkpoint and the log after it (tab closed)'],
      ['open-checkpoint', 'a checkpoint (database closed)'],
    ]) {
      const ms = [];
      for (let r = 0; r < ROUNDS; r++) {
        await page.reload();
        await openPage(page, server.url);
        ms.push(await call('benchFirstGet', name, 76_543));
      }
      rows.push({ operation: `open 100k items from ${from}, first GetItem`, 'Tidepool ms': Math.round(median(ms)), target: '<= 100 ms' });
    }
    report('Browser: open to first GetItem, 100k ~100-byte items (Chromium, IndexedDB)', rows);
  } finally {
    await context.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}
