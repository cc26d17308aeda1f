/**
 * IndexedDbStore under Tidepool in Chromium: what was acknowledged comes back exactly after a
 * reload, damaged records are reported, and a store the browser takes away fails writes cleanly.
 */
import { expect, test } from './fixtures.js';
import { loadItem, TABLE } from './data.js';

type Request = [string, unknown];

/** Every type of attribute value, in the forms a caller may give them. */
const person = (i: number) => ({
  pk: { S: `user#${i % 3}` },
  sk: { N: String(i) },
  name: { S: `Name ${i} 🌊` },
  score: { N: `${i}.50` },
  tags: { SS: ['b', `t${i}`] },
  blob: { B: 'AAH/' },
  ok: { BOOL: i % 2 === 0 },
  none: { NULL: true },
  nested: { M: { list: { L: [{ N: '1e2' }, { BS: ['AQ==', 'Ag=='] }, { NS: ['+3', '2.0'] }] } } },
});

/** `person(i)` as DynamoDB stores and returns it. */
const stored = (i: number) => ({
  ...person(i),
  score: { N: `${i}.5` },
  nested: { M: { list: { L: [{ N: '100' }, { BS: ['AQ==', 'Ag=='] }, { NS: ['3', '2'] }] } } },
});

const key = (pk: string, sk: number) => ({ pk: { S: pk }, sk: { N: String(sk) } });

const WRITES: Request[] = [
  ['CreateTable', TABLE],
  ...Array.from({ length: 30 }, (_, i): Request => ['PutItem', { TableName: 'items', Item: person(i) }]),
  ['UpdateItem', { TableName: 'items', Key: key('user#1', 1), UpdateExpression: 'SET #n = :n ADD score :d', ExpressionAttributeNames: { '#n': 'name' }, ExpressionAttributeValues: { ':n': { S: 'renamed' }, ':d': { N: '1' } } }],
  ['DeleteItem', { TableName: 'items', Key: key('user#2', 2) }],
  ['BatchWriteItem', { RequestItems: { items: [{ PutRequest: { Item: { ...key('user#9', 50), note: { S: 'batch' } } } }, { DeleteRequest: { Key: key('user#0', 6) } }] } }],
  ['TransactWriteItems', { TransactItems: [{ Put: { TableName: 'items', Item: { ...key('user#9', 100), note: { S: 'txn' } } } }, { Delete: { TableName: 'items', Key: key('user#0', 3) } }] }],
];

const byKey = (a: { pk: { S: string }; sk: { N: string } }, b: { pk: { S: string }; sk: { N: string } }) => a.pk.S.localeCompare(b.pk.S) || Number(a.sk.N) - Number(b.sk.N);

const EXPECTED = [
  ...Array.from({ length: 30 }, (_, i) => i)
    .filter((i) => i !== 2 && i !== 3 && i !== 6)
    .map((i) => (i === 1 ? { ...stored(1), name: { S: 'renamed' }, score: { N: '2.5' } } : stored(i))),
  { ...key('user#9', 50), note: { S: 'batch' } },
  { ...key('user#9', 100), note: { S: 'txn' } },
].sort(byKey);

