/**
 * One database in several tabs: the first tab's worker writes, the others send it their calls,
 * and when the writer's tab closes another takes over from what is durable.
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { BrowserContext, CDPSession, Page } from '@playwright/test';
import type { OpenDatabaseOptions } from '../../src/browser.js';
import { expect, test } from './fixtures.js';

const MUSIC: CreateTableCommandInput = {
  TableName: 'Music',
  AttributeDefinitions: [
    { AttributeName: 'Artist', AttributeType: 'S' },
    { AttributeName: 'Song', AttributeType: 'N' },
  ],
  KeySchema: [
    { AttributeName: 'Artist', KeyType: 'HASH' },
    { AttributeName: 'Song', KeyType: 'RANGE' },
  ],
  BillingMode: 'PAY_PER_REQUEST',
};

/** `count` tabs of one browser profile, each with the database open as `window.db`; the first creates the table, if `create`. */
async function openTabs(context: BrowserContext, origin: string, name: string, count: number, create = true, options: OpenDatabaseOptions = {}): Promise<Page[]> {
  const tabs: Page[] = [];
  for (let i = 0; i < count; i++) {
    const tab = await context.newPage();
    await tab.goto(`${origin}host.html`);
    await tab.waitForFunction(() => 'host' in window);
    await tab.evaluate(
      async ([name, table, first, options]) => {
        const db = await window.host.openDatabase(name, options);
        Object.assign(window, { db });
        if (first) await db.createTable(table);
      },
      [name, MUSIC, create && i === 0, options] as const,
    );
    tabs.push(tab);
  }
  return tabs;
}

declare global {
  interface Window {
    db: Awaited<ReturnType<Window['host']['openDatabase']>>;
    acked: number[];
    seen: unknown[];
  }
}

const isWriter = (page: Page) => page.evaluate(async () => (await window.db.stats()).writer);

/**
 * Has the page hold a transaction on the log of IndexedDB database `database` open, so that the
 * writer's next commit waits behind it; resolves to the function that lets it go.
 */
async function holdLog(page: Page, database: string): Promise<() => Promise<void>> {
  await page.evaluate(async (database) => {
    const store = (await window.host.indexedDb(database)).transaction('log', 'readwrite').objectStore('log');
    Object.assign(window, { holding: true });
    const spin = () => (window as unknown as { holding: boolean }).holding && (store.get(0).onsuccess = spin);
    spin();
  }, database);
  return async () => {
    await page.evaluate(() => Object.assign(window, { holding: false }));
  };
}

/** The songs of artist 'race', in key order: [song, tab that wrote it]. */
const songs = (page: Page): Promise<Array<[number, number]>> =>
  page.evaluate(async () => {
    const { Items } = await window.db.query({ TableName: 'Music', KeyConditionExpression: 'Artist = :a', ExpressionAttributeValues: { ':a': { S: 'race' } } });
    return Items.map((item: { Song: { N: string }; Tab: { N: string } }): [number, number] => [Number(item.Song.N), Number(item.Tab.N)]);
  });

