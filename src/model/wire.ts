/**
 * Outputs on their way to the wire. The protocol writes a response's JSON with `toWireJson`, which
 * matches JSON.stringify byte for byte but writes a stored item (a WireItem) straight from its
 * packed form: a 1 KB item cost ~4 us to unpack and stringify, most of the server's GetItem.
 */
import { type PackedItem, jsonName, jsonString, packedItemJson, unpackItem } from './packed.js';
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

/** Thrown by the strict writer at a value JSON would not carry exactly. */
const NOT_PLAIN = Symbol('not plain JSON data');

function json(value: unknown, strict: boolean): string {
  switch (typeof value) {
    case 'string':
      return jsonString(value);
    case 'number':
      if (strict && (!Number.isFinite(value) || Object.is(value, -0))) throw NOT_PLAIN;
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (value instanceof WireItem) return packedItemJson(value.packed, strict ? strictJson : toWireJson);
      if (Array.isArray(value)) {
        let text = '[';
        for (let i = 0; i < value.length; i++) {
          const element = value[i];
          let member: string;
          if (element === undefined || typeof element === 'function' || typeof element === 'symbol') {
            if (strict) throw NOT_PLAIN;
            member = 'null';
          } else member = json(element, strict);
          text += (i === 0 ? '' : ',') + member;
        }
        return `${text}]`;
      }
      const prototype = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) {
        if (strict) throw NOT_PLAIN;
        return JSON.stringify(value);
      }
      let text = '{';
      let first = true;
      for (const name of Object.keys(value)) {
        const member = (value as Record<string, unknown>)[name];
        if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
        text += `${first ? '' : ','}${jsonName(name)}:${json(member, strict)}`;
        first = false;
      }
      return `${text}}`;
    }
    default:
      if (strict) throw NOT_PLAIN;
      return JSON.stringify(value);
  }
}

const strictJson = (value: unknown) => json(value, true);

/**
 * JSON.stringify(value), for the plain data an action returns (objects, arrays, strings, numbers,
 * booleans, null) and WireItems. Anything else is left to JSON.stringify.
 */
export function toWireJson(value: unknown): string {
  return json(value, false);
}

/**
 * The JSON text of `value` if JSON.parse of it gives back exactly what a structured clone would
 * (plain objects and arrays, strings, finite numbers, booleans, null, WireItems as their Items;
 * members that are undefined are left out by both), else undefined: a Uint8Array, a Date, NaN, -0
 * or a hole in an array would come back changed.
 */
export function toPlainJson(value: unknown): string | undefined {
  const kind = plainness(value);
  if (kind === NOT_JSON) return undefined;
  // JSON.stringify is native: half the cost of json() on a GetItem call in Chromium.
  return kind === PLAIN ? JSON.stringify(value) : outputJson(value);
}

/** What toPlainJson makes of a value: none, JSON.stringify's text, or json()'s (WireItems, members that are functions). */
const NOT_JSON = 0;
const PLAIN = 1;
const WRITTEN = 2;

/** Which of NOT_JSON, PLAIN and WRITTEN `value` is, by the rules of the strict json(). */
function plainness(value: unknown): number {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return PLAIN;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0) ? PLAIN : NOT_JSON;
    case 'object': {
      if (value === null) return PLAIN;
      if (value instanceof WireItem) return WRITTEN;
      let kind = PLAIN;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const element = plainness(value[i]);
          if (element === NOT_JSON) return NOT_JSON;
          kind = Math.max(kind, element);
        }
        return kind;
      }
      const prototype = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) return NOT_JSON;
      // for-in sees only own members here (the prototype is Object's or none), and allocates no list of names.
      for (const name in value) {
        const member = (value as Record<string, unknown>)[name];
        if (member === undefined) continue;
        // json() leaves these out, where JSON.stringify would call a toJSON.
        if (typeof member === 'function' || typeof member === 'symbol') {
          kind = WRITTEN;
          continue;
        }
        const inner = plainness(member);
        if (inner === NOT_JSON) return NOT_JSON;
        kind = Math.max(kind, inner);
      }
      return kind;
    }
    default:
      return NOT_JSON;
  }
}

/**
 * toPlainJson for an action's output for the wire, which holds WireItems: one strict pass, with
 * no first look for values JSON would not carry (they are rare there, and json() meets them too).
 */
export function outputJson(value: unknown): string | undefined {
  try {
    return json(value, true);
  } catch (error) {
    if (error === NOT_PLAIN) return undefined;
    throw error;
  }
}

/** `value` with every WireItem in it replaced by its Item: for a structured clone. */
export function withItems(value: unknown): unknown {
  if (value instanceof WireItem) return unpackItem(value.packed);
  if (Array.isArray(value)) return value.map(withItems);
  if (value === null || typeof value !== 'object' || (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null)) return value;
  const copy: Record<string, unknown> = {};
  for (const name of Object.keys(value)) {
    Object.defineProperty(copy, name, { value: withItems((value as Record<string, unknown>)[name]), enumerable: true, writable: true, configurable: true });
  }
  return copy;
}
