import { compareBytes } from '../support/random.js';
import type { SeekMode } from '../../src/core/wasm.js';

/** Sorted-array model of a tree: the reference the B+tree is checked against. */
export class Model {
  keys: Uint8Array[] = [];
  vals: number[] = [];

  lowerBound(k: Uint8Array): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareBytes(this.keys[mid], k) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  upperBound(k: Uint8Array): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareBytes(this.keys[mid], k) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  find(k: Uint8Array): number {
    const i = this.lowerBound(k);
    return i < this.keys.length && compareBytes(this.keys[i], k) === 0 ? i : -1;
  }

  get(k: Uint8Array): number {
    const i = this.find(k);
    return i < 0 ? -1 : this.vals[i];
  }

  set(k: Uint8Array, v: number): number {
    const i = this.lowerBound(k);
    if (i < this.keys.length && compareBytes(this.keys[i], k) === 0) {
      const old = this.vals[i];
      this.vals[i] = v;
      return old;
    }
    this.keys.splice(i, 0, k);
    this.vals.splice(i, 0, v);
    return -1;
  }

  delete(k: Uint8Array): number {
    const i = this.find(k);
    if (i < 0) return -1;
    const old = this.vals[i];
    this.keys.splice(i, 1);
    this.vals.splice(i, 1);
    return old;
  }

  floor(k: Uint8Array): number {
    const i = this.upperBound(k) - 1;
    return i < 0 ? -1 : this.vals[i];
  }
}

/**
 * The documented cursor contract, key-based: a cursor remembers the key it
 * is positioned at and every read resumes from that key (>= forward, <=
 * backward), which is what the tree does after any change.
 */
export class ModelCursor {
  saved: Uint8Array | undefined;
  forward: boolean;
  bound: { key: Uint8Array; inclusive: boolean } | undefined;

  constructor(private m: Model, mode: SeekMode, probe?: Uint8Array) {
    this.forward = mode === 'first' || mode === 'ge' || mode === 'gt';
    const n = m.keys.length;
    const i = {
      first: () => 0,
      last: () => n - 1,
      ge: () => m.lowerBound(probe!),
      gt: () => m.upperBound(probe!),
      le: () => m.upperBound(probe!) - 1,
      lt: () => m.lowerBound(probe!) - 1,
    }[mode]();
    this.saved = i >= 0 && i < n ? m.keys[i] : undefined;
  }

  private position(forward: boolean): number {
    const i = forward ? this.m.lowerBound(this.saved!) : this.m.upperBound(this.saved!) - 1;
    return i >= 0 && i < this.m.keys.length ? i : -1;
  }

  private inside(k: Uint8Array, forward: boolean): boolean {
    if (!this.bound) return true;
    const r = compareBytes(this.bound.key, k);
    return forward ? r > 0 || (this.bound.inclusive && r === 0) : r < 0 || (this.bound.inclusive && r === 0);
  }

  private settle(): void {
    if (this.saved === undefined) return;
    const i = this.position(this.forward);
    this.saved = i < 0 || !this.inside(this.m.keys[i], this.forward) ? undefined : this.m.keys[i];
  }

  setBound(key: Uint8Array, inclusive: boolean): void {
    this.bound = { key, inclusive };
    this.settle();
  }

  key(): Uint8Array | undefined {
    this.settle();
    return this.saved;
  }

  read(max: number, forward: boolean): number[] {
    const out: number[] = [];
    if (this.saved === undefined) return out;
    let i = this.position(forward);
    this.forward = forward;
    const n = this.m.keys.length;
    while (i >= 0 && out.length < max) {
      if (!this.inside(this.m.keys[i], forward)) {
        i = -1;
        break;
      }
      out.push(this.m.vals[i]);
      i += forward ? 1 : -1;
      if (i >= n) i = -1;
    }
    if (i >= 0 && !this.inside(this.m.keys[i], forward)) i = -1;
    this.saved = i >= 0 ? this.m.keys[i] : undefined;
    return out;
  }
}
