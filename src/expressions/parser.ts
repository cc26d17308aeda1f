/**
 * Stage one of the expression front end: text to a parsed tree whose `#name` and `:value`
 * placeholders are still unresolved, or DynamoDB's message for what is wrong with the text alone.
 * Results are cached by (kind, text), so a request that repeats an expression pays only for binding
 * (compile.ts).
 *
 * The parser is recursive descent with precedence climbing over a token array (tokenizer.ts). It
 * never throws mid-parse: the first syntax error is recorded with its token index and every parse
 * method unwinds by returning `undefined`. Nesting is bounded by MAX_NESTING and the input by the
 * 4 KB expression limit, so parsing is linear and its recursion shallow whatever the input.
 *
 * Error order (the first category that has an error wins; within one, the first in the text), after
 * dynalite's parsers, which were written against DynamoDB:
 *   every kind   size, syntax, then limits (path depth, list index, IN operands, operator count)
 *   conditions   redundant parentheses, unknown function, misused function, reserved word
 *   updates      redundant parentheses, reserved word, unknown or misplaced function, repeated section
 *   projections  reserved word
 * The remaining checks need ExpressionAttributeNames/Values and run at binding (compile.ts).
 */
import type { Comparator, PathElement } from './ast.js';
import * as m from './messages.js';
import { isReservedWord } from './reserved.js';
import { TokenStream, type Token } from './tokenizer.js';
import { utf8Length } from '../model/size.js';

export type ExpressionKind =
  | 'UpdateExpression'
  | 'ConditionExpression'
  | 'KeyConditionExpression'
  | 'FilterExpression'
  | 'ProjectionExpression';

/** DynamoDB's limits on one expression (Developer Guide, "Expression parameters"). */
export const MAX_EXPRESSION_BYTES = 4096;
export const MAX_OPERATORS = 300;
export const MAX_IN_OPERANDS = 100;
export const MAX_PATH_DEPTH = 32;
/** List indexes are 32-bit signed integers in DynamoDB (a larger one is out of range). */
const MAX_LIST_INDEX = 2147483647;
/**
 * How deep the parser recurses before it gives up, in units of roughly one stack frame: a
 * parenthesised condition costs 5, a function call 2, a NOT or a parenthesised operand 1. Nothing
 * valid comes close (a valid expression pays an operator for each level of nesting, and 300 is the
 * limit); the budget keeps hostile input far from the end of the stack. DynamoDB parses deeper:
 * past the budget the message is a syntax error at the token that went too deep, where DynamoDB
 * would finish the parse and report, say, redundant parentheses.
 */
const MAX_NESTING = 5120;

/**
 * A parsed operand or condition. Path elements starting with '#' are unresolved placeholders
 * (names as written never start with '#'); `value` holds a `:value` placeholder.
 */
export type Node =
  | { t: 'path'; path: PathElement[] }
  | { t: 'value'; name: string }
  | { t: 'call'; name: string; args: Node[] }
  | { t: '+' | '-'; left: Node; right: Node }
  /** `role`: what the parenthesised node can stand for; a function call can be either. */
  | { t: 'paren'; inner: Node; role: 'operand' | 'condition' | 'either' }
  | { t: 'compare'; op: Comparator; left: Node; right: Node }
  | { t: 'between'; operand: Node; low: Node; high: Node }
  | { t: 'in'; operand: Node; list: Node[] }
  | { t: 'and' | 'or'; left: Node; right: Node }
  | { t: 'not'; operand: Node };

export interface ParsedCondition {
  kind: 'ConditionExpression' | 'KeyConditionExpression' | 'FilterExpression';
  /** Parentheses are already dropped. */
  root: Node;
}

export interface ParsedUpdate {
  kind: 'UpdateExpression';
  /** Each action in the order written, whatever its section. */
  actions: UpdateAction[];
}

export type UpdateAction =
  | { action: 'SET'; path: PathElement[]; value: Node }
  | { action: 'REMOVE'; path: PathElement[] }
  | { action: 'ADD' | 'DELETE'; path: PathElement[]; value: Node };

export interface ParsedProjection {
  kind: 'ProjectionExpression';
  paths: PathElement[][];
}

export type Parsed = ParsedCondition | ParsedUpdate | ParsedProjection;

