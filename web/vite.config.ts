/**
 * Builds the playground (web/) into web/dist and serves it: `npm start` is `vite preview` of this
 * config on 127.0.0.1:5173. The page imports `tidepool/browser` as an app would, so Vite bundles
 * the worker and the wasm core itself; web/sw.js becomes dist/sw.js with the list of every built
 * file, so that after one visit the playground opens with no network.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const outDir = join(root, 'dist');

async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)])));
  return nested.flat();
}

/**
 * Writes dist/sw.js from web/sw.js once everything else is written: the worker's chunk and the
 * wasm come from a build of their own, so the output folder, not one bundle, lists them all. The
 * cache's version is a hash of their contents: a new build installs a new cache and drops the old.
 */
const serviceWorker = (): Plugin => ({
  name: 'playground-service-worker',
  apply: 'build',
  async closeBundle() {
    const built = (await files(outDir)).filter((file) => !file.endsWith('sw.js')).sort();
    const hash = createHash('sha256');
    for (const file of built) hash.update(relative(outDir, file)).update(await readFile(file));
    const precache = ['./', ...built.map((file) => `./${relative(outDir, file).split('\\').join('/')}`)];
    const template = await readFile(join(root, 'sw.js'), 'utf8');
    const code = template.replace('self.__PRECACHE__', JSON.stringify(precache)).replace('self.__VERSION__', JSON.stringify(hash.digest('hex').slice(0, 16)));
    await writeFile(join(outDir, 'sw.js'), code);
  },
});

export default defineConfig({
  root,
  base: './',
  plugins: [serviceWorker()],
  build: { outDir, emptyOutDir: true, target: 'es2022', assetsInlineLimit: 0 },
  worker: { format: 'es' },
  preview: { host: '127.0.0.1', port: 5173, strictPort: true },
});
