/**
 * Stage two of the expression front end: the request-level entry the actions call. It checks
 * ExpressionAttributeNames/Values, parses each expression (cached, parser.ts), binds the
 * placeholders into the resolved AST (ast.ts) and runs the checks that need the bound values, in
 * DynamoDB's order (dynalite's validateExpressionParams and validateExpressions).
 */
import type { AttributeValue } from '../model/index.js';
import { bytesToBase64, validateAttributeValue } from '../model/index.js';
import type { Condition, Operand, Path, PathElement, Projection, Update } from './ast.js';
import { compareValues } from './compare.js';
import * as m from './messages.js';
import { parse, type ExpressionKind, type Node, type ParsedCondition, type ParsedProjection, type ParsedUpdate } from './parser.js';

export type { ExpressionKind } from './parser.js';

export interface ExpressionRequest {
  UpdateExpression?: string;
  ConditionExpression?: string;
  KeyConditionExpression?: string;
  FilterExpression?: string;
  ProjectionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
}

/** The resolved expressions of one request; value operands share the request's value objects. */
export interface Compiled {
  update?: Update;
  condition?: Condition;
  keyCondition?: Condition;
  filter?: Condition;
  projection?: Projection;
}

/** DynamoDB parses the expressions of a request in this order, whatever the action. */
const PARSE_ORDER: readonly ExpressionKind[] = [
  'UpdateExpression',
  'ConditionExpression',
  'KeyConditionExpression',
  'FilterExpression',
  'ProjectionExpression',
];
const NAME_KEY = /^#[0-9a-zA-Z_]+$/;
const VALUE_KEY = /^:[0-9a-zA-Z_]+$/;

/**
 * Validates and resolves the expressions of one request.
 *
 * `kinds`: the expression parameters the action accepts, in the order DynamoDB names them in the
 * "ExpressionAttributeValues can only be specified when using expressions: ..." message (dynalite's
 * per-action order: GetItem ['ProjectionExpression'], PutItem/DeleteItem ['ConditionExpression'],
 * UpdateItem ['UpdateExpression', 'ConditionExpression'], Query ['ProjectionExpression',
 * 'FilterExpression', 'KeyConditionExpression'], Scan ['ProjectionExpression', 'FilterExpression']).
 * Parsing always runs in DynamoDB's fixed order: Update, Condition, KeyCondition, Filter, Projection.
 * KeyConditionExpression gets the checks that need no table schema; Query adds the schema's.
 *
 * @example
 * compile({ UpdateExpression: 'SET #n = :v', ExpressionAttributeNames: { '#n': 'name' },
 *   ExpressionAttributeValues: { ':v': { S: 'x' } } }, ['UpdateExpression', 'ConditionExpression']);
 * // { update: { set: [{ path: ['name'], value: { kind: 'value', value: { S: 'x' } } }], remove: [], add: [], delete: [] } }
 */
