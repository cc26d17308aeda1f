/**
 * The lexer for DynamoDB's PartiQL statements. Like the expression lexer it never fails: a
 * character it does not know, or a quote that is never closed, becomes an `other` token that the
 * parser reports as malformed.
 *
 * Tokens:
 *   name    [A-Za-z_][A-Za-z0-9_$]*     keywords and unquoted identifiers, case-insensitive keywords
 *   quoted  "..." ("" inside is one ")  identifiers: table, index and attribute names
 *   string  '...' ('' inside is one ')  string literals
 *   number  digits [. digits] [e [+-] digits]
 *   param   ?
 *   punct   = <> != < <= > >= << >> ( ) [ ] { } , . : * + -
 *   other   any other single character, or an unclosed quote to the end of the statement
 * Whitespace is space, tab, CR and LF.
 */
import { TokenCursor } from '../expressions/tokenizer.js';

export type TokenKind = 'name' | 'quoted' | 'string' | 'number' | 'param' | 'punct' | 'other' | 'eof';

export interface Token {
  kind: TokenKind;
  /** The token as written; for quoted and string tokens, the text between the quotes, unescaped. */
  text: string;
  /** UTF-16 offsets into the source: [start, end). */
  start: number;
  end: number;
}

const SINGLE_PUNCT = new Set(['=', '(', ')', '[', ']', '{', '}', ',', '.', ':', '*', '+', '-']);
/** Two-character punctuation, tried before one character. */
const DOUBLE_PUNCT = new Set(['<>', '!=', '<=', '>=', '<<', '>>']);

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function isNameStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}

function isNamePart(c: string | undefined): boolean {
  return c !== undefined && (isNameStart(c) || isDigit(c) || c === '$');
}

/** Splits `source` into tokens, the last one `eof`. Linear in the length of the source. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const n = source.length;
  let i = 0;
  while (i < n) {
    const c = source[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const start = i;
    let kind: TokenKind;
    let text: string | undefined;
    if (isNameStart(c)) {
      while (isNamePart(source[++i]));
      kind = 'name';
    } else if (isDigit(c)) {
      while (isDigit(source[++i]));
      if (source[i] === '.' && isDigit(source[i + 1])) while (isDigit(source[++i]));
      if ((source[i] === 'e' || source[i] === 'E') && (isDigit(source[i + 1]) || ((source[i + 1] === '+' || source[i + 1] === '-') && isDigit(source[i + 2])))) {
        i += 2;
        while (isDigit(source[i])) i++;
      }
      kind = 'number';
    } else if (c === '"' || c === "'") {
      const closed = readQuoted(source, i);
      if (closed === undefined) {
        i = n;
        kind = 'other';
      } else {
        ({ end: i, text } = closed);
        kind = c === '"' ? 'quoted' : 'string';
      }
    } else if (c === '?') {
      i++;
      kind = 'param';
    } else if (DOUBLE_PUNCT.has(source.slice(i, i + 2))) {
      i += 2;
      kind = 'punct';
    } else if (SINGLE_PUNCT.has(c) || c === '<' || c === '>') {
      i++;
      kind = 'punct';
    } else {
      // One code point, so a surrogate pair is reported whole.
      const code = source.charCodeAt(i);
      i += code >= 0xd800 && code <= 0xdbff && i + 1 < n ? 2 : 1;
      kind = 'other';
    }
    tokens.push({ kind, text: text ?? source.slice(start, i), start, end: i });
  }
  tokens.push({ kind: 'eof', text: '<EOF>', start: n, end: n });
  return tokens;
}

/** The quoted text starting at `start` (a doubled quote stands for one), or undefined if never closed. */
function readQuoted(source: string, start: number): { end: number; text: string } | undefined {
  const quote = source[start]!;
  let text = '';
  let from = start + 1;
  for (;;) {
    const close = source.indexOf(quote, from);
    if (close < 0) return undefined;
    text += source.slice(from, close);
    if (source[close + 1] !== quote) return { end: close + 1, text };
    text += quote;
    from = close + 2;
  }
}

/** A cursor over the tokens of one statement. */
export class TokenStream extends TokenCursor<Token> {
  constructor(readonly source: string) {
    super(tokenize(source));
  }
}
