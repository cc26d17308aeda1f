/**
 * The playground (web/) as a new user meets it: built and served as `npm start` serves it (a Vite
 * production build under `vite preview` on 127.0.0.1), driven through its page in Chromium.
 * Screenshots of each main screen go to test-results/playground/ for review.
 */
import { fileURLToPath } from 'node:url';
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import { build, preview } from 'vite';

const config = fileURLToPath(new URL('../../web/vite.config.ts', import.meta.url));
const SHOTS = 'test-results/playground';

/**
 * `origin`: the playground built once for the worker and served by `vite preview` on a free port;
 * `errors`: every console error and uncaught exception of every page of the test's context, which
 * must be none when the test ends.
 */
const test = base.extend<{ errors: string[] }, { origin: string }>({
  origin: [
    async ({}, use) => {
      await build({ configFile: config, logLevel: 'warn' });
      const server = await preview({ configFile: config, logLevel: 'warn', preview: { port: 0, strictPort: false, open: false } });
      await use(server.resolvedUrls!.local[0]);
      await server.close();
    },
    { scope: 'worker' },
  ],
  errors: [
    async ({ context }, use) => {
      const errors: string[] = [];
      const listen = (page: Page) => {
        page.on('console', (message) => message.type() === 'error' && errors.push(`console: ${message.text()}`));
        page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
      };
      context.pages().forEach(listen);
      context.on('page', listen);
      await use(errors);
      expect(errors).toEqual([]);
    },
    { auto: true },
  ],
});

/** Opens the playground at `hash` and waits until its table list has been read from the worker. */
async function open(page: Page, origin: string, hash = ''): Promise<void> {
  await page.goto(`${origin}${hash}`);
  await expect(page.locator('#tables li').first()).toBeVisible();
}

async function loadSample(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Load sample data' }).click();
  await expect(page.getByRole('heading', { name: 'Guided examples' })).toBeVisible();
}

/** The item grid's rows as arrays of cell texts, header first. */
async function grid(page: Page, scope = page.locator('main')): Promise<string[][]> {
  const table = scope.locator('table.items');
  const header = await table.locator('thead th').allInnerTexts();
  const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
  return [header.map((h) => h.trim()), ...rows];
}

test('a first visit: load the sample shop, run a guided query, and read its request, SDK code and result', async ({ page, origin }) => {
  await page.setViewportSize({ width: 1280, height: 860 });
  await open(page, origin);
  await expect(page.getByRole('heading', { name: 'DynamoDB in a browser tab' })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/home.png` });
  await loadSample(page);
  await page.getByRole('button', { name: "A customer's orders, newest first" }).click();
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.locator('.results table.items')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/builder.png`, fullPage: true });
});
