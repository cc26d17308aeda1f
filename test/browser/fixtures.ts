/**
 * `test` with the built page served for the whole worker: `origin` is its URL, and
 * `tidepoolPage` a page that has it open.
 */
import { test as base, type Page } from '@playwright/test';
import { openPage, serve } from './harness.js';

export const test = base.extend<{ tidepoolPage: Page }, { origin: string }>({
  origin: [
    async ({}, use) => {
      const server = await serve();
      await use(server.url);
      await server.close();
    },
    { scope: 'worker' },
  ],
  tidepoolPage: async ({ page, origin }, use) => {
    await openPage(page, origin);
    await use(page);
  },
});

export { expect } from '@playwright/test';
