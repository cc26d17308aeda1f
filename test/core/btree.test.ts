import { describe, expect, it, beforeAll } from 'vitest';
import { Core, NONE, type SeekMode } from '../../src/core/wasm.js';
import { Model, ModelCursor } from './model.js';
import { compareBytes, hex, mulberry32, randomInt } from '../support/random.js';

let core: Core;
beforeAll(async () => {
  core = await Core.load();
});

const MODES: SeekMode[] = ['ge', 'gt', 'le', 'lt', 'first', 'last'];

/**
 * Distinct keys of two shapes: table keys of a few partitions (equal 8-byte
 * hash prefixes, differing tails; partition values of several lengths, so
 * that keys first differ before, across and after the 24 inline bytes) and
 * short raw keys over a tiny alphabet (zero padding of the inline prefix:
 * "a" vs "a\0", the empty key).
 */
function keySpace(rng: () => number, n: number): Uint8Array[] {
  const seen = new Map<string, Uint8Array>();
  const partitions = Array.from({ length: 6 }, (_, i) => `p${i}`.padEnd(2 + 4 * i, '.'));
  while (seen.size < n) {
    let k: Uint8Array;
    if (rng() < 0.5) {
      const pk = partitions[randomInt(rng, 0, partitions.length - 1)];
      k = core.keyBytes(core.encodeKey(1, pk, 2, String(randomInt(rng, -5000, 5000) / 8)));
    } else {
      k = new Uint8Array(randomInt(rng, 0, 12));
      for (let i = 0; i < k.length; i++) k[i] = randomInt(rng, 0, 2) * 0x61 * Number(rng() < 0.9);
    }
    seen.set(hex(k), k);
  }
  return [...seen.values()];
}

function expectSameEntries(tree: number, m: Model): void {
  const got = [...core.entries(tree)];
  expect(got.length).toBe(m.keys.length);
  for (let i = 0; i < got.length; i++) {
    if (compareBytes(got[i][0], m.keys[i]) !== 0 || got[i][1] !== m.vals[i]) {
      expect.fail(`entry ${i}: ${hex(got[i][0])}=${got[i][1]}, model ${hex(m.keys[i])}=${m.vals[i]}`);
    }
  }
}

/** Runs one cursor through random bounds, reads and (optionally) tree changes, against the model. */
function cursorScenario(rng: () => number, tree: number, m: Model, pool: Uint8Array[], mutate: boolean): void {
  const mode = MODES[randomInt(rng, 0, MODES.length - 1)];
  const probe = pool[randomInt(rng, 0, pool.length - 1)];
  const c = core.cursorOpen(tree, mode, core.setKey(probe));
  const mc = new ModelCursor(m, mode, probe);
  if (rng() < 0.6) {
    const bound = pool[randomInt(rng, 0, pool.length - 1)];
    const inclusive = rng() < 0.5;
    core.cursorBound(c, core.setKey(bound), inclusive);
    mc.setBound(bound, inclusive);
  }
  let forward = mc.forward;
  for (let step = 0; step < 40; step++) {
    if (rng() < 0.1) forward = !forward;
    const want = mc.key();
    const gotKey = core.cursorKey(c);
    expect(gotKey && hex(gotKey)).toBe(want && hex(want));
    const max = randomInt(rng, 1, 50);
    const got = [...core.cursorRead(c, max, forward)];
    expect(got).toEqual(mc.read(max, forward));
    if (got.length === 0) break;
    if (mutate) {
      for (let j = randomInt(rng, 0, 20); j > 0; j--) {
        const k = pool[randomInt(rng, 0, pool.length - 1)];
        const len = core.setKey(k);
        if (rng() < 0.5) expect(core.treeDelete(tree, len)).toBe(m.delete(k));
        else {
          const v = randomInt(rng, 0, 1e6);
          expect(core.treeSet(tree, len, v)).toBe(m.set(k, v));
        }
      }
      expect(core.treeCheck(tree)).toBe(0);
    }
  }
  core.cursorClose(c);
}

function randomRun(seed: number, fanout: number, ops: number, poolSize: number, checkEvery: number): void {
  const rng = mulberry32(seed);
  const pool = keySpace(rng, poolSize);
  const tree = core.treeNew(fanout);
  const m = new Model();
  // Phases push the size up, then down to empty, then up again.
  let insertBias = 0.7;
  for (let op = 0; op < ops; op++) {
    if (op % 5000 === 0) insertBias = [0.75, 0.25, 0.6, 0.1][(op / 5000) % 4];
    const k = pool[randomInt(rng, 0, pool.length - 1)];
    const r = rng();
    let mutated = false;
    if (r < 0.5) {
      const len = core.setKey(k);
      if (rng() < insertBias) {
        const v = randomInt(rng, 0, 0x7ffffffe);
        expect(core.treeSet(tree, len, v)).toBe(m.set(k, v));
      } else {
        expect(core.treeDelete(tree, len)).toBe(m.delete(k));
      }
      mutated = true;
    } else if (r < 0.75) {
      const len = core.setKey(k);
      expect(core.treeGet(tree, len)).toBe(m.get(k));
      expect(core.treeFloor(tree, len)).toBe(m.floor(k));
    } else if (r < 0.97) {
      cursorScenario(rng, tree, m, pool, false);
    } else {
      cursorScenario(rng, tree, m, pool, true);
      mutated = true;
    }
    if (mutated && op % checkEvery === 0) {
      const code = core.treeCheck(tree);
      if (code !== 0) expect.fail(`treeCheck ${code} after op ${op}`);
    }
    expect(core.treeSize(tree)).toBe(m.keys.length);
  }
  expect(core.treeCheck(tree)).toBe(0);
  expectSameEntries(tree, m);
  core.treeFree(tree);
}

