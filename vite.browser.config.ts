/**
 * Builds `tidepool/browser` into dist/browser: browser.js (the page's side), the worker as its own
 * module chunk, and core.wasm as a file. Every URL between them is relative to import.meta.url
 * and dependencies are inlined, so the folder works from a plain static server as well as from
 * an app's bundler.
 */
import { createLogger, defineConfig, type Plugin } from 'vite';

/**
 * Vite writes a relative asset URL as `new URL(new URL("x", import.meta.url).href, "" + import.meta.url)`.
 * An app's bundler recognises only the plain `new URL("x", import.meta.url)` (and `new Worker` of
 * it) as a file to bundle: in the nested form an app's build would copy the worker without the
 * wasm it loads.
 */
const plainAssetUrls = (): Plugin => ({
  name: 'tidepool-plain-asset-urls',
  renderChunk: (code) => code.replace(/new URL\(\s*(?:\/\* @vite-ignore \*\/\s*)?new URL\(("[^"]+"), import\.meta\.url\)\.href,\s*"" \+ import\.meta\.url\s*\)/g, 'new URL($1, import.meta.url)'),
});

/** Quiet about the Node modules the worker leaves behind on purpose (see worker below); loud about the rest. */
const logger = createLogger('warn');
const warn = logger.warn.bind(logger);
logger.warn = (message, options) => {
  if (!/Module "node:\w+(\/\w+)?" has been externalized for browser compatibility/.test(message)) warn(message, options);
};

export default defineConfig({
  base: './',
  publicDir: false,
  plugins: [plainAssetUrls()],
  logLevel: 'warn',
  customLogger: logger,
  build: {
    outDir: 'dist/browser',
    emptyOutDir: true,
    target: 'es2022',
    // A library is minified by the app that bundles it; unminified, its stack traces name our functions.
    minify: false,
    // Vite would inline a small asset as a data: URL; the wasm stays a file that the browser caches and compiles streaming.
    assetsInlineLimit: 0,
    rollupOptions: {
      input: { browser: 'src/browser.ts' },
      preserveEntrySignatures: 'strict',
      // Reached only behind Tidepool.open({ path }) and the wasm loader's file: branch, which never run in a browser.
      external: [/^node:/],
      output: { entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js', assetFileNames: '[name]-[hash][extname]' },
    },
  },
  worker: {
    format: 'es',
    plugins: () => [plainAssetUrls()],
    rollupOptions: {
      // One file: an app that rebundles the worker in Vite's default classic format cannot split it.
      // Node's modules, reached only behind Tidepool.open({ path }), become Vite's empty browser stubs.
      output: { codeSplitting: false, entryFileNames: '[name]-[hash].js', assetFileNames: '[name]-[hash][extname]' },
    },
  },
});
