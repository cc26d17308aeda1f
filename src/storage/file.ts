/**
 * The Node store: a data folder holding
 *
 *   LOCK              the pid of the process that has the folder open
 *   checkpoint        frame(generation u32 LE + snapshot)
 *   log-<generation>  frame frame frame ...   (the frames appended since that checkpoint)
 *
 *   frame = length u32 LE | crc32 u32 LE (of the payload) | payload
 *
 * An append is one write of one frame and an fdatasync; a checkpoint is written to a temporary
 * file, synced, renamed over `checkpoint` (the atomic step), then a fresh log of the next
 * generation replaces the old one. A crash between the rename and the new log leaves an old log
 * that the generation in the checkpoint tells recovery to ignore.
 */
import { closeSync, constants, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { StorageCorruptionError, StorageLockedError, type Store } from './store.js';

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
function readFrames(bytes: Buffer, file: string): { frames: Uint8Array[]; end: number } {
  const frames: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    const complete = at + HEADER <= bytes.length && at + HEADER + bytes.readUInt32LE(at) <= bytes.length;
    const length = complete ? bytes.readUInt32LE(at) : 0;
    const payload = complete ? bytes.subarray(at + HEADER, at + HEADER + length) : undefined;
    if (!payload || crc32(payload) !== bytes.readUInt32LE(at + 4)) {
      const last = !complete || at + HEADER + length === bytes.length;
      if (last) return { frames, end: at };
      throw new StorageCorruptionError(`Tidepool: ${file} is corrupt: the frame at byte ${at} fails its checksum`);
    }
    frames.push(payload);
    at += HEADER + length;
  }
  return { frames, end: at };
}

export class FileStore implements Store {
  private log?: FileHandle;
  private generation = 0;
  /** Where the next frame goes: the end of the good log. */
  private position = 0;

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

  async load(): Promise<{ checkpoint?: Uint8Array; log: Uint8Array[] }> {
    let checkpoint: Uint8Array | undefined;
    const checkpointBytes = await readFile(join(this.dir, 'checkpoint')).catch(notFound);
    if (checkpointBytes) {
      const { frames, end } = readFrames(checkpointBytes, 'checkpoint');
      if (frames.length !== 1 || end !== checkpointBytes.length) throw new StorageCorruptionError('Tidepool: the checkpoint is corrupt: it fails its checksum');
      this.generation = Buffer.from(frames[0]).readUInt32LE(0);
      checkpoint = frames[0].subarray(4);
    }
    // Logs of other generations are left over from a crash during a checkpoint.
    for (const name of await readdir(this.dir)) {
      if (name.startsWith('log-') && name !== `log-${this.generation}`) await rm(join(this.dir, name));
    }
    const path = join(this.dir, `log-${this.generation}`);
    const bytes = (await readFile(path).catch(notFound)) ?? Buffer.alloc(0);
    const { frames, end } = readFrames(bytes, `log-${this.generation}`);
    this.log = await open(path, constants.O_CREAT | constants.O_WRONLY);
    // Cut a torn tail so the next frame starts where the good log ends.
    if (end !== bytes.length) await this.log.truncate(end);
    this.position = end;
    return { checkpoint, log: frames };
  }

  async append(payload: Uint8Array): Promise<void> {
    const bytes = frame(payload);
    await this.log!.write(bytes, 0, bytes.length, this.position);
    await this.log!.datasync();
    this.position += bytes.length;
  }

  async checkpoint(snapshot: Uint8Array): Promise<void> {
    const next = this.generation + 1;
    const payload = Buffer.allocUnsafe(4 + snapshot.length);
    payload.writeUInt32LE(next, 0);
    payload.set(snapshot, 4);
    const temp = join(this.dir, 'checkpoint.tmp');
    const file = await open(temp, 'w');
    try {
      await file.write(frame(payload));
      await file.sync();
    } finally {
      await file.close();
    }
    const nextLog = await open(join(this.dir, `log-${next}`), 'w');
    await nextLog.sync();
    await rename(temp, join(this.dir, 'checkpoint'));
    await syncDir(this.dir);
    await this.log!.close();
    await rm(join(this.dir, `log-${this.generation}`), { force: true });
    this.log = nextLog;
    this.generation = next;
    this.position = 0;
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
