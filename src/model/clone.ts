import { setMember } from './member.js';
import type { AttributeValue, Binary, Item } from './types.js';

// On the read path (every GetItem result is a copy, so callers cannot reach stored values), hence
// hand-specialised: for-in over the single member with a switch measured about twice as fast as
// probing members with `in`, and twenty times structuredClone.

function cloneBinary(b: Binary): Binary {
  return typeof b === 'string' ? b : b.slice();
}

/**
 * A deep copy of a valid AttributeValue sharing nothing mutable with it. Strings are shared, being
 * immutable; lists, sets, maps and byte arrays are copied.
 *
 * @example
 * const copy = cloneAttributeValue(v);
 * copy.L.push({ S: 'x' }); // v is unchanged
 */
export function cloneAttributeValue(v: AttributeValue): AttributeValue {
  for (const type in v) {
    const u = v as unknown as Record<string, never>;
    switch (type) {
      case 'S':
        return { S: u.S };
      case 'N':
        return { N: u.N };
      case 'M':
        return { M: cloneItem(u.M) };
      case 'L': {
        const list: AttributeValue[] = u.L;
        const copy = new Array<AttributeValue>(list.length);
        for (let i = 0; i < list.length; i++) copy[i] = cloneAttributeValue(list[i]!);
        return { L: copy };
      }
      case 'BOOL':
        return { BOOL: u.BOOL };
      case 'NULL':
        return { NULL: true };
      case 'B':
        return { B: cloneBinary(u.B) };
      case 'SS':
        return { SS: (u.SS as string[]).slice() };
      case 'NS':
        return { NS: (u.NS as string[]).slice() };
      case 'BS':
        return { BS: (u.BS as Binary[]).map(cloneBinary) };
    }
  }
  // Only reached by a value validation would have refused.
  return { ...v };
}

/**
 * A deep copy of an item (or of a Map's contents).
 *
 * @example
 * const copy = cloneItem(item);
 * copy.pk = { S: 'other' }; // item.pk is unchanged
 */
export function cloneItem(item: Item): Item {
  const copy: Item = {};
  for (const name in item) setMember(copy, name, cloneAttributeValue(item[name]!));
  return copy;
}