export function compile(request: ExpressionRequest, kinds: readonly ExpressionKind[]): Compiled | { message: string } {
  const names = request.ExpressionAttributeNames;
  const values = request.ExpressionAttributeValues;

  let anyExpression = false;
  let anyValueExpression = false;
  for (const kind of kinds) {
    if (request[kind] == null) continue;
    anyExpression = true;
    if (kind !== 'ProjectionExpression') anyValueExpression = true;
  }
  if (names != null && !anyExpression) return { message: m.NAMES_WITHOUT_EXPRESSIONS };
  if (values != null && !anyValueExpression) {
    const valueKinds = kinds.filter((kind) => kind !== 'ProjectionExpression');
    if (valueKinds.length > 0) return { message: m.valuesWithoutExpressions(valueKinds) };
  }

  let nameKeys: string[] = [];
  if (names != null) {
    nameKeys = Object.keys(names);
    if (nameKeys.length === 0) return { message: m.NAMES_EMPTY };
    for (const key of nameKeys) if (!NAME_KEY.test(key)) return { message: m.invalidNameKey(key) };
    for (const key of nameKeys) if (names[key] === '') return { message: m.emptyName(key) };
  }
  let valueKeys: string[] = [];
  if (values != null) {
    valueKeys = Object.keys(values);
    if (valueKeys.length === 0) return { message: m.VALUES_EMPTY };
    for (const key of valueKeys) if (!VALUE_KEY.test(key)) return { message: m.invalidValueKey(key) };
    for (const key of valueKeys) {
      const message = validateAttributeValue(values[key]!);
      if (message !== undefined) return { message: m.invalidValue(message, key) };
    }
  }

  const binder = new Binder(names, values);
  const compiled: Compiled = {};
  for (const kind of PARSE_ORDER) {
    const text = request[kind];
    if (text == null || !kinds.includes(kind)) continue;
    const parsed = parse(kind, text);
    if ('message' in parsed) return parsed;
    let result: Update | Condition | Projection | string;
    if (parsed.kind === 'UpdateExpression') result = binder.update(parsed);
    else if (parsed.kind === 'ProjectionExpression') result = binder.projection(parsed);
    else result = binder.condition(parsed);
    if (typeof result === 'string') return { message: m.invalid(kind, result) };
    if (kind === 'UpdateExpression') compiled.update = result as Update;
    else if (kind === 'ConditionExpression') compiled.condition = result as Condition;
    else if (kind === 'KeyConditionExpression') compiled.keyCondition = result as Condition;
    else if (kind === 'FilterExpression') compiled.filter = result as Condition;
    else compiled.projection = result as Projection;
  }

  if (binder.usedNames.size < nameKeys.length) {
    return { message: m.unusedNames(nameKeys.filter((key) => !binder.usedNames.has(key))) };
  }
  if (binder.usedValues.size < valueKeys.length) {
    return { message: m.unusedValues(valueKeys.filter((key) => !binder.usedValues.has(key))) };
  }
  if (compiled.keyCondition !== undefined) {
    const message = checkKeyCondition(compiled.keyCondition, new Set());
    if (message !== undefined) return { message };
  }
  return compiled;
}

// --- Types and values in messages ---

type TypeName = 'S' | 'N' | 'B' | 'BOOL' | 'NULL' | 'SS' | 'NS' | 'BS' | 'L' | 'M';

function typeOf(value: AttributeValue): TypeName {
  for (const key in value) return key as TypeName;
  return 'NULL';
}

/** The type an operand is known to have before any item is read: values' and size()'s. */
function knownType(operand: Operand | undefined): TypeName | undefined {
  if (operand === undefined) return undefined;
  if (operand.kind === 'value') return typeOf(operand.value);
  if (operand.kind === 'size') return 'N';
  return undefined;
}

const ACTION_TYPE_WORDS: Partial<Record<TypeName, string>> = {
  S: 'STRING', N: 'NUMBER', B: 'BINARY', NULL: 'NULL', BOOL: 'BOOLEAN', L: 'LIST', M: 'MAP',
};
const ATTRIBUTE_TYPES = new Set(['S', 'N', 'B', 'NULL', 'SS', 'BOOL', 'L', 'BS', 'NS', 'M']);

/** How dynalite prints a bound in the BETWEEN messages: `{S:a}`, `{N:1}`, `{SS:a,b}`. */
function boundText(value: AttributeValue): string {
  const type = typeOf(value);
  const content = (value as Record<string, unknown>)[type];
  const text = Array.isArray(content)
    ? content.map((element) => (element instanceof Uint8Array ? bytesToBase64(element) : String(element))).join(',')
    : content instanceof Uint8Array
      ? bytesToBase64(content)
      : String(content);
  return `{${type}:${text}}`;
}

function samePath(a: Path, b: Path): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The errors of one leaf condition (or of one whole update) by category, first of each kept;
 * dynalite reports them in the order attribute name/value, operand count, distinct, function.
 */
class Problems {
  nameValue: string | undefined;
  /** Updates keep undefined names and undefined values apart, names first (dynalite). */
  value: string | undefined;
  overlap: string | undefined;
  conflict: string | undefined;
  operandCount: string | undefined;
  distinct: string | undefined;
  actionType: string | undefined;
  func: string | undefined;
}