test('acknowledged writes come back exactly after a reload, from the checkpoint and the log after it', async ({ tidepoolPage: page, origin }) => {
  // A small checkpoint threshold: the first writes end up in a checkpoint, the last ones in frames after it.
  await page.evaluate((writes) => window.tidepool.run('people', writes, 8_000), WRITES);
  expect(await page.evaluate(() => window.tidepool.records('people'))).toEqual({ manifest: true, pages: 1, frames: 12 });
  await page.reload();
  await page.waitForFunction(() => 'tidepool' in window);
  expect(await page.evaluate(() => window.tidepool.scan('people'))).toEqual(EXPECTED);
  expect(origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
});

test('write transactions never run at once: each one includes the log, checkpoints too', async ({ tidepoolPage: page }) => {
  // Chromium discards the whole database when the browser dies while two write transactions on
  // disjoint stores are committing (see src/storage/indexeddb.ts); a common store makes IndexedDB
  // run them one after another.
  const { scopes, withPages } = await page.evaluate(() => window.tidepool.writeScopes('scopes', 2_000, 16 * 1024));
  expect(scopes).toEqual([['log', 'meta'], ['log', 'meta', 'pages']]);
  expect(withPages).toBeGreaterThan(3);
});

test('a connection that another has taken over from can never write again', async ({ tidepoolPage: page }) => {
  const lost = { name: 'StorageUnavailableError', message: 'Tidepool: another connection has taken over writing IndexedDB database tidepool:taken-over (this one\'s tab was frozen or stalled)' };
  const failed = { name: 'InternalServerError', message: 'Internal server error', cause: lost };
  expect(await page.evaluate(() => window.tidepool.takenOver('taken-over'))).toEqual({ claims: [true, false, true], write: failed, again: failed, close: null, items: ['item#0000001', 'item#0000003'] });
});

test('a 100,000-item database is reopened and read', async ({ tidepoolPage: page }) => {
  await page.evaluate(() => window.tidepool.load('big', 100_000, 100, 40));
  await page.reload();
  await page.waitForFunction(() => 'tidepool' in window);
  expect(await page.evaluate(() => window.tidepool.getAndCount('big', 76_543))).toEqual({ item: loadItem(76_543, 100), count: 100_000 });
});

for (const what of ['log', 'manifest'] as const) {
  test(`a ${what} record that fails its checksum is reported on open`, async ({ tidepoolPage: page }) => {
    const checkpointBytes = what === 'manifest' ? 1 : undefined;
    await page.evaluate(([writes, checkpointBytes]) => window.tidepool.run('damaged', writes, checkpointBytes), [WRITES.slice(0, 5), checkpointBytes] as const);
    await page.evaluate((what) => window.tidepool.corrupt('damaged', what), what);
    expect(await page.evaluate(() => window.tidepool.openError('damaged'))).toEqual({
      name: 'StorageCorruptionError',
      message: `Tidepool: IndexedDB database tidepool:damaged is corrupt: ${what === 'log' ? 'log frame 0' : 'the manifest'} fails its checksum`,
    });
  });
}

test('a page that fails its checksum is reported on first use, never used', async ({ tidepoolPage: page }) => {
  await page.evaluate((writes) => window.tidepool.run('damaged', writes, 1), WRITES.slice(0, 5));
  await page.evaluate(() => window.tidepool.corrupt('damaged', 'page'));
  expect(await page.evaluate(() => window.tidepool.openError('damaged'))).toBeNull();
  const error = await page.evaluate(() => window.tidepool.scanError('damaged'));
  expect(error).toEqual({
    name: 'InternalServerError',
    message: 'Internal server error',
    cause: { name: 'StorageCorruptionError', message: expect.stringMatching(/^Tidepool: IndexedDB database tidepool:damaged is corrupt: page \d+ fails its checksum$/) },
  });
});

test('a database deleted by another connection fails the next write, without blocking the delete', async ({ tidepoolPage: page }) => {
  const reason = 'Tidepool: another connection is deleting or upgrading IndexedDB database tidepool:gone';
  const failed = { name: 'InternalServerError', message: 'Internal server error', cause: { name: 'StorageUnavailableError', message: reason } };
  expect(await page.evaluate(() => window.tidepool.deleteUnderneath('gone'))).toEqual({ deleted: true, failed });
});

test('a write over the storage quota fails with StorageUnavailableError and is undone', async ({ tidepoolPage: page, origin }) => {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: origin.slice(0, -1), quotaSize: 100_000 });
  expect(await page.evaluate(() => window.tidepool.overQuota('full'))).toEqual({
    name: 'InternalServerError',
    message: 'Internal server error',
    cause: { name: 'StorageUnavailableError', message: 'Tidepool: the storage quota for this site is used up: IndexedDB database tidepool:full cannot grow' },
  });
});