const CONDITION_FUNCTIONS = new Set(['attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with', 'contains']);
const UPDATE_FUNCTIONS = new Set(['if_not_exists', 'list_append']);
const CONDITION_KEYWORDS = ['AND', 'OR', 'NOT', 'BETWEEN', 'IN'];
const UPDATE_KEYWORDS = ['SET', 'REMOVE', 'ADD', 'DELETE'];
const COMPARATORS = new Set(['=', '<>', '<', '<=', '>', '>=']);

const CACHE_SIZE = 1000;
// One map per kind, keyed by the text itself: an application passes the same string object on
// every call, whose hash V8 keeps, so a hit costs no hashing or concatenation.
const caches = new Map<ExpressionKind, Map<string, Parsed | { message: string }>>();

/**
 * Parses one expression; `{ message }` is DynamoDB's ValidationException text, prefixed
 * `Invalid <kind>: `. Results are cached (the last 1000 distinct expressions).
 *
 * @example
 * parse('ProjectionExpression', 'a.b[2], #c'); // { kind: 'ProjectionExpression', paths: [['a', 'b', 2], ['#c']] }
 * parse('UpdateExpression', 'SET x'); // { message: 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "x"' }
 */
export function parse(kind: ExpressionKind, text: string): Parsed | { message: string } {
  let cache = caches.get(kind);
  if (cache === undefined) caches.set(kind, (cache = new Map()));
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  if (text === '') return { message: m.invalid(kind, m.EMPTY) };
  const bytes = text.length > MAX_EXPRESSION_BYTES / 3 ? utf8Length(text) : text.length;
  // Too large to be worth caching, and checked before the syntax (alternator, dynoxide).
  if (bytes > MAX_EXPRESSION_BYTES) return { message: m.invalid(kind, m.tooLarge(bytes)) };
  const parser = new Parser(kind, text);
  const result = parser.run();
  const entry = typeof result === 'string' ? { message: m.invalid(kind, result) } : result;
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(text, entry);
  return entry;
}

/** Where a function call stands: as a condition, or as an operand (compare side, argument). */
type Role = 'condition' | 'operand';

class Parser {
  private readonly s: TokenStream;
  private readonly keywords: readonly string[];
  /** Token index of the first syntax error. */
  private syntaxAt = -1;
  /** First error of each category that is decided without placeholders' values. */
  private limit: string | undefined;
  private parens: string | undefined;
  private reserved: string | undefined;
  private unknownFunction: string | undefined;
  private misusedFunction: string | undefined;
  private section: string | undefined;
  private operators = 0;
  private depth = 0;

  constructor(
    private readonly kind: ExpressionKind,
    text: string,
  ) {
    this.s = new TokenStream(text);
    this.keywords =
      kind === 'UpdateExpression' ? UPDATE_KEYWORDS : kind === 'ProjectionExpression' ? [] : CONDITION_KEYWORDS;
  }

  run(): Parsed | string {
    const parsed =
      this.kind === 'UpdateExpression'
        ? this.update()
        : this.kind === 'ProjectionExpression'
          ? this.projection()
          : this.topCondition();
    if (parsed === undefined || this.syntaxAt >= 0) {
      const { token, near } = this.s.syntaxErrorAt(this.syntaxAt);
      return m.syntaxError(token, near);
    }
    if (this.limit === undefined && this.operators > MAX_OPERATORS) this.limit = m.tooManyOperators(MAX_OPERATORS + 1);
    const first =
      this.kind === 'UpdateExpression'
        ? (this.limit ?? this.parens ?? this.reserved ?? this.unknownFunction ?? this.misusedFunction ?? this.section)
        : this.kind === 'ProjectionExpression'
          ? (this.limit ?? this.reserved)
          : (this.limit ?? this.parens ?? this.unknownFunction ?? this.misusedFunction ?? this.reserved);
    return first ?? parsed;
  }

  // --- Diagnostics ---

  /** Records a syntax error at the current token (the first one wins) and returns undefined to unwind. */
  private fail(): undefined {
    if (this.syntaxAt < 0) this.syntaxAt = this.s.mark();
    return undefined;
  }

  private enter(cost: number): boolean {
    this.depth += cost;
    if (this.depth <= MAX_NESTING) return true;
    this.fail();
    return false;
  }

