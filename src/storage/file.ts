/**
 * The Node store: a data folder holding
 *
 *   LOCK              the pid of the process that has the folder open
 *   manifest          frame(logFrom u32 LE | page count u32 LE | page ids u32 LE... | manifest)
 *   log-<n>           frame frame frame ...   (n >= logFrom: the frames after the manifest's cut)
 *   page-<id>         frame(page)
 *
 *   frame = length u32 LE | crc32 u32 LE (of the payload) | payload
 *
 * An append is one write of one frame and an fdatasync. A cut makes the next append start a new
 * log file, log-<n+1>, so a checkpoint covers whole files: it writes and syncs its pages (new
 * files: page ids are never reused), writes the manifest to a temporary file, syncs it and
 * renames it over `manifest` (the atomic step), then deletes the logs before its cut and the
 * pages it drops. A crash before the rename leaves the old manifest, the logs it needs and some
 * pages nobody names, which the next load deletes.
 */
import { closeSync, constants, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { type Checkpoint, StorageCorruptionError, StorageLockedError, type Store } from './store.js';

const HEADER = 8;

function frame(payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(HEADER + payload.length);
  out.writeUInt32LE(payload.length, 0);
  out.writeUInt32LE(crc32(payload), 4);
  out.set(payload, HEADER);
  return out;
}

/**
 * Splits a log file into frame payloads. A bad or incomplete frame at the end is a write torn by
 * a crash (never acknowledged): dropped, with the byte offset where the good log ends. One
 * followed by more data is corruption.
 */
function readFrames(bytes: Buffer, file: string, tornTail = true): { frames: Uint8Array[]; end: number } {
  const frames: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    const complete = at + HEADER <= bytes.length && at + HEADER + bytes.readUInt32LE(at) <= bytes.length;
    const length = complete ? bytes.readUInt32LE(at) : 0;
    const payload = complete ? bytes.subarray(at + HEADER, at + HEADER + length) : undefined;
    if (!payload || crc32(payload) !== bytes.readUInt32LE(at + 4)) {
      const last = !complete || at + HEADER + length === bytes.length;
      if (last && tornTail) return { frames, end: at };
      throw new StorageCorruptionError(`Tidepool: ${file} is corrupt: the frame at byte ${at} fails its checksum`);
    }
    frames.push(payload);
    at += HEADER + length;
  }
  return { frames, end: at };
}

export class FileStore implements Store {
  private log?: FileHandle;
  /** The log file appends go to, and the one the next append starts after a cut. */
  private generation = 0;
  private next?: number;
  /** Where the next frame goes: the end of the good log. */
  private position = 0;
  /** The pages the manifest names. */
  private live = new Set<number>();

  private constructor(private readonly dir: string) {}

  /**
   * Opens (creating if needed) a data folder and takes its lock. Rejects with StorageLockedError
   * when a live process holds it; a lock left by a process that died is taken over.
   */
  static async open(dir: string): Promise<FileStore> {
    await mkdir(dir, { recursive: true });
    lock(dir);
    return new FileStore(dir);
  }

  async load(): Promise<{ manifest?: Uint8Array; log: Uint8Array[] }> {
    let manifest: Uint8Array | undefined;
    let logFrom = 0;
    const manifestBytes = await readFile(join(this.dir, 'manifest')).catch(notFound);
    if (manifestBytes) {
      const { frames, end } = readFrames(manifestBytes, 'manifest');
      if (frames.length !== 1 || end !== manifestBytes.length) throw new StorageCorruptionError('Tidepool: the manifest is corrupt: it fails its checksum');
      const header = Buffer.from(frames[0].buffer, frames[0].byteOffset, frames[0].byteLength);
      logFrom = header.readUInt32LE(0);
      const count = header.readUInt32LE(4);
      for (let i = 0; i < count; i++) this.live.add(header.readUInt32LE(8 + 4 * i));
      manifest = frames[0].subarray(8 + 4 * count);
    }
    const names = await readdir(this.dir);
    if (!manifest && names.includes('checkpoint')) throw new StorageCorruptionError(`Tidepool: ${this.dir} holds a checkpoint written before partitions had pages, which this version cannot read`);
    const logs: number[] = [];
    for (const name of names) {
      const log = /^log-(\d+)$/.exec(name);
      const page = /^page-(\d+)$/.exec(name);
      // Logs a checkpoint covered, pages nobody names and a half-written manifest: left by a crash.
      if ((log && Number(log[1]) < logFrom) || (page && !this.live.has(Number(page[1]))) || name === 'manifest.tmp') await rm(join(this.dir, name));
      else if (log) logs.push(Number(log[1]));
    }
    logs.sort((a, b) => a - b);
    if (logs.length === 0) logs.push(logFrom);
    const frames: Uint8Array[] = [];
    let end = 0;
    let bytes = Buffer.alloc(0);
    for (const [i, generation] of logs.entries()) {
      bytes = (await readFile(join(this.dir, `log-${generation}`)).catch(notFound)) ?? Buffer.alloc(0);
      const read = readFrames(bytes, `log-${generation}`);
      // Only the last log can end in a torn frame: the others were complete before the next began.
      if (read.end !== bytes.length && i < logs.length - 1) throw new StorageCorruptionError(`Tidepool: log-${generation} is corrupt: the frame at byte ${read.end} fails its checksum`);
      frames.push(...read.frames);
      end = read.end;
    }
    this.generation = logs[logs.length - 1];
    const path = join(this.dir, `log-${this.generation}`);
    this.log = await open(path, constants.O_CREAT | constants.O_WRONLY);
    // Cut a torn tail so the next frame starts where the good log ends.
    if (end !== bytes.length) await this.log.truncate(end);
    this.position = end;
    return { manifest, log: frames };
  }

