import type { AttributeValue } from './types.js';

/**
 * Sets `map[name] = value` as an own, enumerable property even when the attribute is named
 * `__proto__`, which plain assignment would take as the object's prototype instead.
 *
 * @example
 * const item = {};
 * setMember(item, '__proto__', { S: 'x' }); // Object.keys(item) is ['__proto__']
 */
export function setMember(map: Record<string, AttributeValue>, name: string, value: AttributeValue): void {
  if (name === '__proto__') Object.defineProperty(map, name, { value, enumerable: true, writable: true, configurable: true });
  else map[name] = value;
}
