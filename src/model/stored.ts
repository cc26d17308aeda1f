import { setMember } from './member.js';
import { bytesToBase64 } from './base64.js';
import { normaliseNumber } from './number.js';
import { booleanOf } from './shape.js';
import type { AttributeValue, Binary, Item } from './types.js';

// Stored binaries are base64 text, as the service returns them on the wire, whichever form came in.
function storedBinary(b: Binary): string {
  return typeof b === 'string' ? b : bytesToBase64(b);
}

/**
 * The value DynamoDB stores for a valid AttributeValue, as a fresh copy: numbers normalised (what
 * every later read returns), strings read as booleans made booleans, unknown and null members
 * dropped, binaries given as bytes turned into base64 text.
 *
 * @example
 * toStoredValue({ NS: ['1.50', '+2'] }); // { NS: ['1.5', '2'] }
 */
export function toStoredValue(v: AttributeValue): AttributeValue {
  const members = v as unknown as Record<string, never>;
  for (const type in members) {
    const member = members[type];
    if (member == null) continue;
    switch (type) {
      case 'S':
        return { S: member };
      case 'N':
        return { N: normaliseNumber(member) };
      case 'M':
        return { M: toStoredItem(member) };
      case 'L':
        return { L: (member as AttributeValue[]).map(toStoredValue) };
      case 'BOOL':
        return { BOOL: booleanOf(member) };
      case 'NULL':
        return { NULL: true };
      case 'B':
        return { B: storedBinary(member) };
      case 'SS':
        return { SS: (member as string[]).slice() };
      case 'NS':
        return { NS: (member as string[]).map(normaliseNumber) };
      case 'BS':
        return { BS: (member as Binary[]).map(storedBinary) };
    }
  }
  // Only reached by a value validation would have refused.
  return { ...v };
}

/**
 * {@link toStoredValue} over every attribute of an item, for storing it.
 *
 * @example
 * toStoredItem({ pk: { S: 'a' }, n: { N: '00042' } }); // { pk: { S: 'a' }, n: { N: '42' } }
 */
export function toStoredItem(item: Item): Item {
  const copy: Item = {};
  for (const name in item) setMember(copy, name, toStoredValue(item[name]!));
  return copy;
}
