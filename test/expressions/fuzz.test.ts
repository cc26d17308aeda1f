import { describe, expect, it } from 'vitest';
import { compile, type ExpressionKind, type ExpressionRequest } from '../../src/expressions/compile.js';
import type { AttributeValue } from '../../src/model/index.js';
import { mulberry32 } from '../support/random.js';

const NAMES = { '#a': 'a', '#b': 'status', '#c': '[3]' };
const VALUES: Record<string, AttributeValue> = {
  ':s': { S: 'x' },
  ':n': { N: '1' },
  ':l': { L: [{ S: 'y' }] },
  ':ss': { SS: ['a', 'b'] },
  ':t': { S: 'SS' },
  ':b': { B: 'YQ==' },
};

const CORPUS: [ExpressionKind, string][] = [
  ['ConditionExpression', 'attribute_exists(pk) AND #a = :s'],
  ['ConditionExpression', 'a = :s OR b = :n AND NOT c = :s'],
  ['ConditionExpression', '(a < :n OR (b >= :n)) AND size(#a.x[2]) <> :n'],
  ['ConditionExpression', 'x BETWEEN :n AND :n AND y IN (:s, :n, z)'],
  ['ConditionExpression', 'begins_with(#b, :s) AND contains(l, :s) AND attribute_type(m, :t)'],
  ['ConditionExpression', 'NOT attribute_not_exists(#a[0].#c)'],
  ['FilterExpression', '#a.b.c[1] > :n OR size(d) BETWEEN :n AND :n'],
  ['KeyConditionExpression', 'pk = :s AND sk BETWEEN :s AND :s'],
  ['KeyConditionExpression', '(#a = :s) AND (begins_with(sk, :s))'],
  ['UpdateExpression', 'SET a = :s, b = b + :n REMOVE c[2], #a.d ADD e :n DELETE f :ss'],
  ['UpdateExpression', 'SET #a = list_append(if_not_exists(#a, :l), :l), x = (y) - :n'],
  ['UpdateExpression', 'remove a, b set c = if_not_exists(c, :n) + :n'],
  ['UpdateExpression', 'ADD n :n SET #b = :s'],
  ['ProjectionExpression', 'pk, #a.b[0], c.d, #b'],
  ['ProjectionExpression', 'a[1][2].b, #c'],
];

const PIECES = [
  ' ', '(', ')', '((', '))', '[', ']', '[0]', '.', ',', '=', '<', '>', '<=', '>=', '<>', '+', '-', '!', '"', '_', '#', ':',
  '#a', '#b', '#x', ':s', ':n', ':l', ':zz', 'a', 'b', 'pk', 'status', 'name', 'AND', 'or', 'NOT', 'BETWEEN', 'IN', 'SET',
  'remove', 'ADD', 'DELETE', 'size', 'size(', 'contains(', 'begins_with(', 'attribute_exists(', 'if_not_exists(',
  'list_append(', 'f(', '1', '99999999999', 'é', '😀', '\t', '\n',
];

const KINDS: ExpressionKind[] = ['UpdateExpression', 'ConditionExpression', 'KeyConditionExpression', 'FilterExpression', 'ProjectionExpression'];

function mutate(text: string, random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const at = Math.floor(random() * (text.length + 1));
  switch (Math.floor(random() * 6)) {
    case 0:
      return text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 4));
    case 1:
      return text.slice(0, at) + pick(PIECES) + text.slice(at);
    case 2:
      return text.slice(0, at);
    case 3: {
      const end = at + Math.floor(random() * 12);
      return text.slice(0, end) + text.slice(at, end) + text.slice(end);
    }
    case 4:
      return text.slice(0, at) + pick(PIECES) + pick(PIECES) + text.slice(at + Math.floor(random() * 3));
    default:
      return Array.from({ length: 1 + Math.floor(random() * 12) }, () => pick(PIECES)).join(' ');
  }
}

/** The bound value objects are the request's own: binding copies nothing. */
function checkShared(node: unknown, values: Set<AttributeValue>): void {
  if (node === null || typeof node !== 'object') return;
  if ((node as { kind?: string }).kind === 'value') {
    expect(values.has((node as { value: AttributeValue }).value)).toBe(true);
    return;
  }
  for (const child of Object.values(node)) checkShared(child, values);
}

describe('fuzz: compile never throws', () => {
  it('returns a Compiled or a message for 120k random and mutated expressions', () => {
    const random = mulberry32(20240611);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const shared = new Set(Object.values(VALUES));
    let compiled = 0;
    let messages = 0;
    for (let i = 0; i < 120_000; i++) {
      const [corpusKind, seed] = pick(CORPUS);
      const kind = random() < 0.8 ? corpusKind : pick(KINDS);
      let text = seed;
      const rounds = 1 + Math.floor(random() * 3);
      for (let r = 0; r < rounds; r++) text = mutate(text, random);
      const request: ExpressionRequest = { [kind]: text };
      // Mostly the full maps (often reported unused), sometimes only what the text mentions.
      if (random() < 0.5) {
        request.ExpressionAttributeNames = NAMES;
        if (kind !== 'ProjectionExpression') request.ExpressionAttributeValues = VALUES;
      } else {
        const names = Object.fromEntries(Object.entries(NAMES).filter(([key]) => text.includes(key)));
        const values = Object.fromEntries(Object.entries(VALUES).filter(([key]) => text.includes(key)));
        if (Object.keys(names).length > 0) request.ExpressionAttributeNames = names;
        if (Object.keys(values).length > 0 && kind !== 'ProjectionExpression') request.ExpressionAttributeValues = values;
      }
      let result: ReturnType<typeof compile>;
      try {
        result = compile(request, KINDS);
      } catch (error) {
        throw new Error(`case ${i} threw on ${kind} ${JSON.stringify(text)}: ${String(error)}`);
      }
      if ('message' in result) {
        expect(typeof result.message).toBe('string');
        messages++;
      } else {
        checkShared(result, shared);
        compiled++;
      }
    }
    expect(compiled).toBeGreaterThan(1000);
    expect(messages).toBeGreaterThan(10000);
  });

  // A hang or a stack overflow here fails the test (vitest's timeout); no wall-clock assertion.
  it('answers hostile expressions with a message', () => {
    const hostile = [
      '('.repeat(10000) + 'a = :s' + ')'.repeat(10000),
      'a = :s' + ' AND a = :s'.repeat(50000),
      '('.repeat(4000),
      'a < ' + 'f('.repeat(2040) + 'b' + ')'.repeat(2040),
      'not '.repeat(1020) + 'a = :s',
      '((((((((((' .repeat(400),
      'a IN (' + ':s,'.repeat(1300) + ':s)',
      'a' + '.b'.repeat(2000),
      'a' + '[0]'.repeat(1300),
    ];
    for (const kind of KINDS) {
      for (const text of hostile) {
        const result = compile({ [kind]: text, ExpressionAttributeValues: kind === 'ProjectionExpression' ? undefined : { ':s': { S: 'x' } } }, KINDS);
        expect(result).toHaveProperty('message');
      }
    }
  });
});
