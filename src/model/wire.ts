/**
 * Outputs on their way to the wire. The protocol writes a response's JSON with `toWireJson`, which
 * matches JSON.stringify byte for byte but writes a stored item (a WireItem) straight from its
 * packed form: a 1 KB item cost ~4 us to unpack and stringify, most of the server's GetItem.
 */
import { type PackedItem, jsonString, packedItemJson, unpackItem } from './packed.js';
import type { Item } from './types.js';

/**
 * A stored item in an action's output when the caller is the wire protocol. Anything else that
 * serialises it (JSON.stringify) gets the plain Item through toJSON.
 */
export class WireItem {
  constructor(readonly packed: PackedItem) {}

  toJSON(): Item {
    return unpackItem(this.packed);
  }
}

/** A stored item as an action's output: a WireItem for the wire, else a fresh Item of its own. */
export function outputItem(packed: PackedItem, wire: boolean): Item {
  return wire ? (new WireItem(packed) as unknown as Item) : unpackItem(packed);
}

/**
 * JSON.stringify(value), for the plain data an action returns (objects, arrays, strings, numbers,
 * booleans, null) and WireItems. Anything else is left to JSON.stringify.
 */
export function toWireJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return jsonString(value);
    case 'object': {
      if (value === null) return 'null';
      if (value instanceof WireItem) return packedItemJson(value.packed, toWireJson);
      if (Array.isArray(value)) {
        let text = '[';
        for (let i = 0; i < value.length; i++) {
          const element = value[i];
          const json = element === undefined || typeof element === 'function' || typeof element === 'symbol' ? 'null' : toWireJson(element);
          text += (i === 0 ? '' : ',') + json;
        }
        return `${text}]`;
      }
      const prototype = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) return JSON.stringify(value);
      let text = '{';
      let first = true;
      for (const name of Object.keys(value)) {
        const member = (value as Record<string, unknown>)[name];
        if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
        text += `${first ? '' : ','}${jsonString(name)}:${toWireJson(member)}`;
        first = false;
      }
      return `${text}}`;
    }
    default:
      return JSON.stringify(value);
  }
}