  private isKeyword(token: Token): boolean {
    if (token.kind !== 'name') return false;
    const upper = token.text.toUpperCase();
    return this.keywords.includes(upper);
  }

  // --- Paths ---

  // path := (name | #name) ('.' (name | #name) | '[' number ']')*
  private path(): PathElement[] | undefined {
    const first = this.pathName();
    if (first === undefined) return undefined;
    const path: PathElement[] = [first];
    for (;;) {
      if (this.s.skip('.')) {
        const name = this.pathName();
        if (name === undefined) return undefined;
        path.push(name);
      } else if (this.s.skip('[')) {
        const token = this.s.peek();
        if (token.kind !== 'number') return this.fail();
        this.s.next();
        const index = Number(token.text);
        if (index > MAX_LIST_INDEX) this.limit ??= m.indexOutOfRange(token.text);
        if (!this.s.skip(']')) return this.fail();
        path.push(index);
      } else break;
    }
    if (path.length > MAX_PATH_DEPTH) this.limit ??= m.pathTooDeep(path.length);
    return path;
  }

  private pathName(): string | undefined {
    const token = this.s.peek();
    if (token.kind === 'attrName') {
      this.s.next();
      return token.text;
    }
    if (token.kind !== 'name' || this.isKeyword(token)) return this.fail();
    this.s.next();
    if (this.reserved === undefined && isReservedWord(token.text)) this.reserved = m.reservedKeyword(token.text);
    return token.text;
  }

  // --- Operands ---

  // operand := '(' operand ')' | name '(' operand (',' operand)* ')' | :value | path
  private operand(): Node | undefined {
    const token = this.s.peek();
    if (this.s.skip('(')) {
      if (!this.enter(1)) return undefined;
      const inner = this.operand();
      this.depth -= 1;
      if (inner === undefined) return undefined;
      if (!this.s.skip(')')) return this.fail();
      return this.paren(inner);
    }
    if (token.kind === 'attrValue') {
      this.s.next();
      return { t: 'value', name: token.text };
    }
    if (token.kind === 'name' && !this.isKeyword(token) && this.s.peekAhead().text === '(' && this.s.peekAhead().kind === 'punct') {
      return this.call();
    }
    const path = this.path();
    return path && { t: 'path', path };
  }

  // call := name '(' operand (',' operand)* ')'
  private call(): Node | undefined {
    const name = this.s.next().text;
    this.s.next();
    if (!this.enter(2)) return undefined;
    const args: Node[] = [];
    do {
      const arg = this.operand();
      if (arg === undefined) return undefined;
      args.push(arg);
    } while (this.s.skip(','));
    this.depth -= 2;
    if (!this.s.skip(')')) return this.fail();
    return { t: 'call', name, args };
  }

  // --- Conditions ---

  // condition := or EOF
  private topCondition(): ParsedCondition | undefined {
    const root = this.or();
    if (root === undefined) return undefined;
    if (isOperandLike(root) || this.s.peek().kind !== 'eof') return this.fail();
    const stripped = this.checkCondition(root);
    return { kind: this.kind as ParsedCondition['kind'], root: stripped };
  }

  // or := and (OR and)*
  private or(): Node | undefined {
    let left = this.and();
    while (left !== undefined && this.s.atKeyword('OR')) {
      if (isOperandLike(left)) return this.fail();
      this.s.next();
      this.operators++;
      const right = this.and();
      if (right === undefined) return undefined;
      if (isOperandLike(right)) return this.fail();
      left = { t: 'or', left, right };
    }
    return left;
  }

  // and := not (AND not)*
  private and(): Node | undefined {
    let left = this.not();
    while (left !== undefined && this.s.atKeyword('AND')) {
      if (isOperandLike(left)) return this.fail();
      this.s.next();
      this.operators++;
      const right = this.not();
      if (right === undefined) return undefined;
      if (isOperandLike(right)) return this.fail();
      left = { t: 'and', left, right };
    }
    return left;
  }

  // not := NOT not | predicate
  private not(): Node | undefined {
    if (!this.s.atKeyword('NOT')) return this.predicate();
    this.s.next();
    this.operators++;
    if (!this.enter(1)) return undefined;
    const operand = this.not();
    this.depth -= 1;
    if (operand === undefined) return undefined;
    if (isOperandLike(operand)) return this.fail();
    return { t: 'not', operand };
  }

