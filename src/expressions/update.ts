/**
 * Application of a resolved UpdateExpression to an item: the new item, or the ValidationException
 * message DynamoDB gives at run time (after parsing and binding passed, once the item is known).
 *
 * DynamoDB's model, as dynalite's tests against the service and the conformance suite show it:
 *   - every SET value is computed from the item as it was before the update (`SET a = b, b = a`
 *     swaps; dynalite's "should update nested attributes");
 *   - every document path, list indexes included, names a place in the item as it was: `REMOVE l[1],
 *     l[2]` removes the original second and third elements (moto #5748, checked against DynamoDB);
 *     SET on an index past the end appends, several such in index order (Developer Guide, "Update
 *     expressions": "the elements are sorted in order by element number"; dynalite's test puts
 *     `c[2], c[4]` from SET and `c[6], c[8]` from ADD at the end in that order);
 *   - the parent of every path must exist and be a map (for a name) or a list (for an index).
 * Lists are therefore edited in place with holes (appends past the end) and tombstones (removed
 * elements) and compacted once at the end, so no action shifts the indexes another one sees.
 *
 * Overlapping or conflicting paths (`a` and `a.b`, `a.b` and `a[0]`) are refused when the expression
 * is bound; here they only have to leave a well-formed item.
 */
import type { Operand, Path, Update } from './ast.js';
import {
  type AttributeValue,
  type Binary,
  type Item,
  addNumbers,
  cloneAttributeValue,
  cloneItem,
  normaliseNumber,
  subtractNumbers,
  toStoredItem,
  toStoredValue,
  validateAttributeValue,
} from '../model/index.js';
import { base64Of } from './compare.js';
import { setMember } from '../model/member.js';
import { resolvePath } from './evaluate.js';

/** A path operand of SET names nothing in the item (dynalite: 'set c = b', 'set e = list_append(b, c)'). */
export const MISSING_ATTRIBUTE = 'The provided expression refers to an attribute that does not exist in the item';
/** `+`/`-` on a non-number, list_append on a non-list, ADD/DELETE against a value of another type (dynalite). */
export const INCORRECT_OPERAND_TYPE = 'An operand in the update expression has an incorrect data type';
/** The parent of a path is missing or of the wrong kind (dynalite: 'set b.a = :a' with no map b). */
export const INVALID_DOCUMENT_PATH = 'The document path provided in the update expression is invalid for update';

/** The new item and the paths written, or the message for the ValidationException. */
export type UpdateResult = { item: Item; updated: Path[]; message?: undefined } | { message: string };

type Members = Partial<Record<string, unknown>>;

const hasOwn = Object.prototype.hasOwnProperty;

/** Marks a list element removed until the list is compacted; never left in a result. */
const REMOVED = Object.freeze({}) as AttributeValue;

class Failure {
  constructor(readonly message: string) {}
}

function evaluate(operand: Operand, before: Item): AttributeValue | Failure {
  switch (operand.kind) {
    case 'value':
      return toStoredValue(operand.value);
    case 'path': {
      const value = resolvePath(before, operand.path);
      return value === undefined ? new Failure(MISSING_ATTRIBUTE) : cloneAttributeValue(value);
    }
    case 'if_not_exists': {
      const value = resolvePath(before, operand.path);
      return value === undefined ? evaluate(operand.operand, before) : cloneAttributeValue(value);
    }
    case 'list_append': {
      // Each operand is computed and checked before the next (dynalite's resolveValue).
      const left = evaluate(operand.left, before);
      if (left instanceof Failure) return left;
      if ((left as Members).L === undefined) return new Failure(INCORRECT_OPERAND_TYPE);
      const right = evaluate(operand.right, before);
      if (right instanceof Failure) return right;
      if ((right as Members).L === undefined) return new Failure(INCORRECT_OPERAND_TYPE);
      return { L: [...(left as { L: AttributeValue[] }).L, ...(right as { L: AttributeValue[] }).L] };
    }
    case '+':
    case '-': {
      const left = evaluate(operand.left, before);
      if (left instanceof Failure) return left;
      if ((left as Members).N === undefined) return new Failure(INCORRECT_OPERAND_TYPE);
      const right = evaluate(operand.right, before);
      if (right instanceof Failure) return right;
      if ((right as Members).N === undefined) return new Failure(INCORRECT_OPERAND_TYPE);
      const a = (left as { N: string }).N;
      const b = (right as { N: string }).N;
      const result = operand.kind === '+' ? addNumbers(a, b) : subtractNumbers(a, b);
      return result.error !== undefined ? new Failure(result.error) : { N: result.value };
    }
    case 'size':
      // size() is a condition function; binding refuses it in SET.
      return new Failure(INCORRECT_OPERAND_TYPE);
  }
}