for (const count of [2, 3]) {
  test(`${count} tabs racing conditional writes: each item is written once, and every tab reads the same`, async ({ context, origin }) => {
    const tabs = await openTabs(context, origin, `race-${count}`, count);
    expect(await Promise.all(tabs.map(isWriter))).toEqual([true, ...Array(count - 1).fill(false)]);
    const outcomes = await Promise.all(
      tabs.map((tab, t) =>
        tab.evaluate(async (t) => {
          const won: number[] = [];
          const lost: string[] = [];
          await Promise.all(
            Array.from({ length: 100 }, (_, i) =>
              window.db
                .putItem({ TableName: 'Music', Item: { Artist: { S: 'race' }, Song: { N: String(i) }, Tab: { N: String(t) } }, ConditionExpression: 'attribute_not_exists(Song)' })
                .then(
                  () => won.push(i),
                  (error: Error) => lost.push(error.name),
                ),
            ),
          );
          return { won, lost: [...new Set(lost)] };
        }, t),
      ),
    );
    const owner = new Map<number, number>();
    outcomes.forEach(({ won }, t) => won.forEach((i) => owner.set(i, t)));
    expect(outcomes.reduce((sum, { won }) => sum + won.length, 0)).toBe(100);
    expect([...owner.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    for (const { won, lost } of outcomes) expect(lost).toEqual(won.length === 100 ? [] : ['ConditionalCheckFailedException']);
    const expected = [...owner].sort(([a], [b]) => a - b);
    for (const tab of tabs) expect(await songs(tab)).toEqual(expected);
  });
}

test('closing the writer tab mid-stream: another tab takes over and no acknowledged write is lost', async ({ context, origin }) => {
  const [writer, other] = await openTabs(context, origin, 'takeover', 2);
  const streaming = other.evaluate(async () => {
    window.acked = [];
    const failures: string[] = [];
    for (let i = 0; i < 400; i++) {
      for (;;) {
        try {
          await window.db.putItem({ TableName: 'Music', Item: { Artist: { S: 'race' }, Song: { N: String(i) }, Tab: { N: '1' } } });
          window.acked.push(i);
          break;
        } catch (error) {
          // The one answer a takeover may give: the write's outcome is unknown, so it is sent again.
          failures.push(`${(error as Error).name}: ${((error as Error).cause as Error | undefined)?.name}`);
        }
      }
    }
    return [...new Set(failures)];
  });
  expect([await isWriter(writer), await isWriter(other)]).toEqual([true, false]);
  await other.waitForFunction(() => window.acked?.length >= 100);
  await writer.close();
  const failures = await streaming;
  expect(failures.filter((failure) => failure !== 'InternalServerError: WriterGone')).toEqual([]);
  expect(await songs(other)).toEqual(Array.from({ length: 400 }, (_, i) => [i, 1]));
  expect(await isWriter(other)).toBe(true);
  // A tab opened now reads it all from the new writer.
  const [late] = await openTabs(context, origin, 'takeover', 1, false);
  expect(await songs(late)).toEqual(Array.from({ length: 400 }, (_, i) => [i, 1]));
});

test('a write the writer tab received but never made durable fails as DynamoDB fails an unknown outcome, and the SDK retries it', async ({ context, origin }) => {
  const [writer, other] = await openTabs(context, origin, 'writer-gone', 2);
  expect([await isWriter(writer), await isWriter(other)]).toEqual([true, false]);
  // The writer's page holds the log, so its worker's next commit waits behind it (until the tab closes).
  await holdLog(writer, 'tidepool:writer-gone');
  const seen = await other.evaluate(async () => {
    const { client } = window.host.clients(window.db);
    const { PutItemCommand } = window.host.commands;
    const item = (song: string) => ({ Artist: { S: 'gone' }, Song: { N: song } });
    Object.assign(window, {
      viaSend: window.db.putItem({ TableName: 'Music', Item: item('1') }).then(
        () => 'acknowledged',
        (error: Error) => `${error.name}: ${error.message} (${(error.cause as Error | undefined)?.name})`,
      ),
      viaSdk: client.send(new PutItemCommand({ TableName: 'Music', Item: item('2') })).then(
        (output) => `acknowledged after ${output.$metadata.attempts} attempts`,
        (error: Error) => `${error.name}: ${error.message}`,
      ),
    });
    // Once the writer has received and applied both writes, a read (in a batch of its own: the
    // writer answers another tab's batch whole) sees them, though neither is durable.
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      const { Items } = await window.db.query({ TableName: 'Music', KeyConditionExpression: 'Artist = :a', ExpressionAttributeValues: { ':a': { S: 'gone' } } });
      if (Items.length === 2) return Items.map((item: { Song: { N: string } }) => item.Song.N);
    }
  });
  expect(seen).toEqual(['1', '2']);
  await writer.close();
  const outcome = await other.evaluate(async () => {
    const [viaSend, viaSdk] = await Promise.all([(window as unknown as { viaSend: Promise<string> }).viaSend, (window as unknown as { viaSdk: Promise<string> }).viaSdk]);
    const sdkItem = await window.db.getItem({ TableName: 'Music', Key: { Artist: { S: 'gone' }, Song: { N: '2' } } });
    return { viaSend, viaSdk, sdkItem: sdkItem.Item, writer: (await window.db.stats()).writer };
  });
  // Whether the first write became durable as the tab closed is unknown, as the error says.
  expect(outcome).toEqual({
    viaSend: 'InternalServerError: Internal server error (WriterGone)',
    viaSdk: 'acknowledged after 2 attempts',
    sdkItem: { Artist: { S: 'gone' }, Song: { N: '2' } },
    writer: true,
  });
});

test('a tab that cannot open the database when its turn to write comes fails its calls with the reason, instead of waiting', async ({ context, origin }) => {
  const [writer, other] = await openTabs(context, origin, 'takeover-fails', 2);
  expect([await isWriter(writer), await isWriter(other)]).toEqual([true, false]);
  await other.evaluate(() => window.db.putItem({ TableName: 'Music', Item: { Artist: { S: 'a' }, Song: { N: '1' } } }));
  // The writer's page overwrites the checkpoint's manifest with bytes that fail their checksum.
  await writer.evaluate(async () => {
    const tx = (await window.host.indexedDb('tidepool:takeover-fails')).transaction('meta', 'readwrite');
    tx.objectStore('meta').put(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), 'manifest');
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
  });
  await writer.close();
  const outcome = await other.evaluate(async () => {
    const failure = (error: Error) => `${error.name}: ${error.message} (${(error.cause as Error | undefined)?.name})`;
    const get = () => window.db.getItem({ TableName: 'Music', Key: { Artist: { S: 'a' }, Song: { N: '1' } } }).then(() => 'answered', failure);
    return { first: await get(), later: await get(), writer: (await window.db.stats()).writer };
  });
  expect(outcome).toEqual({
    first: 'InternalServerError: Internal server error (StorageCorruptionError)',
    later: 'InternalServerError: Internal server error (StorageCorruptionError)',
    writer: false,
  });
});

