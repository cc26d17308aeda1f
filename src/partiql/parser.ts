/**
 * DynamoDB's PartiQL subset, text to statement: SELECT, INSERT, UPDATE and DELETE on one table.
 * Parameters (`?`) stay unbound; translate.ts binds them and turns a statement into the requests
 * of the item actions.
 *
 * Recursive descent over a token array (tokenizer.ts). Like the expression parser it never throws
 * mid-parse: the first error is recorded and every parse method unwinds by returning `undefined`.
 * Nesting (parentheses, NOT, literals inside literals) is bounded by MAX_NESTING, and the statement
 * by its 8192-character limit, so recursion stays shallow whatever the input.
 */
import type { AttributeValue } from '../model/index.js';
import * as msg from '../model/messages.js';
import { type Token, TokenStream } from './tokenizer.js';

export type PathElement = string | number;

/** A literal or a parameter, not yet bound. */
export type Value =
  | { t: 'param'; index: number }
  | { t: 'scalar'; value: AttributeValue }
  | { t: 'map'; entries: [string, Value][] }
  | { t: 'list'; items: Value[] }
  | { t: 'set'; items: Value[] };

export type Operand = Value | { t: 'path'; path: PathElement[] };

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { t: 'compare'; op: Comparator; left: Operand; right: Operand }
  | { t: 'between'; operand: Operand; low: Operand; high: Operand }
  | { t: 'in'; operand: Operand; list: Operand[] }
  /** A condition function, its name lower-cased (PartiQL's names are case-insensitive). */
  | { t: 'call'; name: string; args: Operand[] }
  | { t: 'missing'; path: PathElement[]; negated: boolean }
  | { t: 'and' | 'or'; left: Condition; right: Condition }
  | { t: 'not'; operand: Condition };

/** The right-hand side of an UPDATE's SET. */
export type SetValue = Operand | { t: '+' | '-'; left: SetValue; right: SetValue } | { t: 'fn'; name: string; args: SetValue[] };

export type UpdateAction = { action: 'SET'; path: PathElement[]; value: SetValue } | { action: 'REMOVE'; path: PathElement[] };

type Body =
  | { kind: 'SELECT'; table: string; index?: string; projection?: PathElement[][]; where?: Condition }
  | { kind: 'INSERT'; table: string; item: Value }
  | { kind: 'UPDATE'; table: string; index?: string; actions: UpdateAction[]; where?: Condition }
  | { kind: 'DELETE'; table: string; index?: string; where?: Condition };

/** `index` is the second component of `FROM "table"."index"`; `parameters` counts the `?`. */
export type Statement = Body & { parameters: number };

/** How deep literals, parentheses and NOTs may nest; well past anything a real statement needs. */
const MAX_NESTING = 256;

