/**
 * The lexer shared by the five expression kinds. It never fails: a character DynamoDB's lexer does
 * not know becomes a one-character `other` token, and the parser reports it as a syntax error with
 * DynamoDB's `token: "...", near: "..."` text (a stray `!` in `!!! INVALID` is token "!", near "!!").
 *
 * Tokens, as DynamoDB splits them:
 *   name    [A-Za-z][A-Za-z0-9_]*      (`_abc` is "_" then "abc": names start with a letter)
 *   #name   #[A-Za-z0-9_]+             ExpressionAttributeNames placeholder
 *   :value  :[A-Za-z0-9_]+             ExpressionAttributeValues placeholder
 *   number  [0-9]+                     list indexes
 *   punct   = <> < <= > >= ( ) [ ] , . + -
 *   other   any other single character (a lone # or : included)
 * Whitespace is space, tab, CR and LF.
 */

export type TokenKind = 'name' | 'attrName' | 'attrValue' | 'number' | 'punct' | 'other' | 'eof';

export interface Token {
  kind: TokenKind;
  /** The token as written; '<EOF>' for the end. */
  text: string;
  /** UTF-16 offsets into the source: [start, end). */
  start: number;
  end: number;
}

const enum Ch {
  Tab = 9, LF = 10, CR = 13, Space = 32, Hash = 35, LParen = 40, Colon = 58,
  Lt = 60, Eq = 61, Gt = 62, Zero = 48, Nine = 57, UpperA = 65, UpperZ = 90,
  Underscore = 95, LowerA = 97, LowerZ = 122,
}

function isLetter(c: number): boolean {
  return (c >= Ch.UpperA && c <= Ch.UpperZ) || (c >= Ch.LowerA && c <= Ch.LowerZ);
}

function isDigit(c: number): boolean {
  return c >= Ch.Zero && c <= Ch.Nine;
}

function isNamePart(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === Ch.Underscore;
}

function isSpace(c: number): boolean {
  return c === Ch.Space || c === Ch.Tab || c === Ch.LF || c === Ch.CR;
}

const SINGLE_PUNCT = new Set(['=', '(', ')', '[', ']', ',', '.', '+', '-']);

/** Splits `source` into tokens, the last one `eof`. Linear in the length of the source. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const n = source.length;
  let i = 0;
  while (i < n) {
    const c = source.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    let kind: TokenKind;
    if (isLetter(c)) {
      i++;
      while (i < n && isNamePart(source.charCodeAt(i))) i++;
      kind = 'name';
    } else if (isDigit(c)) {
      i++;
      while (i < n && isDigit(source.charCodeAt(i))) i++;
      kind = 'number';
    } else if ((c === Ch.Hash || c === Ch.Colon) && i + 1 < n && isNamePart(source.charCodeAt(i + 1))) {
      i += 2;
      while (i < n && isNamePart(source.charCodeAt(i))) i++;
      kind = c === Ch.Hash ? 'attrName' : 'attrValue';
    } else if (c === Ch.Lt || c === Ch.Gt) {
      const next = i + 1 < n ? source.charCodeAt(i + 1) : 0;
      i += next === Ch.Eq || (c === Ch.Lt && next === Ch.Gt) ? 2 : 1;
      kind = 'punct';
    } else if (SINGLE_PUNCT.has(source[i]!)) {
      i++;
      kind = 'punct';
    } else {
      // One code point, so a surrogate pair is reported whole.
      i += c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1;
      kind = 'other';
    }
    tokens.push({ kind, text: source.slice(start, i), start, end: i });
  }
  tokens.push({ kind: 'eof', text: '<EOF>', start: n, end: n });
  return tokens;
}

/**
 * A cursor over a token list that ends with an `eof` token: peek/next/skip with mark/reset for a
 * parser's (bounded) lookahead. The expression and PartiQL tokenizers share it.
 */
export class TokenCursor<T extends { kind: string; text: string }> {
  protected index = 0;

  constructor(readonly tokens: T[]) {}

  /** The current token (the `eof` token once everything is consumed). */
  peek(): T {
    return this.tokens[this.index]!;
  }

  /** The token after the current one. */
  peekAhead(): T {
    return this.tokens[Math.min(this.index + 1, this.tokens.length - 1)]!;
  }

  /** Consumes and returns the current token. */
  next(): T {
    const token = this.tokens[this.index]!;
    if (this.index < this.tokens.length - 1) this.index++;
    return token;
  }

  /** Consumes the current token if it is the punctuation `text`. */
  skip(text: string): boolean {
    if (!this.atPunct(text)) return false;
    this.index++;
    return true;
  }

  /** Consumes the current token if it is the keyword `upper` (keywords are case-insensitive). */
  skipKeyword(upper: string): boolean {
    if (!this.atKeyword(upper)) return false;
    this.index++;
    return true;
  }

  atKeyword(upper: string): boolean {
    const token = this.tokens[this.index]!;
    return token.kind === 'name' && token.text.length === upper.length && token.text.toUpperCase() === upper;
  }

  atPunct(text: string): boolean {
    const token = this.tokens[this.index]!;
    return token.kind === 'punct' && token.text === text;
  }

  mark(): number {
    return this.index;
  }

  reset(mark: number): void {
    this.index = mark;
  }
}

/** The tokens of one expression, with DynamoDB's syntax-error context. */
export class TokenStream extends TokenCursor<Token> {
  constructor(readonly source: string) {
    super(tokenize(source));
  }

  /**
   * DynamoDB's syntax error for the token at `index`: the token itself, and the source from the
   * token before it to the token after it ("a-b" for the "-" of `a-b`; "INVALID SYNTAX" for the
   * first token of `INVALID SYNTAX HERE`; "SET _123" for the "_" of `SET _123 = :v`).
   */
  syntaxErrorAt(index: number): { token: string; near: string } {
    const token = this.tokens[index]!;
    const first = index > 0 ? this.tokens[index - 1]! : token;
    const after = this.tokens[index + 1];
    const last = token.kind === 'eof' ? first : after && after.kind !== 'eof' ? after : token;
    return { token: token.text, near: this.source.slice(first.start, Math.max(first.end, last.end)) };
  }
}
