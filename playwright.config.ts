/**
 * Playwright runs test/browser/*.spec.ts in real Chromium (see test/browser/chromium.js for which
 * one), one test at a time: the crash test kills whole browser processes, and two Chromiums at once
 * would crowd a 2-core machine.
 */
import { defineConfig } from '@playwright/test';
import { launchOptions } from './test/browser/chromium.js';

export default defineConfig({
  testDir: 'test/browser',
  globalSetup: './test/browser/global-setup.ts',
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 180_000,
  reporter: 'list',
  use: { browserName: 'chromium', launchOptions: launchOptions() },
});