  async append(payload: Uint8Array): Promise<void> {
    if (this.next !== undefined) {
      const log = await open(join(this.dir, `log-${this.next}`), 'w');
      // The new file's name must be durable before a frame in it is acknowledged.
      await syncDir(this.dir);
      await this.log!.close();
      this.log = log;
      this.generation = this.next;
      this.next = undefined;
      this.position = 0;
    }
    const bytes = frame(payload);
    await this.log!.write(bytes, 0, bytes.length, this.position);
    await this.log!.datasync();
    this.position += bytes.length;
  }

  cut(): number {
    this.next ??= this.generation + 1;
    return this.next;
  }

  async readPage(id: number): Promise<Uint8Array> {
    const file = `page-${id}`;
    const bytes = await readFile(join(this.dir, file)).catch(notFound);
    if (!bytes) throw new StorageCorruptionError(`Tidepool: ${file} is missing`);
    const { frames, end } = readFrames(bytes, file, false);
    if (frames.length !== 1 || end !== bytes.length) throw new StorageCorruptionError(`Tidepool: ${file} is corrupt: it fails its checksum`);
    return frames[0];
  }

  async checkpoint({ cut, pages, drop, manifest }: Checkpoint): Promise<void> {
    await Promise.all(
      [...pages].map(async ([id, page]) => {
        const file = await open(join(this.dir, `page-${id}`), 'w');
        try {
          await file.write(frame(page));
          await file.sync();
        } finally {
          await file.close();
        }
      }),
    );
    const live = new Set([...this.live, ...pages.keys()]);
    for (const id of drop) live.delete(id);
    const header = Buffer.allocUnsafe(8 + 4 * live.size);
    header.writeUInt32LE(cut, 0);
    header.writeUInt32LE(live.size, 4);
    [...live].forEach((id, i) => header.writeUInt32LE(id, 8 + 4 * i));
    const temp = join(this.dir, 'manifest.tmp');
    const file = await open(temp, 'w');
    try {
      await file.write(frame(Buffer.concat([header, manifest])));
      await file.sync();
    } finally {
      await file.close();
    }
    // The pages' names before the manifest that names them.
    await syncDir(this.dir);
    await rename(temp, join(this.dir, 'manifest'));
    await syncDir(this.dir);
    this.live = live;
    // The checkpoint is durable: what is left is cleaning up, which the next load finishes if this fails.
    try {
      for (const name of await readdir(this.dir)) {
        const log = /^log-(\d+)$/.exec(name);
        if (log && Number(log[1]) < cut) await rm(join(this.dir, name), { force: true });
      }
      await Promise.all(drop.map((id) => rm(join(this.dir, `page-${id}`), { force: true })));
    } catch {
      // Left for the next load.
    }
  }

  async close(): Promise<void> {
    await this.log?.close();
    this.log = undefined;
    await rm(join(this.dir, 'LOCK'), { force: true });
  }
}

const notFound = (error: NodeJS.ErrnoException): undefined => {
  if (error.code === 'ENOENT') return undefined;
  throw error;
};

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Creates the folder's LOCK file with our pid; takes over one whose process is gone. */
function lock(dir: string): void {
  const path = join(dir, 'LOCK');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(path, 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new StorageLockedError(`Tidepool: the data folder ${dir} is in use by process ${pid}`);
      }
      if (pid === process.pid) throw new StorageLockedError(`Tidepool: the data folder ${dir} is already open in this process`);
      rmSyncQuiet(path);
    }
  }
  throw new StorageLockedError(`Tidepool: could not lock ${path}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes a stale lock; if another process removed it first, the retried create decides. */
function rmSyncQuiet(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}
