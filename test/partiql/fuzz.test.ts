import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoError, type Tidepool } from '../../src/index.js';
import { parseStatement } from '../../src/partiql/parser.js';
import { compositeTable, hashTable, withTables } from '../helpers.js';
import { mulberry32 as random } from '../support/random.js';

const VALID = [
  `SELECT * FROM "hashes" WHERE pk = 'a'`,
  `SELECT a.b[0], "c" FROM composite WHERE pk = ? AND sk BETWEEN 1 AND 5 AND NOT (v IN ('x', 'y') OR w IS MISSING)`,
  `SELECT * FROM composite WHERE begins_with(v, 'p') OR contains(l, 2) AND attribute_exists(m)`,
  `INSERT INTO hashes VALUE {'pk': ?, 'n': -1.5e3, 'm': {'l': [1, 'two', <<'s', 't'>>, <<1>>]}, 'b': true, 'z': null}`,
  `INSERT INTO composite VALUE {'pk': 'p', 'sk': 1, 'v': 'x'}`,
  `UPDATE hashes SET n = n + 1, l = list_append(l, [?]) REMOVE z SET m.k = 'v' WHERE pk = 'a' AND n <> 3`,
  `UPDATE composite SET v = if_not_exists(v, 'd') WHERE pk = 'p' AND sk = 1`,
  `DELETE FROM composite WHERE pk = 'p' AND sk = 1 AND v IS NOT MISSING`,
];
const TOKENS = [
  'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'FROM', 'WHERE', 'INTO', 'VALUE', 'SET', 'REMOVE', 'AND', 'OR', 'NOT', 'IN', 'IS',
  'MISSING', 'BETWEEN', 'pk', 'sk', '"hashes"', '"composite"', '"nosuch"', '"hashes"."i"', '?', "'a'", "''", '1', '-2', '1e400',
  '(', ')', '[', ']', '{', '}', '<<', '>>', ',', '.', ':', '*', '=', '<>', '<', '>=', '+', '-', "'", '"', ';', '😀', 'size(', 'x[',
];
const PARAMETERS = [{ S: 'a' }, { N: '1' }, { B: 'AQI=' }, { L: [{ M: {} }] }, { SS: ['a'] }, { BOOL: true }, { NULL: true }];

/** A valid statement with a few tokens inserted, deleted or replaced, or some random tokens. */
function mutate(next: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  if (next() < 0.2) return Array.from({ length: 1 + Math.floor(next() * 12) }, () => pick(TOKENS)).join(' ');
  const words = pick(VALID).split(' ');
  for (let n = 1 + Math.floor(next() * 3); n > 0; n--) {
    const at = Math.floor(next() * (words.length + 1));
    const r = next();
    if (r < 0.33) words.splice(at, 0, pick(TOKENS));
    else if (r < 0.66) words.splice(at, 1);
    else words[at] = pick(TOKENS);
  }
  return words.join(next() < 0.1 ? '' : ' ');
}

let db: Tidepool;
beforeAll(async () => {
  db = await withTables([hashTable(), compositeTable()]);
});
afterAll(async () => db.close());

describe('PartiQL under random statements', () => {
  it('parses any text to a statement or a message', () => {
    const next = random(5);
    for (let i = 0; i < 20_000; i++) {
      const text = mutate(next);
      const result = parseStatement(text);
      expect(typeof result === 'object' && result !== null, text).toBe(true);
    }
  });

  it('answers every request with a result or a DynamoDB client error, and a failed transaction writes nothing', async () => {
    const next = random(13);
    const scan = async () => JSON.stringify(await Promise.all(['hashes', 'composite'].map((TableName) => db.send('Scan', { TableName }))));
    for (let i = 0; i < 3_000; i++) {
      const statements = Array.from({ length: 1 + Math.floor(next() * 3) }, () => ({
        Statement: mutate(next),
        ...(next() < 0.5 ? { Parameters: Array.from({ length: 1 + Math.floor(next() * 2) }, () => PARAMETERS[Math.floor(next() * PARAMETERS.length)]) } : {}),
      }));
      const action = ['ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction'][i % 3]!;
      const input = action === 'ExecuteStatement' ? statements[0] : action === 'BatchExecuteStatement' ? { Statements: statements } : { TransactStatements: statements };
      const before = action === 'ExecuteTransaction' ? await scan() : '';
      try {
        await db.send(action, input);
      } catch (error) {
        expect(error, JSON.stringify({ action, input })).toBeInstanceOf(DynamoError);
        expect((error as DynamoError).name, JSON.stringify({ action, input, error: String(error) })).not.toBe('InternalServerError');
        if (action === 'ExecuteTransaction') expect(await scan(), JSON.stringify(input)).toBe(before);
      }
    }
  });
});