/** Where a path's last step lives in the item being built: a map and a name, or a list and an index. */
type Slot = { map: Record<string, AttributeValue>; name: string } | { list: AttributeValue[]; index: number };

function present(value: AttributeValue | undefined): value is AttributeValue {
  return value !== undefined && value !== REMOVED;
}

/** The slot a path names, or undefined when its parent is missing or of the wrong kind. */
function slotOf(item: Item, path: Path): Slot | undefined {
  let map: Record<string, AttributeValue> | undefined = item;
  let list: AttributeValue[] | undefined;
  for (let i = 0; i < path.length - 1; i++) {
    const step = path[i]!;
    let value: AttributeValue | undefined;
    if (typeof step === 'number') value = list !== undefined && step < list.length ? list[step] : undefined;
    else value = map !== undefined && hasOwn.call(map, step) ? map[step] : undefined;
    if (!present(value)) return undefined;
    map = (value as Members).M as Record<string, AttributeValue> | undefined;
    list = (value as Members).L as AttributeValue[] | undefined;
  }
  const last = path[path.length - 1]!;
  if (typeof last === 'number') return list === undefined ? undefined : { list, index: last };
  return map === undefined ? undefined : { map, name: last };
}

function read(slot: Slot): AttributeValue | undefined {
  let value: AttributeValue | undefined;
  if ('map' in slot) value = hasOwn.call(slot.map, slot.name) ? slot.map[slot.name] : undefined;
  else value = slot.index < slot.list.length ? slot.list[slot.index] : undefined;
  return present(value) ? value : undefined;
}

/** Lists written past their end or with elements removed, to compact once all actions are done. */
type Edited = Set<AttributeValue[]>;

function write(slot: Slot, value: AttributeValue, edited: Edited): void {
  if ('map' in slot) {
    setMember(slot.map, slot.name, value);
  } else {
    // Past the end: the element waits at its own index (a hole before it) and moves down on compaction.
    if (slot.index > slot.list.length) edited.add(slot.list);
    slot.list[slot.index] = value;
  }
}

function erase(slot: Slot, edited: Edited): void {
  if ('map' in slot) {
    delete slot.map[slot.name];
  } else if (slot.index < slot.list.length) {
    slot.list[slot.index] = REMOVED;
    edited.add(slot.list);
  }
}

function compact(list: AttributeValue[]): void {
  let j = 0;
  for (let i = 0; i < list.length; i++) {
    const element = list[i];
    if (present(element)) list[j++] = element;
  }
  list.length = j;
}

type SetType = 'SS' | 'NS' | 'BS';

function setTypeOf(value: AttributeValue): SetType | undefined {
  const v = value as Members;
  return v.SS !== undefined ? 'SS' : v.NS !== undefined ? 'NS' : v.BS !== undefined ? 'BS' : undefined;
}

/** Set elements as comparable text: strings as they are, numbers normalised, binaries as base64. */
function elementKeys(type: SetType, elements: readonly (string | Binary)[]): string[] {
  if (type === 'SS') return elements as string[];
  if (type === 'NS') return (elements as string[]).map(normaliseNumber);
  return (elements as Binary[]).map(base64Of);
}

function elementsOf(value: AttributeValue, type: SetType): (string | Binary)[] {
  return (value as Record<SetType, (string | Binary)[]>)[type];
}

function union(type: SetType, existing: AttributeValue, added: AttributeValue): AttributeValue {
  // Both are stored form here (existing from the item, added through toStoredValue).
  const elements = elementKeys(type, elementsOf(existing, type)).slice();
  const seen = new Set(elements);
  for (const key of elementKeys(type, elementsOf(added, type))) {
    if (!seen.has(key)) {
      seen.add(key);
      elements.push(key);
    }
  }
  return { [type]: elements } as AttributeValue;
}

function difference(type: SetType, existing: AttributeValue, removed: AttributeValue): string[] {
  const gone = new Set(elementKeys(type, elementsOf(removed, type)));
  return elementKeys(type, elementsOf(existing, type)).filter((key) => !gone.has(key));
}

