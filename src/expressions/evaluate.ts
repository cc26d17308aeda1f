/**
 * Evaluation of a resolved ConditionExpression / FilterExpression / KeyConditionExpression against an
 * item. Runs once per item read by Scan and Query filters, so it allocates nothing on the common
 * paths (a path lookup and a scalar comparison).
 *
 * The rules for operands that do not resolve (a missing attribute, a missing item, a path through the
 * wrong type) are DynamoDB's, from alternator's test suite (checked against DynamoDB), ExtendDB's
 * fixes verified against DynamoDB, and the conformance suite (putItem/conditions.test.ts):
 *   - `<>` is true when either operand is absent (even both); every other comparison is false;
 *   - BETWEEN and IN are false for an absent operand;
 *   - functions over an absent attribute are false, except attribute_not_exists.
 */
import type { Condition, Operand, Path } from './ast.js';
import { type AttributeValue, type Binary, type Item, type PackedItem, base64ToBytes, readAttribute } from '../model/index.js';
import { setMember } from '../model/member.js';
import { base64Of, compareValues, valuesEqual } from './compare.js';

type Members = Partial<Record<string, unknown>>;

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * The value at a document path, or undefined when any step is missing: a name absent from its map,
 * an index past the end of its list, or a step into a value of the other kind (`a.b` where a is a
 * list, `a[0]` where a is a map, either where a is a scalar).
 *
 * @example
 * resolvePath({ a: { L: [{ M: { b: { S: 'x' } } }] } }, ['a', 0, 'b']); // { S: 'x' }
 */
export function resolvePath(item: Item | PackedItem | undefined, path: Path): AttributeValue | undefined {
  if (item === undefined) return undefined;
  const name = path[0] as string;
  let value: AttributeValue | undefined;
  // A table's packed item (Scan and Query filters) is read in place, without unpacking it.
  if (isPacked(item)) {
    value = readAttribute(item, name);
    if (value === undefined) return undefined;
  } else {
    // Own properties only: "constructor" or "__proto__" must not find Object.prototype's members.
    value = item[name];
    if (value === undefined || !hasOwn.call(item, name)) return undefined;
  }
  for (let i = 1; i < path.length; i++) {
    const step = path[i]!;
    const v = value as Members;
    if (typeof step === 'number') {
      const list = v.L as AttributeValue[] | undefined;
      if (list === undefined || step >= list.length) return undefined;
      value = list[step];
    } else {
      const map = v.M as Record<string, AttributeValue> | undefined;
      if (map === undefined || !hasOwn.call(map, step)) return undefined;
      value = map[step];
    }
    if (value === undefined) return undefined;
  }
  return value;
}


function isPacked(item: Item | PackedItem): item is PackedItem {
  return Array.isArray(item);
}

function binaryLength(b: Binary): number {
  if (typeof b !== 'string') return b.length;
  let n = b.length;
  if (n > 0 && b.charCodeAt(n - 1) === 61) n--;
  if (n > 0 && b.charCodeAt(n - 1) === 61) n--;
  return (n * 6) >> 3;
}

/**
 * size(): characters of a string counted in UTF-16 units (ExtendDB, verified against DynamoDB:
 * size("é𝄞") = 3; dynalite's test "abÿ" = 3), bytes of a binary, elements of a set or list, entries
 * of a map. Numbers, booleans and NULL have no size: the comparison fails (alternator).
 */
function sizeOf(value: AttributeValue | undefined): number | undefined {
  if (value === undefined) return undefined;
  const v = value as Members;
  if (v.S !== undefined) return (v.S as string).length;
  if (v.B !== undefined) return binaryLength(v.B as Binary);
  if (v.L !== undefined) return (v.L as unknown[]).length;
  if (v.M !== undefined) {
    let n = 0;
    for (const key in v.M as object) if (hasOwn.call(v.M, key)) n++;
    return n;
  }
  if (v.SS !== undefined) return (v.SS as unknown[]).length;
  if (v.NS !== undefined) return (v.NS as unknown[]).length;
  if (v.BS !== undefined) return (v.BS as unknown[]).length;
  return undefined;
}

function operandValue(operand: Operand, item: Item | PackedItem | undefined): AttributeValue | undefined {
  switch (operand.kind) {
    case 'path':
      return resolvePath(item, operand.path);
    case 'value':
      return operand.value;
    case 'size': {
      const size = sizeOf(resolvePath(item, operand.path));
      return size === undefined ? undefined : { N: String(size) };
    }
    default:
      // if_not_exists, list_append and arithmetic belong to UpdateExpression SET only.
      return undefined;
  }
}

function bytesOf(b: Binary): Uint8Array {
  return typeof b === 'string' ? base64ToBytes(b) : b;
}

function bytesIndexOf(haystack: Uint8Array, needle: Uint8Array, onlyAtStart: boolean): boolean {
  const last = onlyAtStart ? 0 : haystack.length - needle.length;
  outer: for (let start = 0; start <= last; start++) {
    for (let j = 0; j < needle.length; j++) if (haystack[start + j] !== needle[j]) continue outer;
    return true;
  }
  return needle.length === 0;
}