test('watch in one tab hears the writes of another, both ways', async ({ context, origin }) => {
  const [writer, other] = await openTabs(context, origin, 'watch-tabs', 2);
  for (const tab of [writer, other]) {
    await tab.evaluate(async () => {
      window.seen = [];
      await window.db.watch({ TableName: 'Music', Key: { Artist: { S: 'w' }, Song: { N: '1' } } }, (output) => window.seen.push(output.Item?.Tab?.N ?? null));
    });
  }
  const write = (tab: Page, t: number) => tab.evaluate((t) => window.db.putItem({ TableName: 'Music', Item: { Artist: { S: 'w' }, Song: { N: '1' }, Tab: { N: String(t) } } }), t);
  const seen = async (tab: Page, length: number) => {
    await tab.waitForFunction((length) => window.seen.length >= length, length);
    return tab.evaluate(() => window.seen);
  };
  expect(await seen(writer, 1)).toEqual([null]);
  expect(await seen(other, 1)).toEqual([null]);
  await write(writer, 0);
  expect(await seen(other, 2)).toEqual([null, '0']);
  expect(await seen(writer, 2)).toEqual([null, '0']);
  await write(other, 1);
  expect(await seen(writer, 3)).toEqual([null, '0', '1']);
  expect(await seen(other, 3)).toEqual([null, '0', '1']);
});

/**
 * Pauses the JavaScript of a tab's worker, as freezing the tab would (the DevTools protocol's
 * lifecycle freeze does nothing to a headless tab): it runs nothing more, the database's lock
 * stays with it. Resolves to the function that resumes it.
 */
async function freezeWorker(page: Page): Promise<() => Promise<void>> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const attached = new Promise<string>((resolve) => cdp.on('Target.attachedToTarget', ({ sessionId, targetInfo }) => targetInfo.type === 'worker' && resolve(sessionId)));
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  const sessionId = await attached;
  let id = 0;
  const answers = new Map<number, () => void>();
  cdp.on('Target.receivedMessageFromTarget', ({ message }) => {
    const { id: answered } = JSON.parse(message) as { id?: number };
    if (answered !== undefined) answers.get(answered)?.();
  });
  const send = (method: string) =>
    new Promise<void>((resolve) => {
      answers.set(++id, resolve);
      void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) });
    });
  await send('Debugger.enable');
  await send('Debugger.pause');
  return async () => {
    await send('Debugger.resume');
    await cdp.detach();
  };
}

