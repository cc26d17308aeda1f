/**
 * Builds the pages the browser tests and benches drive into test/browser/dist (git-ignored):
 * index.html + page.ts, with Tidepool and IndexedDbStore from src/; and host.html + host-page.ts,
 * an app that bundles the built `tidepool/browser` (dist/browser, from `npm run build`).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // No minifying: a stack trace from a failing test should name the source's functions.
    minify: false,
    rollupOptions: {
      input: { index: `${root}index.html`, host: `${root}host.html` },
      // Node's modules are reached only behind `Tidepool.open({ path })` and the wasm loader's
      // file: branch, neither of which runs in a page: their chunks are built but never fetched.
      external: [/^node:/],
    },
  },
});