/** Resolves placeholders against one request's names and values, noting which are used. */
class Binder {
  readonly usedNames = new Set<string>();
  readonly usedValues = new Set<string>();

  constructor(
    private readonly names: Record<string, string> | undefined,
    private readonly values: Record<string, AttributeValue> | undefined,
  ) {}

  private path(path: PathElement[], problems: Problems): Path {
    let resolved: Path | undefined;
    for (let i = 0; i < path.length; i++) {
      const element = path[i]!;
      if (typeof element !== 'string' || element.charCodeAt(0) !== 35 /* # */) continue;
      resolved ??= path.slice();
      // Placeholder keys start with '#', so no Object.prototype member can answer.
      const name = this.names?.[element];
      if (name === undefined) problems.nameValue ??= m.undefinedName(element);
      else this.usedNames.add(element);
      resolved[i] = name ?? element;
    }
    return resolved ?? path;
  }

  private value(placeholder: string, problems: Problems, update: boolean): Operand {
    const value = this.values?.[placeholder];
    if (value === undefined) {
      if (update) problems.value ??= m.undefinedValue(placeholder);
      else problems.nameValue ??= m.undefinedValue(placeholder);
      return { kind: 'value', value: { NULL: true } };
    }
    this.usedValues.add(placeholder);
    return { kind: 'value', value };
  }

  // --- Conditions ---

  condition(parsed: ParsedCondition): Condition | string {
    return this.conditionNode(parsed.root);
  }

  private conditionNode(node: Node): Condition | string {
    switch (node.t) {
      case 'and':
      case 'or': {
        const left = this.conditionNode(node.left);
        if (typeof left === 'string') return left;
        const right = this.conditionNode(node.right);
        if (typeof right === 'string') return right;
        return { kind: node.t, left, right };
      }
      case 'not': {
        const condition = this.conditionNode(node.operand);
        return typeof condition === 'string' ? condition : { kind: 'not', condition };
      }
      default: {
        const problems = new Problems();
        const leaf = this.leaf(node, problems);
        return problems.nameValue ?? problems.operandCount ?? problems.distinct ?? problems.func ?? leaf;
      }
    }
  }

  private leaf(node: Node, problems: Problems): Condition {
    switch (node.t) {
      case 'compare': {
        const left = this.operand(node.left, problems);
        const right = this.operand(node.right, problems);
        this.distinct(node.op, left, right, problems);
        return { kind: 'compare', op: node.op, left, right };
      }
      case 'between': {
        const operand = this.operand(node.operand, problems);
        const low = this.operand(node.low, problems);
        const high = this.operand(node.high, problems);
        if (low.kind === 'value' && high.kind === 'value') {
          if (typeOf(low.value) !== typeOf(high.value)) {
            problems.func ??= m.betweenTypes(boundText(low.value), boundText(high.value));
          } else if (compareValues(low.value, high.value) === 1) {
            problems.func ??= m.betweenOrder(boundText(low.value), boundText(high.value));
          }
        }
        return { kind: 'between', operand, low, high };
      }
      case 'in':
        return {
          kind: 'in',
          operand: this.operand(node.operand, problems),
          list: node.list.map((item) => this.operand(item, problems)),
        };
      case 'call':
        return this.conditionFunction(node.name, node.args, problems);
      default:
        // The parser lets only conditions stand here.
        throw new Error(`not a condition: ${node.t}`);
    }
  }