function add(item: Item, path: Path, operand: Operand, edited: Edited): string | undefined {
  const slot = slotOf(item, path);
  if (slot === undefined) return INVALID_DOCUMENT_PATH;
  if (operand.kind !== 'value') return INCORRECT_OPERAND_TYPE;
  const value = toStoredValue(operand.value);
  const existing = read(slot);
  const v = value as Members;
  if (v.N !== undefined) {
    if (existing === undefined) {
      write(slot, value, edited);
      return undefined;
    }
    const n = (existing as Members).N as string | undefined;
    if (n === undefined) return INCORRECT_OPERAND_TYPE;
    const sum = addNumbers(n, v.N as string);
    if (sum.error !== undefined) return sum.error;
    write(slot, { N: sum.value }, edited);
    return undefined;
  }
  const type = setTypeOf(value);
  if (type === undefined) return INCORRECT_OPERAND_TYPE;
  if (existing === undefined) {
    write(slot, value, edited);
    return undefined;
  }
  if (setTypeOf(existing) !== type) return INCORRECT_OPERAND_TYPE;
  write(slot, union(type, existing, value), edited);
  return undefined;
}

function remove(item: Item, path: Path, operand: Operand, edited: Edited): string | undefined {
  const slot = slotOf(item, path);
  if (slot === undefined) return INVALID_DOCUMENT_PATH;
  if (operand.kind !== 'value') return INCORRECT_OPERAND_TYPE;
  const value = operand.value;
  const type = setTypeOf(value);
  if (type === undefined) return INCORRECT_OPERAND_TYPE;
  const existing = read(slot);
  // Deleting from nothing is no change (dynalite; the conformance suite's REMOVE of a missing path).
  if (existing === undefined) return undefined;
  if (setTypeOf(existing) !== type) return INCORRECT_OPERAND_TYPE;
  const rest = difference(type, existing, value);
  // A set cannot be empty: taking its last element removes the attribute (conformance suite).
  if (rest.length === 0) erase(slot, edited);
  else write(slot, { [type]: rest } as AttributeValue, edited);
  return undefined;
}

/**
 * Applies an UpdateExpression to an item (undefined: the item does not exist yet, and the update
 * starts from its key). Never changes `item` unless the caller passes `owned` (it holds a private
 * copy it will not read again, which is then updated in place); the result is an item in stored form (numbers
 * normalised, binaries as base64) sharing nothing mutable with the item, the key or the expression.
 * `updated` lists every path the expression names, SET, REMOVE, ADD then DELETE, for ReturnValues
 * UPDATED_OLD and UPDATED_NEW (a projection of those paths from the old or the new item).
 *
 * Clauses apply SET, REMOVE, ADD, DELETE; with non-overlapping paths the order changes nothing but
 * which error is reported first when several actions fail.
 *
 * @example
 * applyUpdate(
 *   { pk: { S: 'a' }, n: { N: '1' } },
 *   { set: [{ path: ['n'], value: { kind: '+', left: { kind: 'path', path: ['n'] }, right: { kind: 'value', value: { N: '2' } } } }], remove: [], add: [], delete: [] },
 *   { pk: { S: 'a' } },
 * ); // { item: { pk: { S: 'a' }, n: { N: '3' } }, updated: [['n']] }
 */
export function applyUpdate(item: Item | undefined, update: Update, key: Item, owned = false): UpdateResult {
  const before = item ?? toStoredItem(key);

  const values: AttributeValue[] = [];
  for (const action of update.set) {
    const value = evaluate(action.value, before);
    if (value instanceof Failure) return { message: value.message };
    values.push(value);
  }

  // An item the caller owns (a fresh copy it will not read again) is updated in place; a new item
  // built from the key is always fresh.
  const after = owned || item === undefined ? before : cloneItem(before);
  const edited: Edited = new Set();
  for (let i = 0; i < update.set.length; i++) {
    const slot = slotOf(after, update.set[i]!.path);
    if (slot === undefined) return { message: INVALID_DOCUMENT_PATH };
    write(slot, values[i]!, edited);
  }
  for (const path of update.remove) {
    const slot = slotOf(after, path);
    if (slot === undefined) return { message: INVALID_DOCUMENT_PATH };
    erase(slot, edited);
  }
  for (const action of update.add) {
    const message = add(after, action.path, action.value, edited);
    if (message !== undefined) return { message };
  }
  for (const action of update.delete) {
    const message = remove(after, action.path, action.value, edited);
    if (message !== undefined) return { message };
  }
  for (const list of edited) compact(list);

  // A SET deep inside a document can push it past the 32 levels any item may have.
  const touched = new Set<string>();
  for (const action of update.set) if (action.path.length > 1) touched.add(action.path[0] as string);
  for (const action of update.add) if (action.path.length > 1) touched.add(action.path[0] as string);
  for (const name of touched) {
    const value = after[name];
    const message = value === undefined ? undefined : validateAttributeValue(value);
    if (message !== undefined) return { message };
  }

  const updated: Path[] = [];
  for (const action of update.set) updated.push(action.path);
  for (const path of update.remove) updated.push(path);
  for (const action of update.add) updated.push(action.path);
  for (const action of update.delete) updated.push(action.path);
  return { item: after, updated };
}
