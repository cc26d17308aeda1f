/**
 * Builds the page the browser tests and bench/browser.js drive: index.html + page.ts, with
 * Tidepool and IndexedDbStore from src/, into test/browser/dist (git-ignored).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // No minifying: a stack trace from a failing test should name the source's functions.
    minify: false,
    rollupOptions: {
      // Node's modules are reached only behind `Tidepool.open({ path })` and the wasm loader's
      // file: branch, neither of which runs in a page: their chunks are built but never fetched.
      external: [/^node:/],
    },
  },
});