describe('B+tree against a sorted-array model', () => {
  // 110k random operations in all, plus cursor reads and the bulk-load runs below.
  it('fanout 4, checked after every mutation', () => randomRun(101, 4, 25_000, 1500, 1));
  it('fanout 5, checked after every mutation', () => randomRun(102, 5, 25_000, 1500, 1));
  it('fanout 16', () => randomRun(103, 16, 25_000, 4000, 50));
  it('fanout 64', () => randomRun(104, 64, 35_000, 12000, 200));

  it('handles keys up to 8 KiB sharing long prefixes', () => {
    const rng = mulberry32(7);
    const tree = core.treeNew(4);
    const m = new Model();
    for (let i = 0; i < 300; i++) {
      const k = new Uint8Array(randomInt(rng, 7990, 8192)).fill(0x41);
      k[k.length - 1 - randomInt(rng, 0, 3)] = randomInt(rng, 0, 255);
      const v = i;
      expect(core.treeSet(tree, core.setKey(k), v)).toBe(m.set(k, v));
      expect(core.treeCheck(tree)).toBe(0);
    }
    expectSameEntries(tree, m);
    for (const k of m.keys.slice()) {
      expect(core.treeDelete(tree, core.setKey(k))).toBe(m.delete(k));
      expect(core.treeCheck(tree)).toBe(0);
    }
    expect(core.treeSize(tree)).toBe(0);
    core.treeFree(tree);
  });

  it('grows memory under a large tree without breaking views', () => {
    const tree = core.treeNew();
    const keys: Uint8Array[] = [];
    for (let i = 0; i < 200_000; i++) {
      const len = core.encodeKey(1, `user-${i}`, 2, String(i));
      keys.push(core.keyBytes(len));
      core.treeSet(tree, len, i);
    }
    expect(core.treeCheck(tree)).toBe(0);
    const got = core.getMany(tree, keys);
    for (let i = 0; i < keys.length; i++) if (got[i] !== i) expect.fail(`getMany ${i} = ${got[i]}`);
    expect(core.getMany(tree, [new Uint8Array([1, 2, 3])])).toEqual(Int32Array.of(NONE));
    const c = core.cursorOpen(tree, 'first');
    expect(core.cursorRead(c, 300_000, true).length).toBe(200_000);
    expect(core.cursorKey(c)).toBeUndefined();
    core.cursorClose(c);
    core.treeFree(tree);
  });
});

describe('bulk load', () => {
  for (const fanout of [4, 5, 16, 64]) {
    it(`builds valid trees at fanout ${fanout}`, () => {
      const rng = mulberry32(200 + fanout);
      const pool = keySpace(rng, 6000);
      const sizes = [0, 1, fanout - 1, fanout, fanout + 1, 2 * fanout + 1, (fanout + 1) * fanout + 1, 5000];
      for (let round = 0; round < sizes.length + 4; round++) {
        const size = round < sizes.length ? sizes[round] : randomInt(rng, 0, 6000);
        const m = new Model();
        for (const k of pool.slice(0, size)) m.set(k, randomInt(rng, 0, 0x7ffffffe));
        const tree = core.treeNew(fanout);
        core.bulkLoad(tree, m.keys.map((k, i) => [k, m.vals[i]] as [Uint8Array, number]));
        expect(core.treeCheck(tree)).toBe(0);
        expect(core.treeSize(tree)).toBe(size);
        expectSameEntries(tree, m);
        // The loaded tree must behave like any other under later changes.
        for (let op = 0; op < 500; op++) {
          const k = pool[randomInt(rng, 0, pool.length - 1)];
          const len = core.setKey(k);
          if (rng() < 0.5) expect(core.treeDelete(tree, len)).toBe(m.delete(k));
          else expect(core.treeSet(tree, len, op)).toBe(m.set(k, op));
          if (fanout < 16 || op % 50 === 0) expect(core.treeCheck(tree)).toBe(0);
          if (op % 100 === 0) cursorScenario(rng, tree, m, pool, false);
        }
        expectSameEntries(tree, m);
        core.treeFree(tree);
      }
    });
  }

  it('rejects unsorted, duplicate and non-empty input and leaves the tree empty', () => {
    const tree = core.treeNew(4);
    const k = (s: string) => new TextEncoder().encode(s);
    const many = Array.from({ length: 20_000 }, (_, i) => [k(`key${String(i).padStart(6, '0')}`), i] as [Uint8Array, number]);
    // The disorder sits past the first 64 KiB batch, so part of the tree was already built.
    const unsorted = [...many];
    unsorted[15_000] = many[14_000];
    expect(() => core.bulkLoad(tree, unsorted)).toThrow('strictly increasing');
    expect(core.treeSize(tree)).toBe(0);
    expect(core.treeCheck(tree)).toBe(0);
    expect(() => core.bulkLoad(tree, [[k('a'), 1], [k('a'), 2]])).toThrow('strictly increasing');
    expect(() => core.bulkLoad(tree, [[k('a'), -5]])).toThrow(RangeError);
    expect(core.treeSize(tree)).toBe(0);
    core.bulkLoad(tree, many);
    expect(core.treeCheck(tree)).toBe(0);
    expect(() => core.bulkLoad(tree, [[k('z'), 1]])).toThrow('empty tree');
    expect(core.treeSize(tree)).toBe(20_000);
    core.treeFree(tree);
  });
});

