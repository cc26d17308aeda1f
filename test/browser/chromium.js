/**
 * The Chromium that the browser tests and bench/browser.js drive: Debian's at /usr/bin/chromium,
 * else one that `npx playwright install chromium` put in Playwright's cache. With neither, this
 * throws: a browser test that cannot run must fail, never pass by being skipped.
 */
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

const DEBIAN = '/usr/bin/chromium';

/** Keeps a headless run quiet and self-contained on a machine with no GPU and no internet. */
export const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The executable to launch; throws with the command that installs one when there is none. */
export function chromiumPath() {
  if (existsSync(DEBIAN)) return DEBIAN;
  const own = chromium.executablePath();
  if (existsSync(own)) return own;
  throw new Error(`No Chromium for the browser tests: neither ${DEBIAN} nor Playwright's ${own} exists. Install it with: apt-get install -y chromium`);
}

/** Launch options for `chromium.launch` and `chromium.launchPersistentContext`. */
export const launchOptions = () => ({ executablePath: chromiumPath(), args: LAUNCH_ARGS, headless: true });