  private conditionFunction(name: string, nodes: Node[], problems: Problems): Condition {
    const args = nodes.map((arg) => this.operand(arg, problems));
    const arity = name === 'attribute_exists' || name === 'attribute_not_exists' ? 1 : 2;
    const first = args[0]!;
    const second = args[1] ?? first;
    const path = first.kind === 'path' ? first.path : [];
    if (args.length !== arity) {
      problems.operandCount ??= m.operandCount(name, args.length);
    } else {
      if (arity === 2) this.distinct(name, first, second, problems);
      if (name === 'attribute_exists' || name === 'attribute_not_exists') {
        if (first.kind !== 'path') problems.func ??= m.requiresPath(name);
      } else if (name === 'attribute_type') {
        const type = knownType(second);
        if (type !== 'S') problems.func ??= m.operandType(name, type ?? m.ANY_TYPE);
        else if (second.kind === 'value' && 'S' in second.value && !ATTRIBUTE_TYPES.has(second.value.S)) {
          problems.func ??= m.invalidTypeName(second.value.S);
        } else if (first.kind !== 'path') problems.func ??= m.requiresPath(name);
      } else if (name === 'begins_with') {
        for (const arg of args) {
          const type = knownType(arg);
          if (type !== undefined && type !== 'S' && type !== 'B') {
            problems.func ??= m.operandType(name, type);
            break;
          }
        }
      }
    }
    switch (name) {
      case 'attribute_exists':
      case 'attribute_not_exists':
        return { kind: name, path };
      case 'attribute_type':
        return { kind: 'attribute_type', path, type: second };
      case 'begins_with':
        return { kind: 'begins_with', operand: first, prefix: second };
      default:
        return { kind: 'contains', operand: first, value: second };
    }
  }

  /** A condition operand: path, value or size(path) (the parser has refused every other call). */
  private operand(node: Node, problems: Problems): Operand {
    if (node.t === 'path') return { kind: 'path', path: this.path(node.path, problems) };
    if (node.t === 'value') return this.value(node.name, problems, false);
    if (node.t !== 'call') throw new Error(`not an operand: ${node.t}`);
    const args = node.args.map((arg) => this.operand(arg, problems));
    const arg = args[0]!;
    if (args.length !== 1) {
      problems.operandCount ??= m.operandCount('size', args.length);
    } else {
      const type = knownType(arg);
      if (type === 'N' || type === 'BOOL' || type === 'NULL') problems.func ??= m.operandType('size', type);
      // The AST sizes paths only; unsure whether DynamoDB accepts size(:value).
      else if (arg.kind !== 'path') problems.func ??= m.requiresPath('size');
    }
    return { kind: 'size', path: arg.kind === 'path' ? arg.path : [] };
  }

  private distinct(operator: string, left: Operand, right: Operand, problems: Problems): void {
    if (left.kind === 'path' && right.kind === 'path' && samePath(left.path, right.path)) {
      problems.distinct ??= m.operandsNotDistinct(operator, left.path);
    }
  }

  // --- Updates ---

  update(parsed: ParsedUpdate): Update | string {
    const problems = new Problems();
    const update: Update = { set: [], remove: [], add: [], delete: [] };
    const targets = new PathSet(problems);
    for (const action of parsed.actions) {
      const path = this.path(action.path, problems);
      if (action.action === 'SET') {
        update.set.push({ path, value: this.updateOperand(action.value, problems) });
      } else if (action.action === 'REMOVE') {
        update.remove.push(path);
      } else {
        const value = this.value((action.value as { name: string }).name, problems, true);
        const type = knownType(value)!;
        const words = ACTION_TYPE_WORDS[type];
        if (words !== undefined && !(action.action === 'ADD' && type === 'N')) {
          problems.actionType ??= m.actionOperandType(action.action, words);
        }
        (action.action === 'ADD' ? update.add : update.delete).push({ path, value });
      }
      targets.add(path);
    }
    return (
      problems.nameValue ??
      problems.value ??
      problems.overlap ??
      problems.conflict ??
      problems.actionType ??
      problems.operandCount ??
      problems.func ??
      update
    );
  }

