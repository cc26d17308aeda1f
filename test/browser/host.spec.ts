/**
 * The browser host in Chromium: `openDatabase` from the built `tidepool/browser` bundle, in an app
 * built by Vite (host.html), under Vite's dev server and from a plain static server; the AWS SDK in the page; errors with
 * every field; same-tick batching; durability across a reload; a page that keeps painting; watch.
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { Page } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { expect, test } from './fixtures.js';
import { createServer } from 'vite';
import { serve } from './harness.js';

const openHost = async (page: Page, origin: string) => {
  await page.goto(`${origin}host.html`);
  await page.waitForFunction(() => 'host' in window);
};

const MUSIC: CreateTableCommandInput = {
  TableName: 'Music',
  AttributeDefinitions: [
    { AttributeName: 'Artist', AttributeType: 'S' },
    { AttributeName: 'Song', AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'Artist', KeyType: 'HASH' },
    { AttributeName: 'Song', KeyType: 'RANGE' },
  ],
  BillingMode: 'PAY_PER_REQUEST',
};

test('the AWS SDK and DocumentClient in a page, against openDatabase(...).requestHandler()', async ({ page, origin }) => {
  await openHost(page, origin);
  const result = await page.evaluate(async (table) => {
    const { openDatabase, clients, commands: c } = window.host;
    const db = await openDatabase('sdk');
    const { client, document } = clients(db);
    const created = await client.send(new c.CreateTableCommand(table));
    await client.send(new c.PutItemCommand({ TableName: 'Music', Item: { Artist: { S: 'Nina Simone' }, Song: { S: 'Sinnerman' }, Year: { N: '1965' } } }));
    await document.send(new c.PutCommand({ TableName: 'Music', Item: { Artist: 'Nina Simone', Song: 'Feeling Good', Year: 1965, Tags: new Set(['jazz', 'soul']) } }));
    const got = await client.send(new c.GetItemCommand({ TableName: 'Music', Key: { Artist: { S: 'Nina Simone' }, Song: { S: 'Sinnerman' } } }));
    const docGot = await document.send(new c.GetCommand({ TableName: 'Music', Key: { Artist: 'Nina Simone', Song: 'Feeling Good' } }));
    const queried = await document.send(new c.DocumentQueryCommand({ TableName: 'Music', KeyConditionExpression: 'Artist = :a', ExpressionAttributeValues: { ':a': 'Nina Simone' } }));
    const failure = async (send: Promise<unknown>) => {
      try {
        await send;
        return null;
      } catch (error) {
        const { name, message, CancellationReasons, Item, $metadata } = error as Record<string, any>;
        return { name, message, CancellationReasons, Item, status: $metadata.httpStatusCode };
      }
    };
    const cancelled = await failure(
      client.send(
        new c.TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'Music', Item: { Artist: { S: 'Nina Simone' }, Song: { S: 'Sinnerman' } }, ConditionExpression: 'attribute_not_exists(Artist)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
            { Put: { TableName: 'Music', Item: { Artist: { S: 'Miles Davis' }, Song: { S: 'So What' } } } },
          ],
        }),
      ),
    );
    const conditional = await failure(
      client.send(new c.PutItemCommand({ TableName: 'Music', Item: { Artist: { S: 'Nina Simone' }, Song: { S: 'Feeling Good' } }, ConditionExpression: '#y < :y', ExpressionAttributeNames: { '#y': 'Year' }, ExpressionAttributeValues: { ':y': { N: '1900' } }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })),
    );
    const missing = await client.send(new c.GetItemCommand({ TableName: 'Music', Key: { Artist: { S: 'Miles Davis' }, Song: { S: 'So What' } } }));
    await db.close();
    return {
      status: created.TableDescription?.TableStatus,
      got: got.Item,
      docGot: { ...docGot.Item, Tags: [...(docGot.Item?.Tags ?? [])].sort() },
      songs: queried.Items?.map((item) => item.Song),
      cancelled,
      conditional,
      missing: missing.Item ?? null,
    };
  }, MUSIC);
  expect(result).toEqual({
    status: 'CREATING',
    got: { Artist: { S: 'Nina Simone' }, Song: { S: 'Sinnerman' }, Year: { N: '1965' } },
    docGot: { Artist: 'Nina Simone', Song: 'Feeling Good', Year: 1965, Tags: ['jazz', 'soul'] },
    songs: ['Feeling Good', 'Sinnerman'],
    cancelled: {
      name: 'TransactionCanceledException',
      message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]',
      CancellationReasons: [
        { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { Artist: { S: 'Nina Simone' }, Song: { S: 'Sinnerman' }, Year: { N: '1965' } } },
        { Code: 'None' },
      ],
      Item: undefined,
      status: 400,
    },
    conditional: {
      name: 'ConditionalCheckFailedException',
      message: 'The conditional request failed',
      CancellationReasons: undefined,
      Item: { Artist: { S: 'Nina Simone' }, Song: { S: 'Feeling Good' }, Year: { N: '1965' }, Tags: { SS: ['jazz', 'soul'] } },
      status: 400,
    },
    missing: null,
  });
});

test('send() and the camel-case methods reject with DynamoDB errors that keep every field', async ({ page, origin }) => {
  await openHost(page, origin);
  const errors = await page.evaluate(async (table) => {
    const db = await window.host.openDatabase('errors');
    await db.createTable(table);
    await db.putItem({ TableName: 'Music', Item: { Artist: { S: 'A' }, Song: { S: 'B' } } });
    const failure = (send: Promise<unknown>) =>
      send.then(
        () => null,
        (error: Error & Record<string, unknown>) => ({ isError: error instanceof Error, name: error.name, message: error.message, fields: Object.fromEntries(Object.entries(error).filter(([key]) => key !== 'name')) }),
      );
    const all = await Promise.all([
      failure(db.getItem({ TableName: 'Nope', Key: { Artist: { S: 'A' } } })),
      failure(db.send('PutItem', { TableName: 'Music', Item: { Artist: { S: 'A' }, Song: { S: 'B' } }, ConditionExpression: 'attribute_not_exists(Song)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })),
      failure(
        db.transactWriteItems({
          TransactItems: [
            { ConditionCheck: { TableName: 'Music', Key: { Artist: { S: 'A' }, Song: { S: 'B' } }, ConditionExpression: 'attribute_not_exists(Song)' } },
            { Delete: { TableName: 'Music', Key: { Artist: { S: 'C' }, Song: { S: 'D' } } } },
          ],
        }),
      ),
    ]);
    await db.close();
    const afterClose = await failure(db.getItem({ TableName: 'Music', Key: { Artist: { S: 'A' }, Song: { S: 'B' } } }));
    return [...all, afterClose];
  }, MUSIC);
  expect(errors).toEqual([
    { isError: true, name: 'ResourceNotFoundException', message: 'Requested resource not found', fields: {} },
    { isError: true, name: 'ConditionalCheckFailedException', message: 'The conditional request failed', fields: { Item: { Artist: { S: 'A' }, Song: { S: 'B' } } } },
    {
      isError: true,
      name: 'TransactionCanceledException',
      message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]',
      fields: { CancellationReasons: [{ Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' }, { Code: 'None' }] },
    },
    { isError: true, name: 'Error', message: 'Tidepool database is closed', fields: {} },
  ]);
});

test('calls made in one tick travel to the worker as one message, and come back in order', async ({ page, origin }) => {
  await openHost(page, origin);
  const result = await page.evaluate(async () => {
    const { openDatabase, TABLE, loadItem } = window.host;
    const db = await openDatabase('batching');
    await db.createTable(TABLE);
    await Promise.all(Array.from({ length: 100 }, (_, i) => db.putItem({ TableName: TABLE.TableName, Item: loadItem(i, 40) })));
    const before = await db.stats();
    const items = await Promise.all(Array.from({ length: 100 }, (_, i) => db.getItem({ TableName: TABLE.TableName, Key: { pk: loadItem(i, 40).pk, sk: loadItem(i, 40).sk } })));
    const after = await db.stats();
    // A put, an update and a read of one key in one batch: the read sees both writes, in order.
    const [, , read] = await Promise.all([
      db.putItem({ TableName: TABLE.TableName, Item: { ...loadItem(0, 40), n: { N: '1' } } }),
      db.updateItem({ TableName: TABLE.TableName, Key: { pk: loadItem(0, 40).pk, sk: loadItem(0, 40).sk }, UpdateExpression: 'SET n = n + :one', ExpressionAttributeValues: { ':one': { N: '1' } } }),
      db.getItem({ TableName: TABLE.TableName, Key: { pk: loadItem(0, 40).pk, sk: loadItem(0, 40).sk }, ProjectionExpression: 'n' }),
    ]);
    await db.close();
    return {
      batches: after.batches - before.batches,
      calls: after.calls - before.calls,
      // Answered 64 calls a message, so the page reads the first answers while the worker runs the rest.
      answers: after.answers - before.answers,
      same: items.every((out, i) => JSON.stringify(out.Item) === JSON.stringify(loadItem(i, 40))),
      read: read.Item,
    };
  });
  expect(result).toEqual({ batches: 1, calls: 100, answers: 2, same: true, read: { n: { N: '2' } } });
});

test('a long batch is answered a slice at a time, in order, with its writes answered once durable', async ({ page, origin }) => {
  await openHost(page, origin);
  const result = await page.evaluate(async () => {
    const { openDatabase, TABLE, loadItem } = window.host;
    const db = await openDatabase('slices');
    await db.createTable(TABLE);
    const key = (i: number) => ({ pk: loadItem(i, 40).pk, sk: loadItem(i, 40).sk });
    const before = await db.stats();
    const order: string[] = [];
    // 200 calls in one tick: 70 puts, then 130 reads of the keys they write.
    const puts = Array.from({ length: 70 }, (_, i) => db.putItem({ TableName: TABLE.TableName, Item: loadItem(i, 40) }).then(() => order.push('put')));
    const gets = Array.from({ length: 130 }, (_, i) => db.getItem({ TableName: TABLE.TableName, Key: key(i % 70) }).then((out) => (order.push('get'), out.Item)));
    const items = await Promise.all(gets);
    await Promise.all(puts);
    const after = await db.stats();
    await db.close();
    return {
      batches: after.batches - before.batches,
      answers: after.answers - before.answers,
      order: order.join(' '),
      same: items.every((item, i) => JSON.stringify(item) === JSON.stringify(loadItem(i % 70, 40))),
    };
  });
  // Calls 0-63 are all puts, waiting for the log: no message. Then 64-127, 128-191 and 192-199
  // (reads, and six puts still waiting), and last the 70 puts once durable.
  expect(result).toEqual({ batches: 1, answers: 4, order: [...Array(130).fill('get'), ...Array(70).fill('put')].join(' '), same: true });
});

test('a read batched with writes is answered before they are durable; values JSON cannot carry travel by structured clone', async ({ page, origin }) => {
  await openHost(page, origin);
  const result = await page.evaluate(async () => {
    const { openDatabase, TABLE } = window.host;
    const db = await openDatabase('split-replies');
    await db.createTable({ ...TABLE, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }] });
    await db.putItem({ TableName: TABLE.TableName, Item: { pk: { S: 'old' }, sk: { N: '0' } } });
    const order: string[] = [];
    const key = { pk: { S: 'bin' }, sk: { N: '1' } };
    const calls = [
      db.putItem({ TableName: TABLE.TableName, Item: { ...key, b: { B: new Uint8Array([1, 2, 3]) }, bs: { BS: [new Uint8Array([4])] } } }).then(() => order.push('put')),
      db.getItem({ TableName: TABLE.TableName, Key: { pk: { S: 'old' }, sk: { N: '0' } } }).then(() => order.push('read')),
      db.getItem({ TableName: TABLE.TableName, Key: key }).then((out) => (order.push('read new'), out.Item)),
    ];
    const [, , written] = await Promise.all(calls);
    // JSON would turn NaN into null, which counts as absent: the worker gets NaN itself, as Tidepool in Node does.
    const nan = await db.scan({ TableName: TABLE.TableName, Limit: NaN }).catch((error: Error) => `${error.name}: ${error.message}`);
    await db.close();
    return { order, written, nan };
  });
  expect(result.order).toEqual(['read', 'read new', 'put']);
  expect(result.written).toEqual({ pk: { S: 'bin' }, sk: { N: '1' }, b: { B: 'AQID' }, bs: { BS: ['BA=='] } });
  expect(result.nan).toBe('SerializationException: NaN is not a JSON number');
});

test('what the worker acknowledged is there after a page reload', async ({ page, origin }) => {
  await openHost(page, origin);
  await page.evaluate(async (table) => {
    const db = await window.host.openDatabase('reload');
    await db.createTable(table);
    await Promise.all(Array.from({ length: 50 }, (_, i) => db.putItem({ TableName: 'Music', Item: { Artist: { S: 'A' }, Song: { S: `song ${String(i).padStart(2, '0')}` } } })));
    await db.deleteItem({ TableName: 'Music', Key: { Artist: { S: 'A' }, Song: { S: 'song 07' } } });
  }, MUSIC);
  // No close: the tab goes away with its worker, as when a user reloads.
  await page.reload();
  await page.waitForFunction(() => 'host' in window);
  const songs = await page.evaluate(async () => {
    const db = await window.host.openDatabase('reload');
    const { Items } = await db.query({ TableName: 'Music', KeyConditionExpression: 'Artist = :a', ExpressionAttributeValues: { ':a': { S: 'A' } } });
    await db.close();
    return Items.map((item: { Song: { S: string } }) => item.Song.S);
  });
  expect(songs).toEqual(Array.from({ length: 50 }, (_, i) => `song ${String(i).padStart(2, '0')}`).filter((song) => song !== 'song 07'));
});

test('the page keeps painting (requestAnimationFrame fires) while the worker loads 20k items', async ({ page, origin }) => {
  await openHost(page, origin);
  const result = await page.evaluate(async () => {
    const { openDatabase, TABLE, loadItem } = window.host;
    const db = await openDatabase('load');
    await db.createTable(TABLE);
    const requests: object[] = [];
    for (let at = 0; at < 20_000; at += 25) {
      const puts = Array.from({ length: 25 }, (_, i) => ({ PutRequest: { Item: loadItem(at + i, 100) } }));
      requests.push({ RequestItems: { [TABLE.TableName]: puts } });
    }
    let loading = true;
    let frames = 0;
    const paint = () => {
      if (!loading) return;
      frames++;
      requestAnimationFrame(paint);
    };
    requestAnimationFrame(paint);
    // Eight writers, each waiting for its answer: the load spans many frames.
    let next = 0;
    const writer = async () => {
      while (next < requests.length) await db.batchWriteItem(requests[next++]);
    };
    await Promise.all(Array.from({ length: 8 }, writer));
    loading = false;
    let count = 0;
    let ExclusiveStartKey;
    do {
      const out = await db.scan({ TableName: TABLE.TableName, Select: 'COUNT', ExclusiveStartKey });
      count += out.Count;
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    await db.close();
    return { count, painted: frames > 1 };
  });
  expect(result).toEqual({ count: 20_000, painted: true });
});

test('the built bundle works under the Vite dev server, worker and wasm included, with no console errors', async ({ page }) => {
  const server = await createServer({
    configFile: fileURLToPath(new URL('./vite.config.ts', import.meta.url)),
    server: { host: '127.0.0.1', port: 0 },
    logLevel: 'error',
  });
  await server.listen();
  const problems: string[] = [];
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  page.on('pageerror', (error) => problems.push(error.message));
  try {
    await openHost(page, server.resolvedUrls!.local[0]);
    const item = await page.evaluate(async () => {
      const { openDatabase, TABLE, loadItem } = window.host;
      const db = await openDatabase('vite-dev');
      await db.createTable(TABLE);
      await db.putItem({ TableName: TABLE.TableName, Item: loadItem(1, 50) });
      const { Item } = await db.getItem({ TableName: TABLE.TableName, Key: { pk: loadItem(1, 50).pk, sk: loadItem(1, 50).sk } });
      await db.close();
      return Item;
    });
    expect(item).toEqual({ pk: { S: 'item#0000001' }, sk: { N: '1' }, data: { S: 'x'.repeat(28) } });
    expect(problems).toEqual([]);
  } finally {
    await server.close();
  }
});

test('the built bundle works from a plain static server, with no bundler in between', async ({ page }) => {
  const server = await serve(fileURLToPath(new URL('../../dist/browser/', import.meta.url)));
  try {
    await page.goto(`${server.url}browser.js`);
    const item = await page.evaluate(async (table) => {
      const { openDatabase } = await import(`${location.origin}/browser.js`);
      const db = await openDatabase('static');
      await db.send('CreateTable', table);
      await db.send('PutItem', { TableName: 'Music', Item: { Artist: { S: 'A' }, Song: { S: 'B' } } });
      const { Item } = await db.send('GetItem', { TableName: 'Music', Key: { Artist: { S: 'A' }, Song: { S: 'B' } } });
      await db.close();
      return Item;
    }, MUSIC);
    expect(item).toEqual({ Artist: { S: 'A' }, Song: { S: 'B' } });
  } finally {
    await server.close();
  }
});

test('watch delivers a Scan result (an input with no Key and no key condition), then again when a write changes it', async ({ page, origin }) => {
  await openHost(page, origin);
  const scanned = await page.evaluate(async (table) => {
    const db = await window.host.openDatabase('watch-scan');
    await db.createTable(table);
    const seen: unknown[] = [];
    const until = async (length: number) => {
      while (seen.length < length) await new Promise((resolve) => setTimeout(resolve, 0));
    };
    await db.watch({ TableName: 'Music', Limit: 1, ProjectionExpression: 'Song' }, (output) => seen.push(output));
    await until(1);
    await db.putItem({ TableName: 'Music', Item: { Artist: { S: 'A' }, Song: { S: '1' } } });
    await until(2);
    await db.deleteItem({ TableName: 'Music', Key: { Artist: { S: 'A' }, Song: { S: '1' } } });
    await until(3);
    await db.close();
    return seen;
  }, MUSIC);
  expect(scanned).toEqual([
    { Items: [], Count: 0, ScannedCount: 0 },
    { Items: [{ Song: { S: '1' } }], Count: 1, ScannedCount: 1, LastEvaluatedKey: { Artist: { S: 'A' }, Song: { S: '1' } } },
    { Items: [], Count: 0, ScannedCount: 0 },
  ]);
});

test('watch delivers a GetItem or Query result, then again each time a write changes it', async ({ page, origin }) => {
  await openHost(page, origin);
  const result = await page.evaluate(async (table) => {
    const db = await window.host.openDatabase('watch');
    await db.createTable(table);
    const got: unknown[] = [];
    const queried: unknown[] = [];
    const errors: unknown[] = [];
    // Deliveries arrive on their own channel: wait for the one a step should cause before the next step.
    const until = async (list: unknown[], length: number) => {
      while (list.length < length) await new Promise((resolve) => setTimeout(resolve, 0));
    };
    const song = (artist: string, title: string, v?: number) => ({ Artist: { S: artist }, Song: { S: title }, ...(v === undefined ? {} : { v: { N: String(v) } }) });
    const put = (item: object) => db.putItem({ TableName: 'Music', Item: item });

    const unwatchGet = await db.watch({ TableName: 'Music', Key: song('A', '1') }, (output) => got.push(output));
    await db.watch(
      { TableName: 'Music', KeyConditionExpression: 'Artist = :a', ExpressionAttributeValues: { ':a': { S: 'A' } }, ProjectionExpression: 'Song' },
      (output) => queried.push(output),
      (error) => errors.push({ name: error.name, message: error.message }),
    );
    await until(got, 1);
    await until(queried, 1);
    await put(song('A', '1', 1));
    await until(got, 2);
    await until(queried, 2);
    // Changes neither result: the next deliveries must be those of the steps after it.
    await put(song('B', '1', 1));
    await db.batchWriteItem({ RequestItems: { Music: [{ PutRequest: { Item: song('A', '2') } }, { PutRequest: { Item: song('A', '3') } }] } });
    await until(queried, 3);
    await put(song('A', '1', 1));
    await db.updateItem({ TableName: 'Music', Key: song('A', '1'), UpdateExpression: 'SET v = v + :one', ExpressionAttributeValues: { ':one': { N: '1' } } });
    await until(got, 3);
    await db.deleteItem({ TableName: 'Music', Key: song('A', '1') });
    await until(got, 4);
    await until(queried, 4);
    await unwatchGet();
    await put(song('A', '1', 9));
    await until(queried, 5);
    await db.deleteTable({ TableName: 'Music' });
    await until(errors, 1);
    await db.close();
    return { got, queried, errors };
  }, MUSIC);
  const items = (...songs: string[]) => ({ Items: songs.map((s) => ({ Song: { S: s } })), Count: songs.length, ScannedCount: songs.length });
  expect(result).toEqual({
    got: [{}, { Item: { Artist: { S: 'A' }, Song: { S: '1' }, v: { N: '1' } } }, { Item: { Artist: { S: 'A' }, Song: { S: '1' }, v: { N: '2' } } }, {}],
    queried: [items(), items('1'), items('1', '2', '3'), items('2', '3'), items('1', '2', '3')],
    errors: [{ name: 'ResourceNotFoundException', message: 'Requested resource not found' }],
  });
});

test('a GetItem watch runs again only for writes that may change its item, a Query watch only for writes to its partition', async ({ page, origin }) => {
  await openHost(page, origin);
  const result = await page.evaluate(async (table) => {
    const db = await window.host.openDatabase('watch-keys');
    await db.createTable(table);
    const seen: string[] = [];
    const until = async (length: number) => {
      while (seen.length < length) await new Promise((resolve) => setTimeout(resolve, 0));
    };
    const song = (artist: string, title: string, v?: number) => ({ Artist: { S: artist }, Song: { S: title }, ...(v === undefined ? {} : { v: { N: String(v) } }) });
    for (const title of ['1', '2']) await db.watch({ TableName: 'Music', Key: song('A', title) }, ({ Item }) => seen.push(`${title}:${Item?.v?.N ?? '-'}`));
    await until(2);
    const runs = async () => (await db.stats()).watchRuns;
    const before = await runs();
    // Another item of the same table, then item 1 (in a tick of its own, after the first has been heard of).
    await db.putItem({ TableName: 'Music', Item: song('B', '1', 5) });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await db.putItem({ TableName: 'Music', Item: song('A', '1', 7) });
    await until(3);
    const getRuns = (await runs()) - before;
    await db.watch({ TableName: 'Music', KeyConditionExpression: 'Artist = :a', ExpressionAttributeValues: { ':a': { S: 'Z' } } }, () => seen.push('query'));
    await until(4);
    const beforeQuery = await runs();
    // Another partition, then the Query's own.
    await db.putItem({ TableName: 'Music', Item: song('B', '2', 1) });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await db.putItem({ TableName: 'Music', Item: song('Z', '1', 1) });
    await until(5);
    const queryRuns = (await runs()) - beforeQuery;
    await db.close();
    return { seen, getRuns, queryRuns };
  }, MUSIC);
  // The write to B/1 ran no watch, the write to A/1 ran A/1's alone; B/2 ran none, and Z/1 only the Query.
  expect(result).toEqual({ seen: ['1:-', '2:-', '1:7', 'query', 'query'], getRuns: 1, queryRuns: 1 });
});

test('watch hears of a write only once it is durable: one that fails is never delivered', async ({ page, origin }) => {
  await openHost(page, origin);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: origin.slice(0, -1), quotaSize: 200_000 });
  const result = await page.evaluate(async (table) => {
    const db = await window.host.openDatabase('watch-durable');
    await db.createTable(table);
    const got: unknown[] = [];
    const until = async (length: number) => {
      while (got.length < length) await new Promise((resolve) => setTimeout(resolve, 0));
    };
    const key = { Artist: { S: 'A' }, Song: { S: '1' } };
    await db.watch({ TableName: 'Music', Key: key }, (output) => got.push(output));
    await until(1);
    // Over the quota: applied in memory, refused by IndexedDB, undone.
    const failed = await db.putItem({ TableName: 'Music', Item: { ...key, big: { S: 'x'.repeat(300_000) } } }).catch((error: Error) => `${error.name}: ${(error.cause as Error)?.name}`);
    await db.putItem({ TableName: 'Music', Item: { ...key, v: { N: '1' } } });
    await until(2);
    await db.close();
    return { failed, got };
  }, MUSIC);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: origin.slice(0, -1) });
  expect(result).toEqual({ failed: 'InternalServerError: StorageUnavailableError', got: [{}, { Item: { Artist: { S: 'A' }, Song: { S: '1' }, v: { N: '1' } } }] });
});

test('a call the page cannot send fails by itself, and the calls around it go on', async ({ page, origin }) => {
  await openHost(page, origin);
  const result = await page.evaluate(async () => {
    const { openDatabase, TABLE, loadItem } = window.host;
    const db = await openDatabase('unsendable');
    await db.createTable(TABLE);
    const outcome = (promise: Promise<unknown>) => promise.then(() => 'ok', (error: Error) => `${error.name}: ${error.message}`);
    const throwing = { TableName: TABLE.TableName, get Item(): never { throw new RangeError('no item here'); } };
    // JSON cannot carry the Map, and no structured clone takes the function inside it.
    const uncloneable = { TableName: TABLE.TableName, Item: loadItem(2, 40), Extra: new Map([['f', () => 1]]) };
    const outcomes = await Promise.all([
      outcome(db.putItem({ TableName: TABLE.TableName, Item: loadItem(1, 40) })),
      outcome(db.putItem(throwing)),
      outcome(db.putItem(uncloneable)),
      outcome(db.putItem({ TableName: TABLE.TableName, Item: loadItem(3, 40) })),
    ]);
    const { Count } = await db.scan({ TableName: TABLE.TableName, Select: 'COUNT' });
    await db.close();
    return { outcomes, Count };
  });
  expect(result.outcomes[0]).toBe('ok');
  expect(result.outcomes[1]).toBe('RangeError: no item here');
  expect(result.outcomes[2]).toMatch(/^DataCloneError: /);
  expect(result).toMatchObject({ outcomes: { 3: 'ok' }, Count: 2 });
});

test('openDatabase refuses a stalledWriterMs that is not a positive number of milliseconds', async ({ page, origin }) => {
  await openHost(page, origin);
  const refused = await page.evaluate(async () => {
    const outcomes: string[] = [];
    for (const stalledWriterMs of [0, -1, Number.NaN, 2 ** 31, '500' as unknown as number]) {
      outcomes.push(await window.host.openDatabase('options', { stalledWriterMs }).then(() => 'opened', (error: Error) => `${error.name}: ${error.message}`));
    }
    return outcomes;
  });
  expect(refused).toEqual([
    'RangeError: Tidepool: stalledWriterMs must be a number of milliseconds above 0, not 0',
    'RangeError: Tidepool: stalledWriterMs must be a number of milliseconds above 0, not -1',
    'RangeError: Tidepool: stalledWriterMs must be a number of milliseconds above 0, not NaN',
    'RangeError: Tidepool: stalledWriterMs must be a number of milliseconds above 0, not 2147483648',
    'RangeError: Tidepool: stalledWriterMs must be a number of milliseconds above 0, not "500"',
  ]);
});
