import { describe, expect, it } from 'vitest';
import {
  type AttributeValue,
  attributeValueSize,
  checkAttributeValueShape,
  cloneAttributeValue,
  toStoredValue,
  validateAttributeValue,
} from '../../src/model/index.js';
import { mulberry32 as random } from '../support/random.js';

const MEMBERS = ['S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'BS', 'L', 'M', 'X'];
const STRINGS = ['', 'a', '1', '-0', '1e126', '1.5E2', 'YQ==', 'abc', 'true', 'no', '00042', '1'.repeat(39), '€'];

function junk(next: () => number, depth: number): unknown {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const roll = next();
  if (depth > 6 || roll < 0.25) {
    return pick<unknown>([null, undefined, true, false, 0, 23, 34.56, -1, ...STRINGS, new Uint8Array([1, 2])]);
  }
  if (roll < 0.35) return Array.from({ length: Math.floor(next() * 4) }, () => junk(next, depth + 1));
  if (roll < 0.45) {
    const map: Record<string, unknown> = {};
    for (let i = Math.floor(next() * 3); i > 0; i--) map[pick(STRINGS)] = junk(next, depth + 1);
    return map;
  }
  // Mostly AttributeValue-like objects, so the checks get past the first member.
  const value: Record<string, unknown> = {};
  for (let i = next() < 0.8 ? 1 : 2; i > 0; i--) {
    const member = pick(MEMBERS);
    if (member === 'M') {
      const map: Record<string, unknown> = {};
      for (let j = Math.floor(next() * 3); j > 0; j--) map[pick(STRINGS)] = junk(next, depth + 1);
      value[member] = next() < 0.9 ? map : junk(next, depth + 1);
    } else if (member === 'L' || member.endsWith('S')) {
      value[member] = next() < 0.9 ? Array.from({ length: Math.floor(next() * 4) }, () => junk(next, depth + 1)) : junk(next, depth + 1);
    } else {
      value[member] = next() < 0.7 ? pick<unknown>(STRINGS) : junk(next, depth + 1);
    }
  }
  return value;
}

function isMessage(result: unknown): boolean {
  return result === undefined || (typeof result === 'string' && result.length > 0);
}

describe('fuzz', () => {
  it('the checks always answer with a message or undefined, and valid values survive the rest', () => {
    const next = random(20240611);
    let valid = 0;
    for (let i = 0; i < 20_000; i++) {
      const v = junk(next, 0);
      const shape = checkAttributeValueShape(v);
      expect(isMessage(shape)).toBe(true);
      expect(isMessage(checkAttributeValueShape(v, 'field'))).toBe(true);
      expect(isMessage(validateAttributeValue(v as AttributeValue))).toBe(true);
      if (shape !== undefined || v == null || validateAttributeValue(v as AttributeValue) !== undefined) continue;
      valid++;
      const stored = toStoredValue(v as AttributeValue);
      expect(validateAttributeValue(stored)).toBe(undefined);
      expect(toStoredValue(stored)).toEqual(stored);
      expect(cloneAttributeValue(stored)).toEqual(stored);
      expect(attributeValueSize(stored)).toBeGreaterThanOrEqual(0);
    }
    // The generator has to reach valid values often enough to exercise the write path.
    expect(valid).toBeGreaterThan(1000);
  });
});