test('a frozen writer tab: another takes over once it stays silent, and the frozen one, resumed, sends what its page asked meanwhile to the new writer', async ({ context, origin }) => {
  const [frozen, other] = await openTabs(context, origin, 'frozen', 2, true, { stalledWriterMs: 400 });
  const put = (tab: Page, song: number, t: number) =>
    tab.evaluate(([song, t]) => window.db.putItem({ TableName: 'Music', Item: { Artist: { S: 'race' }, Song: { N: String(song) }, Tab: { N: String(t) } } }).then(() => 'ok', (error: Error) => `${error.name} (${(error.cause as Error | undefined)?.name})`), [song, t]);
  expect(await put(frozen, 1, 0)).toBe('ok');
  const resume = await freezeWorker(frozen);
  // A write from the frozen tab's own page, waiting in its worker's queue ahead of all that follows.
  await frozen.evaluate(() => {
    const write = window.db.putItem({ TableName: 'Music', Item: { Artist: { S: 'race' }, Song: { N: '3' }, Tab: { N: '0' } } });
    Object.assign(window, { queued: write.then(() => 'ok', (error: Error) => `${error.name} (${(error.cause as Error | undefined)?.name})`) });
  });
  // Sent to the frozen writer, then run by this tab once it has taken over (it was never received).
  expect(await put(other, 2, 1)).toBe('ok');
  expect([await isWriter(other), await songs(other)]).toEqual([true, [[1, 0], [2, 1]]]);
  await resume();
  // Resumed, the worker takes its page's write before it hears of the new writer, but first finds
  // its store's claim gone: it steps down and sends the write to the new writer, rather than run it
  // on its own engine, where the store's fence would refuse it.
  expect(await frozen.evaluate(() => (window as unknown as { queued: Promise<string> }).queued)).toBe('ok');
  expect(await isWriter(frozen)).toBe(false);
  expect(await put(frozen, 4, 0)).toBe('ok');
  const expected = [[1, 0], [2, 1], [3, 0], [4, 0]];
  expect(await songs(frozen)).toEqual(expected);
  expect(await songs(other)).toEqual(expected);
  expect([await isWriter(frozen), await isWriter(other)]).toEqual([false, true]);
});

test('a writer waiting on the disk longer than stalledWriterMs still answers, and nobody takes over from it', async ({ context, origin }) => {
  const [writer, other] = await openTabs(context, origin, 'slow-disk', 2, true, { stalledWriterMs: 500 });
  const letGo = await holdLog(writer, 'tidepool:slow-disk');
  await other.evaluate(() => {
    const put = window.db.putItem({ TableName: 'Music', Item: { Artist: { S: 'slow' }, Song: { N: '1' } } });
    Object.assign(window, { put: put.then(() => 'acknowledged', (error: Error) => error.name) });
  });
  // Five times stalledWriterMs: the writer has been pinged and has answered all along.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  const waiting = await other.evaluate(() => Promise.race([(window as unknown as { put: Promise<string> }).put, 'waiting']));
  expect([waiting, await isWriter(writer), await isWriter(other)]).toEqual(['waiting', true, false]);
  await letGo();
  expect(await other.evaluate(() => (window as unknown as { put: Promise<string> }).put)).toBe('acknowledged');
  expect([await isWriter(writer), await isWriter(other)]).toEqual([true, false]);
});

test('three tabs and a frozen writer: one of the two others takes over, and none of their calls fails', async ({ context, origin }) => {
  const [frozen, ...others] = await openTabs(context, origin, 'frozen-3', 3, true, { stalledWriterMs: 500 });
  const resume = await freezeWorker(frozen);
  const failures = await Promise.all(
    others.map((tab, t) =>
      tab.evaluate(async (t) => {
        const failed: string[] = [];
        for (let i = 0; i < 30; i++) {
          await window.db.putItem({ TableName: 'Music', Item: { Artist: { S: 'race' }, Song: { N: String(100 * t + i) }, Tab: { N: String(t) } } }).catch((error: Error) => failed.push(error.name));
        }
        return failed;
      }, t + 1),
    ),
  );
  expect(failures).toEqual([[], []]);
  expect((await Promise.all(others.map(isWriter))).sort()).toEqual([false, true]);
  await resume();
  await frozen.waitForFunction(async () => !(await window.db.stats()).writer);
  const expected = [1, 2].flatMap((t) => Array.from({ length: 30 }, (_, i) => [100 * t + i, t]));
  for (const tab of [frozen, ...others]) expect(await songs(tab)).toEqual(expected);
});

