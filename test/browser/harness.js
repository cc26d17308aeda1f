/**
 * What the browser tests and bench/browser.js share: building the test page, serving it from a
 * real http origin (IndexedDB needs one), opening it, and finding a browser's process to kill.
 */
import { createReadStream } from 'node:fs';
import { readlink, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const HERE = fileURLToPath(new URL('.', import.meta.url));
export const PAGE_DIR = join(HERE, 'dist');

/** Builds index.html + page.ts into PAGE_DIR. */
export async function buildPage() {
  await build({ configFile: join(HERE, 'vite.config.ts') });
}

// instantiateStreaming accepts only application/wasm.
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm', '.map': 'application/json' };

/** The headers that make a page cross-origin isolated, so that performance.now() is precise to 5 us, not 100 us. */
export const ISOLATED = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

/**
 * Serves `root` on 127.0.0.1 at a free port, with `headers` on every file. The server does not
 * keep the process alive, and `close` also drops the browser's keep-alive connections, which would
 * otherwise hold it open.
 */
export async function serve(root = PAGE_DIR, headers = {}) {
  const server = createServer(async (request, response) => {
    const path = normalize(join(root, decodeURIComponent(new URL(request.url, 'http://x').pathname)));
    const file = path.endsWith('/') ? join(path, 'index.html') : path;
    const found = file.startsWith(root) && (await stat(file).catch(() => undefined))?.isFile();
    if (!found) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { ...headers, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    createReadStream(file).pipe(response);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  };
}

/** Loads the test page in `page` and waits until `window.tidepool` is there. */
export async function openPage(page, url) {
  await page.goto(url);
  await page.waitForFunction(() => 'tidepool' in window);
}

/**
 * The pid of the browser process using `userDataDir`. Playwright gives no process for a
 * persistent context, but Chromium's profile lock is a symlink to `<hostname>-<pid>`.
 */
export async function browserPid(userDataDir) {
  const target = await readlink(join(userDataDir, 'SingletonLock'));
  return Number(target.slice(target.lastIndexOf('-') + 1));
}