/**
 * contains(a, v): a substring of a string, a byte run of a binary, an element of a set of v's type,
 * or an element of a list equal to v (any type: alternator checks a list holding a set and a list).
 */
function contains(container: AttributeValue, operand: AttributeValue): boolean {
  const c = container as Members;
  const o = operand as Members;
  if (c.S !== undefined) return o.S !== undefined && (c.S as string).includes(o.S as string);
  if (c.L !== undefined) {
    const list = c.L as AttributeValue[];
    for (let i = 0; i < list.length; i++) if (valuesEqual(list[i]!, operand)) return true;
    return false;
  }
  if (c.SS !== undefined) return o.S !== undefined && (c.SS as string[]).includes(o.S as string);
  if (c.NS !== undefined) {
    if (o.N === undefined) return false;
    for (const n of c.NS as string[]) if (valuesEqual({ N: n }, operand)) return true;
    return false;
  }
  if (c.BS !== undefined) {
    if (o.B === undefined) return false;
    const text = base64Of(o.B as Binary);
    for (const b of c.BS as Binary[]) if (base64Of(b) === text) return true;
    return false;
  }
  if (c.B !== undefined) {
    return o.B !== undefined && bytesIndexOf(bytesOf(c.B as Binary), bytesOf(o.B as Binary), false);
  }
  return false;
}

/** begins_with(a, p): a string prefix of a string, or a byte prefix of a binary; false otherwise. */
function beginsWith(value: AttributeValue, prefix: AttributeValue): boolean {
  const v = value as Members;
  const p = prefix as Members;
  if (v.S !== undefined) return p.S !== undefined && (v.S as string).startsWith(p.S as string);
  if (v.B !== undefined && p.B !== undefined) {
    return bytesIndexOf(bytesOf(v.B as Binary), bytesOf(p.B as Binary), true);
  }
  return false;
}

const TYPE_NAMES = ['S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'BS', 'L', 'M'] as const;

function typeName(value: AttributeValue): string | undefined {
  const v = value as Members;
  for (const type of TYPE_NAMES) if (v[type] !== undefined) return type;
  return undefined;
}

/**
 * Whether an item satisfies a condition. An absent item (PutItem or UpdateItem on a new key) has no
 * attributes: `attribute_not_exists(pk)` holds, `attribute_exists(pk)` and `pk = :v` do not.
 *
 * @example
 * evaluateCondition(
 *   { kind: 'compare', op: '>', left: { kind: 'path', path: ['n'] }, right: { kind: 'value', value: { N: '3' } } },
 *   { n: { N: '5' } },
 * ); // true
 */
export function evaluateCondition(condition: Condition, item: Item | PackedItem | undefined): boolean {
  switch (condition.kind) {
    case 'and':
      return evaluateCondition(condition.left, item) && evaluateCondition(condition.right, item);
    case 'or':
      return evaluateCondition(condition.left, item) || evaluateCondition(condition.right, item);
    case 'not':
      return !evaluateCondition(condition.condition, item);
    case 'compare': {
      const left = operandValue(condition.left, item);
      const right = operandValue(condition.right, item);
      const op = condition.op;
      if (left === undefined || right === undefined) return op === '<>';
      if (op === '=') return valuesEqual(left, right);
      if (op === '<>') return !valuesEqual(left, right);
      const order = compareValues(left, right);
      if (order === undefined) return false;
      switch (op) {
        case '<':
          return order < 0;
        case '<=':
          return order <= 0;
        case '>':
          return order > 0;
        default:
          return order >= 0;
      }
    }
    case 'between': {
      const value = operandValue(condition.operand, item);
      if (value === undefined) return false;
      const low = operandValue(condition.low, item);
      const high = operandValue(condition.high, item);
      if (low === undefined || high === undefined) return false;
      const above = compareValues(value, low);
      if (above === undefined || above < 0) return false;
      const below = compareValues(value, high);
      return below !== undefined && below <= 0;
    }
    case 'in': {
      // Candidates may differ in type (alternator, against DynamoDB: `a IN (:s, :n)` matches a number a).
      const value = operandValue(condition.operand, item);
      if (value === undefined) return false;
      const list = condition.list;
      for (let i = 0; i < list.length; i++) {
        const candidate = operandValue(list[i]!, item);
        if (candidate !== undefined && valuesEqual(value, candidate)) return true;
      }
      return false;
    }
    case 'attribute_exists':
      return resolvePath(item, condition.path) !== undefined;
    case 'attribute_not_exists':
      return resolvePath(item, condition.path) === undefined;
    case 'attribute_type': {
      const value = resolvePath(item, condition.path);
      const type = operandValue(condition.type, item) as Members | undefined;
      return value !== undefined && type?.S !== undefined && typeName(value) === type.S;
    }
    case 'begins_with': {
      const value = operandValue(condition.operand, item);
      const prefix = operandValue(condition.prefix, item);
      return value !== undefined && prefix !== undefined && beginsWith(value, prefix);
    }
    case 'contains': {
      const container = operandValue(condition.operand, item);
      const operand = operandValue(condition.value, item);
      return container !== undefined && operand !== undefined && contains(container, operand);
    }
  }
}
