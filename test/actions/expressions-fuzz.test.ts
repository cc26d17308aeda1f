import { mulberry32 as random } from '../support/random.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DynamoError, type Tidepool } from '../../src/index.js';
import { hashTable, withTables } from '../helpers.js';


const UPDATES = [
  'SET a = :n, b = :s',
  'SET #a = #a + :n',
  'SET l = list_append(l, :l)',
  'SET m.x = if_not_exists(m.x, :n)',
  'REMOVE l[0], b',
  'ADD n :n, ss :ss',
  'DELETE ss :ss',
  'SET a = :n REMOVE b ADD n :n DELETE ss :ss',
  'SET l[1] = :s, m.#a = :n',
];
const CONDITIONS = [
  'a = :n',
  'attribute_exists(a) AND NOT attribute_not_exists(#a)',
  'a BETWEEN :n AND :n OR b IN (:s, :s)',
  'begins_with(b, :s) AND contains(ss, :s)',
  'size(l) > :n AND attribute_type(m, :s)',
  '(a <> :n) OR (b < :s AND m.x >= :n)',
];
const TOKENS = ['(', ')', ',', '.', '[', ']', '[0]', '=', '<>', '<', '>=', '+', '-', ' AND ', ' OR ', ' NOT ', ' SET ', ' REMOVE ', ' ADD ', ' DELETE ', 'size(', 'a', '#a', ':n', ':s', ':zz', '#zz', 'BETWEEN', 'IN', 'name', '1', '', ' '];

function mutate(text: string, next: () => number): string {
  let out = text;
  for (let edits = 1 + Math.floor(next() * 3); edits > 0; edits--) {
    const at = Math.floor(next() * (out.length + 1));
    const r = next();
    if (r < 0.4) out = out.slice(0, at) + TOKENS[Math.floor(next() * TOKENS.length)] + out.slice(at);
    else if (r < 0.7) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(next() * 4));
    else out = out.slice(0, at) + String.fromCharCode(32 + Math.floor(next() * 95)) + out.slice(at + 1);
  }
  return out;
}

const ITEM = {
  pk: { S: 'k' },
  a: { N: '1' },
  b: { S: 'text' },
  l: { L: [{ S: 'x' }, { N: '2' }] },
  m: { M: { x: { N: '3' } } },
  n: { N: '4' },
  ss: { SS: ['text', 'other'] },
};

let db: Tidepool;
beforeAll(async () => {
  db = await withTables([hashTable()]);
});
afterAll(async () => db.close());

it('mutated expressions end in a result or a DynamoDB client error, and a failed write changes nothing', async () => {
  const next = random(2026);
  const names = { '#a': 'a' };
  const values = { ':n': { N: '1' }, ':s': { S: 'text' }, ':l': { L: [{ S: 'y' }] }, ':ss': { SS: ['other'] } };
  let failures = 0;
  for (let i = 0; i < 100_000; i++) {
    if (i % 50 === 0) await db.send('PutItem', { TableName: 'hashes', Item: ITEM });
    const before = (await db.send('GetItem', { TableName: 'hashes', Key: { pk: { S: 'k' } } })).Item;
    const update = next() < 0.7 ? mutate(UPDATES[Math.floor(next() * UPDATES.length)], next) : UPDATES[Math.floor(next() * UPDATES.length)];
    const condition = next() < 0.5 ? mutate(CONDITIONS[Math.floor(next() * CONDITIONS.length)], next) : undefined;
    try {
      await db.send('UpdateItem', {
        TableName: 'hashes',
        Key: { pk: { S: 'k' } },
        UpdateExpression: update,
        ...(condition === undefined ? {} : { ConditionExpression: condition }),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      });
    } catch (error) {
      failures++;
      const context = JSON.stringify({ update, condition });
      expect(error, context).toBeInstanceOf(DynamoError);
      expect(['ValidationException', 'ConditionalCheckFailedException'], context).toContain((error as Error).name);
      const after = (await db.send('GetItem', { TableName: 'hashes', Key: { pk: { S: 'k' } } })).Item;
      expect(after, context).toEqual(before);
    }
  }
  // Most mutations are invalid: the run exercised the error paths.
  expect(failures).toBeGreaterThan(50_000);
}, 120_000);