  // predicate := primary [comparator operand | BETWEEN operand AND operand | IN '(' operand (',' operand)* ')']
  private predicate(): Node | undefined {
    const left = this.primary();
    if (left === undefined || !canBeOperand(left)) return left;
    const token = this.s.peek();
    if (token.kind === 'punct' && COMPARATORS.has(token.text)) {
      this.s.next();
      this.operators++;
      const right = this.operand();
      return right && { t: 'compare', op: token.text as Comparator, left, right };
    }
    if (this.s.skipKeyword('BETWEEN')) {
      this.operators++;
      const low = this.operand();
      if (low === undefined) return undefined;
      if (!this.s.skipKeyword('AND')) return this.fail();
      const high = this.operand();
      return high && { t: 'between', operand: left, low, high };
    }
    if (this.s.skipKeyword('IN')) {
      this.operators++;
      if (!this.s.skip('(')) return this.fail();
      const list: Node[] = [];
      do {
        const item = this.operand();
        if (item === undefined) return undefined;
        list.push(item);
      } while (this.s.skip(','));
      if (!this.s.skip(')')) return this.fail();
      if (list.length > MAX_IN_OPERANDS) this.limit ??= m.tooManyInOperands(list.length);
      return { t: 'in', operand: left, list };
    }
    return left;
  }

  // primary := '(' or ')' | operand
  private primary(): Node | undefined {
    if (!this.s.atPunct('(')) return this.operand();
    this.s.next();
    if (!this.enter(5)) return undefined;
    const inner = this.or();
    this.depth -= 5;
    if (inner === undefined) return undefined;
    if (!this.s.skip(')')) return this.fail();
    return this.paren(inner);
  }

  /** `( inner )`; parentheses right around parentheses are redundant (dynalite, alternator). */
  private paren(inner: Node): Node {
    if (inner.t === 'paren') this.parens ??= m.REDUNDANT_PARENTHESES;
    const role = isOperandLike(inner) ? 'operand' : canBeOperand(inner) ? 'either' : 'condition';
    return { t: 'paren', inner, role };
  }

  /**
   * Drops the parentheses and checks where each function stands: the five condition functions
   * only as conditions, size() only as an operand (dynalite's checkMisusedFunction). Depth is
   * bounded by MAX_NESTING.
   */
  private checkCondition(node: Node): Node {
    switch (node.t) {
      case 'paren':
        return this.checkCondition(node.inner);
      case 'and':
      case 'or':
        return { t: node.t, left: this.checkCondition(node.left), right: this.checkCondition(node.right) };
      case 'not':
        return { t: 'not', operand: this.checkCondition(node.operand) };
      case 'call':
        return this.checkCall(node, 'condition');
      case 'compare':
        return { t: 'compare', op: node.op, left: this.checkOperand(node.left), right: this.checkOperand(node.right) };
      case 'between':
        return {
          t: 'between',
          operand: this.checkOperand(node.operand),
          low: this.checkOperand(node.low),
          high: this.checkOperand(node.high),
        };
      case 'in':
        return { t: 'in', operand: this.checkOperand(node.operand), list: node.list.map((item) => this.checkOperand(item)) };
      default:
        return node;
    }
  }

  private checkOperand(node: Node): Node {
    if (node.t === 'paren') return this.checkOperand(node.inner);
    if (node.t === 'call') return this.checkCall(node, 'operand');
    return node;
  }

  private checkCall(node: Extract<Node, { t: 'call' }>, role: Role): Node {
    const { name } = node;
    if (CONDITION_FUNCTIONS.has(name)) {
      if (role === 'operand') this.misusedFunction ??= m.functionMisused(name);
    } else if (name === 'size') {
      if (role === 'condition') this.misusedFunction ??= m.functionMisused(name);
    } else if (UPDATE_FUNCTIONS.has(name)) {
      this.unknownFunction ??= m.functionNotInCondition(name);
    } else {
      this.unknownFunction ??= m.unknownFunction(name);
    }
    return { t: 'call', name, args: node.args.map((arg) => this.checkOperand(arg)) };
  }