test('in a tab that is not the writer, a read sent with a write does not wait for the write to be durable', async ({ context, origin }) => {
  const [writer, other] = await openTabs(context, origin, 'early-reads', 2);
  await writer.evaluate(() => window.db.putItem({ TableName: 'Music', Item: { Artist: { S: 'early' }, Song: { N: '1' } } }));
  const letGo = await holdLog(writer, 'tidepool:early-reads');
  const read = await other.evaluate(async () => {
    // One batch: both calls are made in the same tick.
    const put = window.db.putItem({ TableName: 'Music', Item: { Artist: { S: 'early' }, Song: { N: '2' } } });
    const get = window.db.getItem({ TableName: 'Music', Key: { Artist: { S: 'early' }, Song: { N: '1' } } });
    Object.assign(window, { put: put.then(() => 'acknowledged', (error: Error) => error.name) });
    const { Item } = await get;
    return { Item, put: await Promise.race([(window as unknown as { put: Promise<string> }).put, 'waiting']), batches: (await window.db.stats()).batches };
  });
  expect(read).toEqual({ Item: { Artist: { S: 'early' }, Song: { N: '1' } }, put: 'waiting', batches: 1 });
  await letGo();
  expect(await other.evaluate(() => (window as unknown as { put: Promise<string> }).put)).toBe('acknowledged');
});

test("another tab's write runs a GetItem watch again only when it may change the watched item", async ({ context, origin }) => {
  const [writer, other] = await openTabs(context, origin, 'watch-keys-tabs', 2);
  await other.evaluate(async () => {
    window.seen = [];
    await window.db.watch({ TableName: 'Music', Key: { Artist: { S: 'w' }, Song: { N: '1' } } }, (output) => window.seen.push(output.Item?.Tab?.N ?? null));
  });
  await other.waitForFunction(() => window.seen.length === 1);
  const before = await other.evaluate(async () => (await window.db.stats()).watchRuns);
  // Another song, then the watched one with the same number written another way.
  await writer.evaluate(() => window.db.putItem({ TableName: 'Music', Item: { Artist: { S: 'w' }, Song: { N: '2' }, Tab: { N: '0' } } }));
  await writer.evaluate(() => window.db.putItem({ TableName: 'Music', Item: { Artist: { S: 'w' }, Song: { N: '1.0' }, Tab: { N: '0' } } }));
  await other.waitForFunction(() => window.seen.length === 2);
  const runs = await other.evaluate(async () => (await window.db.stats()).watchRuns);
  expect([await other.evaluate(() => window.seen), runs - before]).toEqual([[null, '0'], 1]);
});

/**
 * A tab of an earlier Tidepool version, as far as the others can tell: a page on database
 * `name`'s channel that speaks the tabs' messages without `v` (`window.channel`) and keeps what
 * it hears (`window.heard`).
 */
async function olderTab(context: BrowserContext, origin: string, name: string): Promise<Page> {
  const old = await context.newPage();
  await old.goto(`${origin}host.html`);
  await old.waitForFunction(() => 'host' in window);
  await old.evaluate((name) => {
    const channel = new BroadcastChannel(`tidepool:${name}`);
    const heard: unknown[] = [];
    Object.assign(window, { channel, heard });
    channel.onmessage = (event) => heard.push(event.data);
  }, name);
  return old;
}

test('a tab of an earlier Tidepool version: its writer is never taken over, and it is answered as it expects', async ({ context, origin }) => {
  const old = await olderTab(context, origin, 'older');
  // Holds the writer's lock, as an earlier writer would, and reports whether it was taken.
  await old.evaluate(() => {
    void navigator.locks.request('tidepool:older', () => new Promise(() => undefined)).catch((error: Error) => Object.assign(window, { taken: error.name }));
  });
  const [tab] = await openTabs(context, origin, 'older', 1, false, { stalledWriterMs: 200 });
  expect(await isWriter(tab)).toBe(false);
  await tab.evaluate(() => {
    const get = window.db.getItem({ TableName: 'Music', Key: { Artist: { S: 'old' }, Song: { N: '1' } } });
    Object.assign(window, { got: get.then((output: unknown) => JSON.stringify(output), (error: Error) => error.name) });
  });
  const run = await old.evaluate(async () => {
    const { heard } = window as unknown as { heard: Array<{ type: string; from: string; id: number; v?: number }> };
    while (!heard.some((m) => m.type === 'run')) await new Promise((resolve) => setTimeout(resolve, 10));
    const message = heard.find((m) => m.type === 'run')!;
    (window as unknown as { channel: BroadcastChannel }).channel.postMessage({ type: 'received', to: message.from, id: message.id });
    return { from: message.from, id: message.id, v: message.v };
  });
  expect(run.v).toBe(2);
  // Five times stalledWriterMs without answering: an earlier writer would not understand a ping.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  expect(await old.evaluate(() => (window as unknown as { taken?: string }).taken ?? 'held')).toBe('held');
  expect(await tab.evaluate(() => Promise.race([(window as unknown as { got: Promise<string> }).got, 'waiting']))).toBe('waiting');
  // Its answer, as an earlier writer sent it: one message, no `done`.
  await old.evaluate(({ from, id }) => (window as unknown as { channel: BroadcastChannel }).channel.postMessage({ type: 'replies', to: from, id, replies: [{ ok: true, value: { Item: { Artist: { S: 'old' } } } }] }), run);
  expect(await tab.evaluate(() => (window as unknown as { got: Promise<string> }).got)).toBe('{"Item":{"Artist":{"S":"old"}}}');
});

