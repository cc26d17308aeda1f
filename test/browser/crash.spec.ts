/**
 * The browser process is killed (SIGKILL) in the middle of a stream of acknowledged writes and
 * relaunched on the same profile: every acknowledged write is there, and every batch is there
 * whole or not at all. Several seeded rounds on one database, each recovering the last one's.
 */
import { chromium, type BrowserContext } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32, randomInt } from '../support/random.js';
import { launchOptions } from './chromium.js';
import { expect, test } from './fixtures.js';
import { browserPid, openPage } from './harness.js';

/** What page.stream writes. */
interface Written {
  pk: { S: string };
  sk: { N: string };
  batch: { N: string };
  size: { N: string };
  data: { S: string };
}

const SEEDS = [7, 1009, 65_537];
/** Small, so that checkpoints (pages, the manifest, the log cut) happen under the kill too. */
const CHECKPOINT_BYTES = 16 * 1024;

async function launch(dir: string) {
  const context = await chromium.launchPersistentContext(dir, launchOptions());
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}

async function kill(context: BrowserContext, dir: string): Promise<void> {
  const closed = new Promise((resolve) => context.once('close', resolve));
  process.kill(await browserPid(dir), 'SIGKILL');
  await closed;
}

test('every acknowledged write survives the browser being killed', async ({ origin }) => {
  const dir = await mkdtemp(join(tmpdir(), 'tidepool-crash-'));
  const acknowledged: string[] = [];
  try {
    for (let round = 0; round <= SEEDS.length; round++) {
      const { context, page } = await launch(dir);
      const heard: string[][] = [];
      const target = round < SEEDS.length ? randomInt(mulberry32(SEEDS[round]), 20, 200) : 0;
      let enough!: () => void;
      const reached = new Promise<void>((resolve) => (enough = resolve));
      await page.exposeFunction('ack', (keys: string[]) => {
        heard.push(keys);
        if (heard.length === target) enough();
      });
      await openPage(page, origin);

      if (round > 0) {
        const items = (await page.evaluate(() => window.tidepool.scan('crash'))) as unknown as Written[];
        const present = new Set(items.map((item) => item.pk.S));
        expect(acknowledged.filter((key) => !present.has(key))).toEqual([]);
        expect(items.filter((item) => item.data.S !== `value of ${item.pk.S}` || item.sk.N !== item.pk.S.split(':')[0])).toEqual([]);
        const batches = new Map<string, { size: number; found: number }>();
        for (const item of items) {
          const id = `${item.sk.N}/${item.batch.N}`;
          const batch = batches.get(id) ?? { size: Number(item.size.N), found: 0 };
          batch.found++;
          batches.set(id, batch);
        }
        expect([...batches].filter(([, { size, found }]) => size !== found)).toEqual([]);
      }
      if (round === SEEDS.length) {
        await context.close();
        break;
      }

      const args = [round, SEEDS[round], CHECKPOINT_BYTES] as const;
      page.evaluate(([round, seed, bytes]) => window.tidepool.stream('crash', round, seed, bytes), args).catch(() => {});
      await reached;
      await kill(context, dir);
      acknowledged.push(...heard.flat());
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