  // --- Updates ---

  // update := (SET set (',' set)* | REMOVE path (',' path)* | (ADD | DELETE) path :value (',' path :value)*)+ EOF
  private update(): ParsedUpdate | undefined {
    const actions: UpdateAction[] = [];
    const seen = new Set<string>();
    do {
      const token = this.s.peek();
      const section = token.kind === 'name' ? token.text.toUpperCase() : '';
      if (!UPDATE_KEYWORDS.includes(section)) return this.fail();
      this.s.next();
      if (seen.has(section)) this.section ??= m.sectionRepeated(section);
      seen.add(section);
      do {
        const path = this.path();
        if (path === undefined) return undefined;
        if (section === 'SET') {
          if (!this.s.skip('=')) return this.fail();
          const value = this.setValue();
          if (value === undefined) return undefined;
          actions.push({ action: 'SET', path, value: this.checkUpdateOperand(value, false) });
        } else if (section === 'REMOVE') {
          actions.push({ action: 'REMOVE', path });
        } else {
          const value = this.s.peek();
          if (value.kind !== 'attrValue') return this.fail();
          this.s.next();
          actions.push({ action: section as 'ADD' | 'DELETE', path, value: { t: 'value', name: value.text } });
        }
      } while (this.s.skip(','));
    } while (this.s.peek().kind !== 'eof');
    return { kind: 'UpdateExpression', actions };
  }

  // setValue := '(' setValue ')' [('+' | '-') operand] | operand [('+' | '-') operand]
  private setValue(): Node | undefined {
    let left: Node | undefined;
    if (this.s.atPunct('(')) {
      this.s.next();
      if (!this.enter(1)) return undefined;
      const inner = this.setValue();
      this.depth -= 1;
      if (inner === undefined) return undefined;
      if (!this.s.skip(')')) return this.fail();
      left = this.paren(inner);
      if (inner.t === '+' || inner.t === '-') return left;
    } else {
      left = this.operand();
      if (left === undefined) return undefined;
    }
    const token = this.s.peek();
    if (token.kind !== 'punct' || (token.text !== '+' && token.text !== '-')) return left;
    this.s.next();
    this.operators++;
    const right = this.operand();
    return right && { t: token.text as '+' | '-', left, right };
  }

  /** Drops parentheses; checks that only if_not_exists and list_append are called. */
  private checkUpdateOperand(node: Node, inListAppend: boolean): Node {
    switch (node.t) {
      case 'paren':
        return this.checkUpdateOperand(node.inner, inListAppend);
      case '+':
      case '-':
        return { t: node.t, left: this.checkUpdateOperand(node.left, false), right: this.checkUpdateOperand(node.right, false) };
      case 'call': {
        const { name } = node;
        if (name === 'list_append') {
          // alternator: DynamoDB refuses list_append(list_append(...), ...).
          if (inListAppend) this.unknownFunction ??= m.functionMisused(name);
        } else if (name !== 'if_not_exists') {
          const known = CONDITION_FUNCTIONS.has(name) || name === 'size';
          this.unknownFunction ??= known ? m.functionNotInUpdate(name) : m.unknownFunction(name);
        }
        return { t: 'call', name, args: node.args.map((arg) => this.checkUpdateOperand(arg, name === 'list_append')) };
      }
      default:
        return node;
    }
  }

  // --- Projections ---

  // projection := path (',' path)* EOF
  private projection(): ParsedProjection | undefined {
    const paths: PathElement[][] = [];
    do {
      const path = this.path();
      if (path === undefined) return undefined;
      paths.push(path);
    } while (this.s.skip(','));
    if (this.s.peek().kind !== 'eof') return this.fail();
    return { kind: 'ProjectionExpression', paths };
  }
}

/** Whether a node may stand as an operand: a function call may be either. */
function canBeOperand(node: Node): boolean {
  if (node.t === 'paren') return node.role !== 'condition';
  return node.t === 'call' || isOperandLike(node);
}

/** An operand standing where a condition is needed, which the grammar does not allow. */
function isOperandLike(node: Node): boolean {
  switch (node.t) {
    case 'path':
    case 'value':
    case '+':
    case '-':
      return true;
    case 'paren':
      return node.role === 'operand';
    default:
      return false;
  }
}