describe('checkValid', () => {
  // Kinds of tree_corrupt and the invariant each must trip.
  const cases: Array<[number, string, number]> = [
    [1, 'keys out of order', 2],
    [2, 'a broken back link', 6],
    [3, 'a wrong count', 7],
    [4, 'a stale inline prefix', 3],
    [5, 'an underfull leaf', 1],
  ];
  for (const [kind, what, code] of cases) {
    it(`reports ${what}`, () => {
      const tree = core.treeNew(4);
      for (let i = 0; i < 200; i++) core.treeSet(tree, core.encodeKey(1, 'pk', 2, String(i)), i);
      expect(core.treeCheck(tree)).toBe(0);
      expect(core.treeCorrupt(tree, kind)).toBe(true);
      expect(core.treeCheck(tree)).toBe(code);
    });
  }
});

describe('Core API', () => {
  it('runs the module example', () => {
    const tree = core.treeNew();
    const len = core.encodeKey(1, 'user#1', 2, '42');
    expect(core.treeSet(tree, len, 7)).toBe(NONE);
    expect(core.treeGet(tree, len)).toBe(7);
    core.treeFree(tree);
  });

  it('shares one instance per process', async () => {
    expect(await Core.load()).toBe(core);
  });

  it('validates fanout, values and cursor arguments', () => {
    expect(() => core.treeNew(3)).toThrow(RangeError);
    expect(() => core.treeNew(2000)).toThrow(RangeError);
    const tree = core.treeNew(4);
    const len = core.setKey(new Uint8Array([1]));
    expect(() => core.treeSet(tree, len, -1)).toThrow(RangeError);
    expect(() => core.treeSet(tree, len, 2 ** 31 - 1)).toThrow(RangeError);
    expect(core.treeSet(tree, len, 2 ** 31 - 2)).toBe(NONE);
    expect(core.treeGet(tree, len)).toBe(2 ** 31 - 2);
    expect(() => core.cursorOpen(tree, 'ge')).toThrow(TypeError);
    core.treeFree(tree);
  });

  it('traps on a freed tree handle', () => {
    const tree = core.treeNew(4);
    core.treeFree(tree);
    expect(() => core.treeSize(tree)).toThrow(WebAssembly.RuntimeError);
  });

  it('reads a Query-style range backwards with an inclusive bound', () => {
    const tree = core.treeNew(4);
    for (let i = 0; i < 100; i++) core.treeSet(tree, core.encodeKey(1, 'pk', 2, String(i)), i);
    core.treeSet(tree, core.encodeKey(1, 'other', 2, '5'), 1000);
    // sk BETWEEN 10 AND 20, ScanIndexForward = false
    const c = core.cursorOpen(tree, 'le', core.encodeKey(1, 'pk', 2, '20'));
    core.cursorBound(c, core.encodeKey(1, 'pk', 2, '10'), true);
    expect([...core.cursorRead(c, 5, false)]).toEqual([20, 19, 18, 17, 16]);
    expect(core.cursorKey(c)).toEqual(core.keyBytes(core.encodeKey(1, 'pk', 2, '15')));
    expect([...core.cursorRead(c, 100, false)]).toEqual([15, 14, 13, 12, 11, 10]);
    expect(core.cursorKey(c)).toBeUndefined();
    core.cursorClose(c);
    // Whole partition via the prefix: everything >= prefix while the prefix matches.
    const p = core.cursorOpen(tree, 'ge', core.encodeKeyPrefix(1, 'pk'));
    expect(core.cursorRead(p, 1000, true).length).toBeGreaterThanOrEqual(100);
    core.cursorClose(p);
    core.treeFree(tree);
  });
});