test('a batch from a tab of an earlier Tidepool version is answered in one message, once all of it is done', async ({ context, origin }) => {
  const [writer] = await openTabs(context, origin, 'older-follower', 1);
  const old = await olderTab(context, origin, 'older-follower');
  const letGo = await holdLog(writer, 'tidepool:older-follower');
  await old.evaluate(() => {
    const batch = [
      { kind: 'action', action: 'PutItem', input: { TableName: 'Music', Item: { Artist: { S: 'old' }, Song: { N: '1' } } } },
      { kind: 'action', action: 'GetItem', input: { TableName: 'Music', Key: { Artist: { S: 'old' }, Song: { N: '2' } } } },
    ];
    (window as unknown as { channel: BroadcastChannel }).channel.postMessage({ type: 'run', from: 'older-tab', id: 1, batch });
  });
  const replies = () => old.evaluate(() => (window as unknown as { heard: Array<{ type: string; to?: string }> }).heard.filter((m) => m.type === 'replies' && m.to === 'older-tab'));
  await old.waitForFunction(() => (window as unknown as { heard: Array<{ type: string }> }).heard.some((m) => m.type === 'received'));
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(await replies()).toEqual([]);
  await letGo();
  await old.waitForFunction(() => (window as unknown as { heard: Array<{ type: string }> }).heard.some((m) => m.type === 'replies'));
  expect(await replies()).toEqual([{ type: 'replies', to: 'older-tab', id: 1, replies: [{ ok: true, value: {} }, { ok: true, value: {} }], done: true, v: 2 }]);
});

test('three tabs writing while the writer is frozen again and again: no acknowledged write is lost, no fenced one lands', async ({ context, origin }) => {
  const tabs = await openTabs(context, origin, 'freezes', 3, true, { stalledWriterMs: 200 });
  const writing = tabs.map((tab, t) =>
    tab.evaluate(async (t) => {
      const outcome = { acked: [] as number[], fenced: [] as number[], unknown: [] as number[], other: [] as string[] };
      for (let i = 0; i < 150; i++) {
        const song = 1000 * t + i;
        try {
          await window.db.putItem({ TableName: 'Music', Item: { Artist: { S: 'race' }, Song: { N: String(song) }, Tab: { N: String(t) } } });
          outcome.acked.push(song);
        } catch (error) {
          const cause = ((error as Error).cause as Error | undefined)?.name;
          // Fenced: never applied. WriterGone: the old writer received it, so it may have been.
          if (cause === 'StorageUnavailableError') outcome.fenced.push(song);
          else if (cause === 'WriterGone') outcome.unknown.push(song);
          else outcome.other.push(`${(error as Error).name} (${cause})`);
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return outcome;
    }, t),
  );
  for (let round = 0; round < 4; round++) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const writer = (await Promise.all(tabs.map(isWriter))).indexOf(true);
    const resume = await freezeWorker(tabs[writer]);
    await new Promise((resolve) => setTimeout(resolve, 700));
    await resume();
  }
  const outcomes = await Promise.all(writing);
  const present = new Set((await songs(tabs[0])).map(([song]) => song));
  expect(outcomes.flatMap(({ acked }) => acked.filter((song) => !present.has(song)))).toEqual([]);
  expect(outcomes.flatMap(({ fenced }) => fenced.filter((song) => present.has(song)))).toEqual([]);
  expect(outcomes.flatMap(({ other }) => other)).toEqual([]);
  expect(outcomes.reduce((sum, { acked, fenced, unknown }) => sum + acked.length + fenced.length + unknown.length, 0)).toBe(450);
  expect((await Promise.all(tabs.map(isWriter))).filter(Boolean)).toEqual([true]);
  for (const tab of tabs.slice(1)) expect((await songs(tab)).map(([song]) => song)).toEqual([...present].sort((a, b) => a - b));
});
