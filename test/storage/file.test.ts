/**
 * The Node file store: frames and checkpoints on disk, torn tails, corruption, the folder lock,
 * and acknowledged writes surviving a process killed with SIGKILL at random moments.
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { StorageCorruptionError, StorageLockedError, Tidepool } from '../../src/index.js';
import { FileStore } from '../../src/storage/file.js';
import { mulberry32 } from '../support/random.js';

const folder = () => mkdtempSync(join(tmpdir(), 'tidepool-store-'));
const bytes = (text: string) => new TextEncoder().encode(text);
const text = (frames: Uint8Array[]) => frames.map((frame) => new TextDecoder().decode(frame));

describe('FileStore', () => {
  it('returns appended frames in order, and a manifest with its pages and the frames after its cut', async () => {
    const dir = folder();
    const store = await FileStore.open(dir);
    expect(await store.load()).toEqual({ manifest: undefined, log: [] });
    await store.append(bytes('one'));
    await store.append(bytes('two'));
    const cut = store.cut();
    // Appends go on while the checkpoint is written: they land after its cut.
    await Promise.all([store.checkpoint({ cut, pages: new Map([[1, bytes('page one')], [2, bytes('page two')]]), drop: [], manifest: bytes('first') }), store.append(bytes('three'))]);
    await store.checkpoint({ cut: store.cut(), pages: new Map([[3, bytes('page three')]]), drop: [1], manifest: bytes('second') });
    await store.append(bytes('four'));
    await store.close();

    const again = await FileStore.open(dir);
    const { manifest, log } = await again.load();
    expect([new TextDecoder().decode(manifest), text(log)]).toEqual(['second', ['four']]);
    expect(text([await again.readPage(2), await again.readPage(3)])).toEqual(['page two', 'page three']);
    expect(readdirSync(dir).sort()).toEqual(['LOCK', 'log-2', 'manifest', 'page-2', 'page-3']);
    await again.close();
    expect(existsSync(join(dir, 'LOCK'))).toBe(false);
  });

  it('after a crash before the manifest, keeps the old manifest and every log after it, and deletes the orphan pages', async () => {
    const dir = folder();
    const store = await FileStore.open(dir);
    await store.load();
    await store.append(bytes('one'));
    await store.checkpoint({ cut: store.cut(), pages: new Map([[1, bytes('page one')]]), drop: [], manifest: bytes('first') });
    await store.append(bytes('two'));
    store.cut();
    await store.append(bytes('three'));
    await store.close();
    // A checkpoint that wrote its page and died before its manifest.
    writeFileSync(join(dir, 'page-2'), 'half');
    writeFileSync(join(dir, 'manifest.tmp'), 'half');

    const again = await FileStore.open(dir);
    const { manifest, log } = await again.load();
    expect([new TextDecoder().decode(manifest), text(log)]).toEqual(['first', ['two', 'three']]);
    expect(readdirSync(dir).sort()).toEqual(['LOCK', 'log-1', 'log-2', 'manifest', 'page-1']);
    await again.close();
  });

  it('drops a frame torn at the end of the log, and appends after the good ones', async () => {
    const dir = folder();
    const store = await FileStore.open(dir);
    await store.load();
    await store.append(bytes('kept'));
    await store.close();
    // A crash in the middle of writing a frame: a header promising more bytes than there are.
    appendFileSync(join(dir, 'log-0'), Buffer.from([200, 0, 0, 0, 1, 2, 3, 4, 5]));
    const again = await FileStore.open(dir);
    expect(text((await again.load()).log)).toEqual(['kept']);
    await again.append(bytes('next'));
    await again.close();
    const third = await FileStore.open(dir);
    expect(text((await third.load()).log)).toEqual(['kept', 'next']);
    await third.close();
  });

  it('reports a frame that fails its checksum inside the log, a bad manifest and a bad page', async () => {
    const dir = folder();
    const store = await FileStore.open(dir);
    await store.load();
    await store.append(bytes('first'));
    await store.append(bytes('second'));
    await store.close();
    const log = readFileSync(join(dir, 'log-0'));
    log[9] ^= 0xff; // a byte of the first payload
    writeFileSync(join(dir, 'log-0'), log);
    const again = await FileStore.open(dir);
    await expect(again.load()).rejects.toThrow(new StorageCorruptionError('Tidepool: log-0 is corrupt: the frame at byte 0 fails its checksum'));
    await again.close();

    const dir2 = folder();
    const other = await FileStore.open(dir2);
    await other.load();
    await other.checkpoint({ cut: other.cut(), pages: new Map([[7, bytes('page')]]), drop: [], manifest: bytes('manifest') });
    await other.close();
    const page = readFileSync(join(dir2, 'page-7'));
    page[page.length - 1] ^= 0xff;
    writeFileSync(join(dir2, 'page-7'), page);
    const reopened = await FileStore.open(dir2);
    await reopened.load();
    await expect(reopened.readPage(7)).rejects.toThrow(new StorageCorruptionError('Tidepool: page-7 is corrupt: the frame at byte 0 fails its checksum'));
    await reopened.close();
    const manifest = readFileSync(join(dir2, 'manifest'));
    manifest[manifest.length - 1] ^= 0xff;
    writeFileSync(join(dir2, 'manifest'), manifest);
    const third = await FileStore.open(dir2);
    await expect(third.load()).rejects.toThrow(new StorageCorruptionError('Tidepool: the manifest is corrupt: it fails its checksum'));
    await third.close();
  });

  it('refuses a folder written before partitions had pages, rather than read its log without its checkpoint', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'checkpoint'), 'an old whole-database checkpoint');
    const store = await FileStore.open(dir);
    await expect(store.load()).rejects.toThrow(new StorageCorruptionError(`Tidepool: ${dir} holds a checkpoint written before partitions had pages, which this version cannot read`));
    await store.close();
  });

  it('locks the folder against a second process, and takes over a dead one’s lock', async () => {
    const dir = folder();
    const store = await FileStore.open(dir);
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', `import('${fileURLToPath(new URL('../../dist/index.js', import.meta.url))}').then(({ Tidepool }) => Tidepool.open({ path: '${dir}' })).catch((e) => { console.log(e.name + ': ' + e.message); })`], { encoding: 'utf8' });
    expect(child.stdout).toBe(`StorageLockedError: Tidepool: the data folder ${dir} is in use by process ${process.pid}\n`);
    await store.close();

    writeFileSync(join(dir, 'LOCK'), '999999999');
    const db = await Tidepool.open({ path: dir });
    expect(readFileSync(join(dir, 'LOCK'), 'utf8')).toBe(String(process.pid));
    await expect(Tidepool.open({ path: dir })).rejects.toThrow(new StorageLockedError(`Tidepool: the data folder ${dir} is already open in this process`));
    await db.close();
  });
});

describe('acknowledged writes survive SIGKILL', () => {
  const writer = fileURLToPath(new URL('./crash-writer.mjs', import.meta.url));

  it('keeps every acknowledged write and no half transaction, over 24 seeded rounds', async () => {
    const random = mulberry32(6);
    const dir = folder();
    const acknowledged = new Map<string, string>();
    for (let round = 0; round < 24; round++) {
      const child = spawn(process.execPath, [writer, dir, String(round)], { stdio: ['ignore', 'pipe', 'inherit'] });
      let buffer = '';
      let ready = false;
      const started = new Promise<void>((resolve) => {
        child.stdout.on('data', (chunk) => {
          buffer += chunk;
          const lines = buffer.split('\n');
          buffer = lines.pop()!;
          for (const line of lines) {
            if (line === 'ready') {
              ready = true;
              resolve();
            }
            // "ack <key> <value>" is printed only after the write's promise resolved.
            const [word, key, value] = line.split(' ');
            if (word === 'ack') acknowledged.set(key, value);
          }
        });
      });
      const exited = new Promise((resolve) => child.on('exit', resolve));
      await started;
      expect(ready).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.floor(random() * 60)));
      child.kill('SIGKILL');
      await exited;

      const db = await Tidepool.open({ path: dir });
      const { Items } = await db.send('Scan', { TableName: 'crash' });
      const stored = new Map<string, string>(Items!.map((item: Record<string, { S: string }>) => [item.pk.S, item.v.S]));
      for (const [key, value] of acknowledged) {
        // A later unacknowledged write to the same key may have landed: same round, newer value.
        const found = stored.get(key);
        expect(found, `round ${round}: ${key}`).toBeDefined();
        expect(Number(found!.split(':')[0]), `round ${round}: ${key}`).toBeGreaterThanOrEqual(Number(value.split(':')[0]));
      }
      // Transactions write the pair t<n>a / t<n>b with one value: both or neither.
      for (const [key, value] of stored) {
        if (key.startsWith('t') && key.endsWith('a')) expect(stored.get(`${key.slice(0, -1)}b`), `round ${round}: ${key}`).toBe(value);
        if (key.startsWith('t') && key.endsWith('b')) expect(stored.get(`${key.slice(0, -1)}a`), `round ${round}: ${key}`).toBe(value);
      }
      await db.close();
    }
    expect(acknowledged.size).toBeGreaterThan(100);
  }, 120_000);
});