  private updateOperand(node: Node, problems: Problems): Operand {
    switch (node.t) {
      case 'path':
        return { kind: 'path', path: this.path(node.path, problems) };
      case 'value':
        return this.value(node.name, problems, true);
      case '+':
      case '-': {
        const left = this.updateOperand(node.left, problems);
        const right = this.updateOperand(node.right, problems);
        for (const side of [left, right]) {
          const type = side.kind === 'value' ? typeOf(side.value) : undefined;
          if (type !== undefined && type !== 'N') {
            problems.func ??= m.operandType(node.t, type);
            break;
          }
        }
        return { kind: node.t, left, right };
      }
      case 'call': {
        const args = node.args.map((arg) => this.updateOperand(arg, problems));
        const [first, second] = args as [Operand, Operand | undefined];
        if (args.length !== 2) {
          problems.func ??= m.operandCount(node.name, args.length);
        } else if (node.name === 'if_not_exists') {
          if (first.kind !== 'path') problems.func ??= m.requiresPath(node.name);
        } else {
          for (const arg of args) {
            const type = arg.kind === 'value' ? typeOf(arg.value) : undefined;
            if (type !== undefined && type !== 'L') {
              problems.func ??= m.operandType(node.name, type);
              break;
            }
          }
        }
        const other = second ?? first;
        if (node.name === 'if_not_exists') {
          return { kind: 'if_not_exists', path: first.kind === 'path' ? first.path : [], operand: other };
        }
        return { kind: 'list_append', left: first, right: other };
      }
      default:
        throw new Error(`not an update operand: ${node.t}`);
    }
  }

  // --- Projections ---

  projection(parsed: ParsedProjection): Projection | string {
    const problems = new Problems();
    const paths = parsed.paths.map((path) => this.path(path, problems));
    if (problems.nameValue !== undefined) return problems.nameValue;
    const set = new PathSet(problems);
    for (const path of paths) set.add(path);
    return problems.overlap ?? problems.conflict ?? paths;
  }
}

/**
 * The document paths an update writes or a projection reads, checked pairwise as they come: a path
 * that is a prefix of another overlaps it; two that index one level both as a list and as a map
 * conflict. Paths only meet when their first names match, so they are grouped by it.
 */
class PathSet {
  private readonly byName = new Map<PathElement, Path[]>();

  constructor(private readonly problems: Problems) {}

  add(path: Path): void {
    if (this.problems.overlap !== undefined) return;
    const earlier = this.byName.get(path[0]!);
    if (earlier === undefined) {
      this.byName.set(path[0]!, [path]);
      return;
    }
    for (const other of earlier) {
      let i = 1;
      const shorter = Math.min(other.length, path.length);
      for (; i < shorter; i++) {
        if (typeof other[i] !== typeof path[i]) {
          this.problems.conflict ??= m.pathsConflict(other, path);
          break;
        }
        if (other[i] !== path[i]) break;
      }
      if (i === shorter) {
        this.problems.overlap = m.pathsOverlap(other, path);
        return;
      }
    }
    earlier.push(path);
  }
}

// --- KeyConditionExpression (dynalite's convertKeyCondition) ---

function checkKeyCondition(condition: Condition, keys: Set<PathElement>): string | undefined {
  let operands: Operand[];
  switch (condition.kind) {
    case 'and':
      return checkKeyCondition(condition.left, keys) ?? checkKeyCondition(condition.right, keys);
    case 'or':
    case 'not':
    case 'in':
      return m.keyInvalidOperator(condition.kind.toUpperCase());
    case 'attribute_exists':
    case 'attribute_not_exists':
    case 'attribute_type':
    case 'contains':
      return m.keyInvalidOperator(condition.kind);
    case 'compare':
      if (condition.op === '<>') return m.keyInvalidOperator('<>');
      operands = [condition.left, condition.right];
      break;
    case 'between':
      if (condition.operand.kind !== 'path') return m.keyFirstOperand('BETWEEN');
      operands = [condition.operand, condition.low, condition.high];
      break;
    case 'begins_with':
      if (condition.operand.kind !== 'path') return m.keyFirstOperand('begins_with');
      operands = [condition.operand, condition.prefix];
      break;
  }
  let name: PathElement | undefined;
  for (const operand of operands) {
    if (operand.kind === 'path') {
      if (name !== undefined) return m.KEY_MULTIPLE_NAMES;
      if (operand.path.length > 1) return m.KEY_NESTED_ATTRIBUTES;
      name = operand.path[0];
    } else if (operand.kind === 'size') {
      return m.KEY_NESTED_OPERATIONS;
    }
  }
  if (name === undefined) return m.KEY_NO_ATTRIBUTE;
  if (keys.has(name)) return m.KEY_ONE_CONDITION_PER_KEY;
  keys.add(name);
  return undefined;
}
