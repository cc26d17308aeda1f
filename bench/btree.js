/**
 * The wasm B+tree against npm sorted-btree on the same realistic table keys: encodeKey output
 * for random S partition keys (10..30 chars) with N sort keys, at 1e3, 1e5 and 1e6 keys.
 * sorted-btree runs twice: with Uint8Array keys and a byte comparator, and with latin1
 * "binary strings" (one char per byte) under its default comparator, which orders them bytewise.
 * Lookups go in shuffled order; wasm single lookups include copying each key into KEY.
 *
 * Standalone: `npm run build && node --expose-gc bench/btree.js`.
 */
import { pathToFileURL } from 'node:url';
import sortedBtree from 'sorted-btree';
import { bulkLoad as sortedBulkLoad } from 'sorted-btree/extended/bulkLoad.js';
import { Core } from '../dist/core/wasm.js';

const BTree = sortedBtree.default;
const SIZES = [1e3, 1e5, 1e6];
/** Each measurement repeats until this much time has passed (and at least MIN_REPS times). */
const MIN_MS = 1000;
const MIN_REPS = 3;
const SORTED_BTREE_NODE = 32; // sorted-btree's default node size
const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789#-_';

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function compareBytes(a, b) {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return a.length - b.length;
}

const latin1 = (bytes) => String.fromCharCode.apply(null, bytes);

/** n distinct table keys, unsorted, with their latin1 twins and a shuffled lookup order. */
function makeKeys(core, n) {
  const rng = mulberry32(n);
  const seen = new Set();
  const keys = [];
  while (keys.length < n) {
    let pk = '';
    for (let len = 10 + Math.floor(rng() * 21); len > 0; len--) pk += ALPHABET[Math.floor(rng() * ALPHABET.length)];
    const sk = String(Math.floor(rng() * 1e6) / 100);
    const key = core.keyBytes(core.encodeKey(1, pk, 2, sk));
    const s = latin1(key);
    if (seen.has(s)) continue;
    seen.add(s);
    keys.push(key);
  }
  const order = keys.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const sorted = keys.map((_, i) => i).sort((a, b) => compareBytes(keys[a], keys[b]));
  return {
    keys,
    strings: keys.map(latin1),
    lookups: order.map((i) => keys[i]),
    lookupStrings: order.map((i) => latin1(keys[i])),
    sorted,
  };
}

/** Median ops/s of fn(), which performs `ops` operations; setup() runs untimed before each rep. */
function measure(ops, fn, setup = () => undefined, teardown = () => undefined) {
  globalThis.gc?.();
  let state = setup();
  fn(state); // warm-up
  teardown(state);
  const rates = [];
  const start = performance.now();
  while (rates.length < MIN_REPS || performance.now() - start < MIN_MS) {
    state = setup();
    const t0 = performance.now();
    fn(state);
    const ms = performance.now() - t0;
    teardown(state);
    rates.push((ops / ms) * 1000);
  }
  rates.sort((a, b) => a - b);
  return Math.round(rates[rates.length >> 1]);
}

const ratio = (a, b) => `${(a / b).toFixed(2)}x`;

export async function run(report) {
  const core = await Core.load();
  const lookups = [];
  const inserts = [];
  const loads = [];
  for (const n of SIZES) {
    const data = makeKeys(core, n);
    const { keys, strings, sorted } = data;

    // Trees to look up in, built once per size.
    const tree = core.treeNew();
    core.bulkLoad(tree, sorted.map((i) => [keys[i], i]));
    const bytesTree = new BTree(undefined, compareBytes);
    const stringTree = new BTree();
    for (let i = 0; i < n; i++) {
      bytesTree.set(keys[i], i);
      stringTree.set(strings[i], i);
    }

    let sink = 0;
    const wasm = measure(n, () => {
      for (const k of data.lookups) sink += core.treeGet(tree, core.setKey(k));
    });
    const batched = measure(n, () => {
      const got = core.getMany(tree, data.lookups);
      sink += got[0];
    });
    const bytes = measure(n, () => {
      for (const k of data.lookups) sink += bytesTree.get(k);
    });
    const strs = measure(n, () => {
      for (const k of data.lookupStrings) sink += stringTree.get(k);
    });
    if (Number.isNaN(sink)) throw new Error('a lookup missed');
    lookups.push({
      keys: n,
      'wasm get': wasm,
      'wasm getMany': batched,
      'sorted-btree bytes': bytes,
      'sorted-btree latin1': strs,
      'get / bytes': ratio(wasm, bytes),
      'get / latin1': ratio(wasm, strs),
      'getMany / latin1': ratio(batched, strs),
    });
    core.treeFree(tree);

    const wasmInsert = measure(
      n,
      (t) => {
        for (let i = 0; i < n; i++) core.treeSet(t, core.setKey(keys[i]), i);
      },
      () => core.treeNew(),
      (t) => core.treeFree(t),
    );
    const bytesInsert = measure(n, (t) => {
      for (let i = 0; i < n; i++) t.set(keys[i], i);
    }, () => new BTree(undefined, compareBytes));
    const stringInsert = measure(n, (t) => {
      for (let i = 0; i < n; i++) t.set(strings[i], i);
    }, () => new BTree());
    inserts.push({
      keys: n,
      'wasm set': wasmInsert,
      'sorted-btree bytes': bytesInsert,
      'sorted-btree latin1': stringInsert,
      'wasm / bytes': ratio(wasmInsert, bytesInsert),
      'wasm / latin1': ratio(wasmInsert, stringInsert),
    });

    const entries = sorted.map((i) => [keys[i], i]);
    const sortedKeys = sorted.map((i) => keys[i]);
    const sortedStrings = sorted.map((i) => strings[i]);
    const values = sorted;
    const wasmLoad = measure(
      n,
      (t) => core.bulkLoad(t, entries),
      () => core.treeNew(),
      (t) => core.treeFree(t),
    );
    const bytesLoad = measure(n, () => sortedBulkLoad(sortedKeys, values, SORTED_BTREE_NODE, compareBytes));
    const stringLoad = measure(n, () => sortedBulkLoad(sortedStrings, values, SORTED_BTREE_NODE, (a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    loads.push({
      keys: n,
      'wasm bulkLoad': wasmLoad,
      'sorted-btree bytes': bytesLoad,
      'sorted-btree latin1': stringLoad,
      'wasm / bytes': ratio(wasmLoad, bytesLoad),
      'wasm / latin1': ratio(wasmLoad, stringLoad),
    });
  }
  report('B+tree lookups, ops/s (wasm vs sorted-btree)', lookups);
  report('B+tree inserts in random order, ops/s', inserts);
  report('B+tree bulk load from sorted keys, keys/s', loads);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run((title, rows) => {
    console.log(`\n${title}`);
    console.table(rows);
  });
}
