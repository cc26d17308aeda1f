/**
 * The browser host in Chromium: GetItem from the page through openDatabase (the engine in a
 * worker, calls of one tick batched into one message), against a bare postMessage round trip (a
 * message per call) and a bare Comlink round trip to workers that only echo the key, and Dexie's
 * get of the same items on the page, in one run.
 * - 1 in flight: p50 and p99 latency of a call, in microseconds (the page is cross-origin
 *   isolated, so performance.now() is precise to 5 us);
 * - 256 in flight: calls per second, each caller issuing its next call when the last is answered.
 *
 * Needs dist/browser (`npm run build`): the page bundles the built `tidepool/browser`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { launchOptions } from '../test/browser/chromium.js';
import { buildPage, ISOLATED, serve } from '../test/browser/harness.js';

const ITEMS = 10_000;
const BYTES = 100;
const LATENCY_CALLS = 20_000;
const THROUGHPUT_CALLS = 256_000;
const IN_FLIGHT = 256;
const TARGETS = ['tidepool', 'postMessage', 'comlink', 'dexie'];

export async function run(report) {
  await buildPage();
  const server = await serve(undefined, ISOLATED);
  const dir = await mkdtemp(join(tmpdir(), 'tidepool-bench-host-'));
  const context = await chromium.launchPersistentContext(dir, launchOptions());
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${server.url}host.html`);
    await page.waitForFunction(() => 'host' in window);
    await page.evaluate(([items, bytes]) => window.host.bench.setup(items, bytes), [ITEMS, BYTES]);
    const latency = {};
    const throughput = {};
    for (const target of TARGETS) {
      // A first pass warms the JITs of both threads and the caches of the store.
      await page.evaluate(([target, n]) => window.host.bench.throughput(target, 16, n), [target, 20_000]);
      latency[target] = await page.evaluate(([target, n]) => window.host.bench.latency(target, n), [target, LATENCY_CALLS]);
      throughput[target] = await page.evaluate(([target, k, n]) => window.host.bench.throughput(target, k, n), [target, IN_FLIGHT, THROUGHPUT_CALLS]);
    }
    if (!latency.tidepool.isolated) throw new Error('bench/host.js: the page is not cross-origin isolated; its timings would be rounded to 100 us');
    const row = (operation, pick, target, digits = 0) => ({
      operation,
      Tidepool: +pick(TARGETS[0]).toFixed(digits),
      'bare postMessage echo': +pick(TARGETS[1]).toFixed(digits),
      'bare Comlink echo': +pick(TARGETS[2]).toFixed(digits),
      'Dexie get': +pick(TARGETS[3]).toFixed(digits),
      'vs postMessage': +(pick('tidepool') / pick('postMessage')).toFixed(2),
      'vs Comlink': +(pick('tidepool') / pick('comlink')).toFixed(2),
      'vs Dexie': +(pick('tidepool') / pick('dexie')).toFixed(2),
      target,
    });
    report(`Browser host: GetItem from the page, ${ITEMS / 1000}k ~${BYTES}-byte items (Chromium, worker + IndexedDB)`, [
      row('1 in flight, p50 us', (t) => latency[t].p50, '<= 150 us'),
      row('1 in flight, p99 us', (t) => latency[t].p99, ''),
      row(`${IN_FLIGHT} in flight, ops/s`, (t) => throughput[t], '>= 200k ops/s'),
    ]);
  } finally {
    await context.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}