const COMPARATORS: Record<string, Comparator> = { '=': '=', '<>': '<>', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

/** Words that cannot stand unquoted as a name, because the grammar gives them a role. */
const KEYWORDS = new Set([
  'SELECT', 'FROM', 'WHERE', 'INSERT', 'INTO', 'VALUE', 'UPDATE', 'SET', 'REMOVE', 'DELETE',
  'AND', 'OR', 'NOT', 'BETWEEN', 'IN', 'IS', 'MISSING', 'TRUE', 'FALSE', 'NULL',
]);

/**
 * Parses one statement: the statement, or DynamoDB's ValidationException text.
 *
 * @example
 * parseStatement(`SELECT * FROM "Music" WHERE Artist = ?`);
 * // { kind: 'SELECT', table: 'Music', parameters: 1, where: { t: 'compare', op: '=', ... } }
 * parseStatement('SELECTT * FROMM "Music"');
 * // { message: "Statement wasn't well formed, can't be processed: Expected data manipulation" }
 */
export function parseStatement(text: string): Statement | { message: string } {
  return new Parser(text).run();
}

class Parser {
  private readonly s: TokenStream;
  /** The first error: a detail for the malformed-statement envelope, or a message sent bare. */
  private error: { detail: string } | { message: string } | undefined;
  private parameters = 0;
  private depth = 0;

  constructor(text: string) {
    this.s = new TokenStream(text);
  }

  run(): Statement | { message: string } {
    const statement = this.statement();
    if (statement && this.error === undefined) return statement;
    const error = this.error ?? { detail: msg.UNEXPECTED_STATEMENT_TOKEN };
    return 'message' in error ? error : { message: msg.statementMalformed(error.detail) };
  }

  // --- Diagnostics ---

  /** Records a syntax error at the current token (the first error wins) and returns undefined to unwind. */
  private fail(detail?: string): undefined {
    this.error ??= { detail: detail ?? describe(this.s.peek()) };
    return undefined;
  }

  /** Records an error DynamoDB reports without the envelope. */
  private reject(message: string): undefined {
    this.error ??= { message };
    return undefined;
  }

  private enter(): boolean {
    if (++this.depth <= MAX_NESTING) return true;
    this.fail(msg.STATEMENT_TOO_DEEP);
    return false;
  }

  private expectKeyword(upper: string): boolean {
    if (this.s.skipKeyword(upper)) return true;
    this.fail();
    return false;
  }

  // --- Statements ---

  // statement := select | insert | update | delete
  private statement(): Statement | undefined {
    const first = this.s.peek();
    const verb = first.kind === 'name' ? first.text.toUpperCase() : '';
    if (verb !== 'SELECT' && verb !== 'INSERT' && verb !== 'UPDATE' && verb !== 'DELETE') return this.fail(msg.EXPECTED_DML);
    this.s.next();
    const body =
      verb === 'SELECT' ? this.select() : verb === 'INSERT' ? this.insert() : verb === 'UPDATE' ? this.update() : this.delete();
    if (body === undefined) return undefined;
    if (this.s.peek().kind !== 'eof') return this.fail();
    return { ...body, parameters: this.parameters };
  }

  // select := SELECT ('*' | path (',' path)*) FROM target [WHERE condition]
  private select(): Body | undefined {
    let projection: PathElement[][] | undefined;
    if (!this.s.skip('*')) {
      projection = [];
      do {
        const path = this.path();
        if (path === undefined) return undefined;
        projection.push(path);
      } while (this.s.skip(','));
    }
    if (!this.expectKeyword('FROM')) return undefined;
    const target = this.target();
    if (target === undefined) return undefined;
    const where = this.where();
    if (where === null) return undefined;
    return { kind: 'SELECT', table: target.table, index: target.index, projection, where };
  }

  // insert := INSERT INTO target VALUE map
  private insert(): Body | undefined {
    if (!this.expectKeyword('INTO')) return undefined;
    const target = this.target();
    if (target === undefined) return undefined;
    if (target.index !== undefined) return this.reject(msg.DML_SINGLE_TABLE);
    if (!this.expectKeyword('VALUE')) return undefined;
    if (!this.s.atPunct('{')) return this.fail();
    const item = this.value();
    return item && { kind: 'INSERT', table: target.table, item };
  }

  // update := UPDATE target (SET path '=' setValue (',' path '=' setValue)* | REMOVE path (',' path)*)+ [WHERE condition]
  private update(): Body | undefined {
    const target = this.target();
    if (target === undefined) return undefined;
    const actions: UpdateAction[] = [];
    while (this.s.atKeyword('SET') || this.s.atKeyword('REMOVE')) {
      const section = this.s.next().text.toUpperCase();
      do {
        const path = this.path();
        if (path === undefined) return undefined;
        if (section === 'REMOVE') {
          actions.push({ action: 'REMOVE', path });
          continue;
        }
        if (!this.s.skip('=')) return this.fail();
        const value = this.setValue();
        if (value === undefined) return undefined;
        actions.push({ action: 'SET', path, value });
      } while (this.s.skip(','));
    }
    if (actions.length === 0) return this.fail();
    const where = this.where();
    if (where === null) return undefined;
    return { kind: 'UPDATE', table: target.table, index: target.index, actions, where };
  }

  // delete := DELETE FROM target [WHERE condition]
  private delete(): Body | undefined {
    if (!this.expectKeyword('FROM')) return undefined;
    const target = this.target();
    if (target === undefined) return undefined;
    const where = this.where();
    if (where === null) return undefined;
    return { kind: 'DELETE', table: target.table, index: target.index, where };
  }

  // target := identifier ['.' identifier]
  private target(): { table: string; index?: string } | undefined {
    const table = this.identifier();
    if (table === undefined) return undefined;
    if (table === '') return this.reject(msg.EMPTY_PATH_COMPONENT);
    if (!this.s.skip('.')) return { table };
    const index = this.identifier();
    if (index === undefined) return undefined;
    if (index === '') return this.reject(msg.EMPTY_PATH_COMPONENT);
    if (this.s.atPunct('.')) return this.reject(msg.FROM_TOO_MANY_COMPONENTS);
    return { table, index };
  }

  /** `[WHERE condition]`: the condition, undefined when there is none, null after an error. */
  private where(): Condition | undefined | null {
    if (!this.s.skipKeyword('WHERE')) return undefined;
    return this.or() ?? null;
  }

  // --- Names and paths ---

  // identifier := name | "quoted"
  private identifier(): string | undefined {
    const token = this.s.peek();
    if (token.kind === 'quoted' || (token.kind === 'name' && !KEYWORDS.has(token.text.toUpperCase()))) {
      this.s.next();
      return token.text;
    }
    return this.fail();
  }

  // path := identifier ('.' identifier | '[' number ']' | '[' 'string' ']')*
  private path(): PathElement[] | undefined {
    const first = this.identifier();
    if (first === undefined) return undefined;
    const path: PathElement[] = [first];
    for (;;) {
      if (this.s.skip('.')) {
        const name = this.identifier();
        if (name === undefined) return undefined;
        path.push(name);
      } else if (this.s.skip('[')) {
        const token = this.s.peek();
        if (token.kind === 'number' && /^\d+$/.test(token.text)) path.push(Number(token.text));
        else if (token.kind === 'string') path.push(token.text);
        else return this.fail();
        this.s.next();
        if (!this.s.skip(']')) return this.fail();
      } else return path;
    }
  }

  // --- Values ---

  // value := '?' | 'string' | ['-'] number | TRUE | FALSE | NULL | map | list | set
  private value(): Value | undefined {
    const token = this.s.peek();
    switch (token.kind) {
      case 'param':
        this.s.next();
        return { t: 'param', index: this.parameters++ };
      case 'string':
        this.s.next();
        return { t: 'scalar', value: { S: token.text } };
      case 'number':
        this.s.next();
        return { t: 'scalar', value: { N: token.text } };
      case 'name': {
        const word = token.text.toUpperCase();
        if (word !== 'TRUE' && word !== 'FALSE' && word !== 'NULL') return this.fail();
        this.s.next();
        return { t: 'scalar', value: word === 'NULL' ? { NULL: true } : { BOOL: word === 'TRUE' } };
      }
      case 'punct':
        break;
      default:
        return this.fail();
    }
    if (token.text === '-') {
      this.s.next();
      const number = this.s.peek();
      if (number.kind !== 'number') return this.fail();
      this.s.next();
      return { t: 'scalar', value: { N: `-${number.text}` } };
    }
    if (token.text !== '{' && token.text !== '[' && token.text !== '<<') return this.fail();
    if (!this.enter()) return undefined;
    this.s.next();
    let result: Value | undefined;
    if (token.text === '{') result = this.map();
    else {
      const items = this.sequence(token.text === '[' ? ']' : '>>');
      if (items !== undefined && token.text === '<<' && items.length === 0) return this.fail(msg.EMPTY_SET_LITERAL);
      result = items && { t: token.text === '[' ? 'list' : 'set', items };
    }
    this.depth--;
    return result;
  }

  // map := '{' ['string' ':' value (',' 'string' ':' value)*] '}'
  private map(): Value | undefined {
    const entries: [string, Value][] = [];
    if (this.s.skip('}')) return { t: 'map', entries };
    do {
      const key = this.s.peek();
      if (key.kind !== 'string') return this.fail();
      this.s.next();
      if (!this.s.skip(':')) return this.fail();
      const value = this.value();
      if (value === undefined) return undefined;
      entries.push([key.text, value]);
    } while (this.s.skip(','));
    return this.s.skip('}') ? { t: 'map', entries } : this.fail();
  }

  // list := '[' [value (',' value)*] ']'    set := '<<' value (',' value)* '>>'
  private sequence(close: string): Value[] | undefined {
    const items: Value[] = [];
    if (this.s.skip(close)) return items;
    do {
      const item = this.value();
      if (item === undefined) return undefined;
      items.push(item);
    } while (this.s.skip(','));
    return this.s.skip(close) ? items : this.fail();
  }

  // operand := value | path
  private operand(): Operand | undefined {
    const token = this.s.peek();
    const isPath = token.kind === 'quoted' || (token.kind === 'name' && !KEYWORDS.has(token.text.toUpperCase()));
    if (!isPath) return this.value();
    const path = this.path();
    return path && { t: 'path', path };
  }

  // --- Conditions ---

  // or := and (OR and)*
  private or(): Condition | undefined {
    let left = this.and();
    while (left !== undefined && this.s.skipKeyword('OR')) {
      const right = this.and();
      if (right === undefined) return undefined;
      left = { t: 'or', left, right };
    }
    return left;
  }

  // and := not (AND not)*
  private and(): Condition | undefined {
    let left = this.not();
    while (left !== undefined && this.s.skipKeyword('AND')) {
      const right = this.not();
      if (right === undefined) return undefined;
      left = { t: 'and', left, right };
    }
    return left;
  }

  // not := NOT not | predicate
  private not(): Condition | undefined {
    if (!this.s.skipKeyword('NOT')) return this.predicate();
    if (!this.enter()) return undefined;
    const operand = this.not();
    this.depth--;
    return operand && { t: 'not', operand };
  }

  // predicate := '(' or ')' | name '(' operand (',' operand)* ')'
  //            | operand (comparator operand | [NOT] BETWEEN operand AND operand | [NOT] IN list | IS [NOT] MISSING)
  private predicate(): Condition | undefined {
    if (this.s.skip('(')) {
      if (!this.enter()) return undefined;
      const inner = this.or();
      this.depth--;
      if (inner === undefined) return undefined;
      return this.s.skip(')') ? inner : this.fail();
    }
    const token = this.s.peek();
    if (token.kind === 'name' && this.s.peekAhead().kind === 'punct' && this.s.peekAhead().text === '(') return this.call();
    const left = this.operand();
    if (left === undefined) return undefined;
    const next = this.s.peek();
    if (next.kind === 'punct' && Object.hasOwn(COMPARATORS, next.text)) {
      this.s.next();
      const right = this.operand();
      return right && { t: 'compare', op: COMPARATORS[next.text]!, left, right };
    }
    if (this.s.atKeyword('IS')) {
      if (left.t !== 'path') return this.fail();
      this.s.next();
      const negated = this.s.skipKeyword('NOT');
      return this.expectKeyword('MISSING') ? { t: 'missing', path: left.path, negated } : undefined;
    }
    const negated = this.s.skipKeyword('NOT');
    let condition: Condition | undefined;
    if (this.s.skipKeyword('BETWEEN')) {
      const low = this.operand();
      if (low === undefined || !this.expectKeyword('AND')) return undefined;
      const high = this.operand();
      condition = high && { t: 'between', operand: left, low, high };
    } else if (this.s.skipKeyword('IN')) {
      const list = this.inList();
      condition = list && { t: 'in', operand: left, list };
    } else return this.fail();
    return condition && negated ? { t: 'not', operand: condition } : condition;
  }

  // list := '(' operand (',' operand)* ')' | '[' operand (',' operand)* ']'
  private inList(): Operand[] | undefined {
    const open = this.s.peek().text;
    if (!this.s.skip('(') && !this.s.skip('[')) return this.fail();
    const list: Operand[] = [];
    do {
      const item = this.operand();
      if (item === undefined) return undefined;
      list.push(item);
    } while (this.s.skip(','));
    return this.s.skip(open === '(' ? ')' : ']') ? list : this.fail();
  }

  // call := name '(' operand (',' operand)* ')'
  private call(): Condition | undefined {
    const name = this.s.next().text.toLowerCase();
    this.s.next();
    const args: Operand[] = [];
    do {
      const arg = this.operand();
      if (arg === undefined) return undefined;
      args.push(arg);
    } while (this.s.skip(','));
    return this.s.skip(')') ? { t: 'call', name, args } : this.fail();
  }

  // --- UPDATE values ---

  // setValue := term [('+' | '-') term]
  private setValue(): SetValue | undefined {
    const left = this.term();
    if (left === undefined) return undefined;
    const token = this.s.peek();
    if (token.kind !== 'punct' || (token.text !== '+' && token.text !== '-')) return left;
    this.s.next();
    const right = this.term();
    return right && { t: token.text, left, right };
  }

  // term := name '(' setValue (',' setValue)* ')' | operand
  private term(): SetValue | undefined {
    const token = this.s.peek();
    if (token.kind !== 'name' || !(this.s.peekAhead().kind === 'punct' && this.s.peekAhead().text === '(')) return this.operand();
    this.s.next();
    this.s.next();
    if (!this.enter()) return undefined;
    const args: SetValue[] = [];
    do {
      const arg = this.setValue();
      if (arg === undefined) return undefined;
      args.push(arg);
    } while (this.s.skip(','));
    this.depth--;
    return this.s.skip(')') ? { t: 'fn', name: token.text.toLowerCase(), args } : this.fail();
  }
}

/** The detail of a syntax error at `token`. */
function describe(token: Token): string {
  if (token.kind === 'eof') return msg.UNEXPECTED_END;
  if (token.kind === 'name' && KEYWORDS.has(token.text.toUpperCase())) return msg.UNEXPECTED_KEYWORD;
  return msg.UNEXPECTED_STATEMENT_TOKEN;
}
