/**
 * The one narrow interface between the engine and durable storage: append a log frame, write a
 * checkpoint, read both back. The engine's durability layer (durable.ts) cannot tell the stores
 * apart: memory (tests, `Tidepool.open()`), files (Node, file.ts) and IndexedDB (the browser).
 *
 * Contract, for every store:
 * - `append` resolves only once the frame is durable; frames come back from `load` in append order.
 *   The caller never overlaps calls (it waits for each), so a store needs no queue of its own.
 * - `checkpoint` atomically replaces the checkpoint and drops every frame appended before it.
 * - `load` returns what is durable. A frame torn by a crash at the very end of the log (never
 *   acknowledged) is dropped; a frame or checkpoint that fails its checksum anywhere else rejects
 *   with a StorageCorruptionError, never silently used.
 */
export interface Store {
  load(): Promise<{ checkpoint?: Uint8Array; log: Uint8Array[] }>;
  append(frame: Uint8Array): Promise<void>;
  checkpoint(snapshot: Uint8Array): Promise<void>;
  /** Releases the store (and, for files, the folder's lock). */
  close(): Promise<void>;
}

/** Stored data that fails its checksum or cannot be read back: reported, never used. */
export class StorageCorruptionError extends Error {
  override readonly name = 'StorageCorruptionError';
}

/** Another process holds the data folder. */
export class StorageLockedError extends Error {
  override readonly name = 'StorageLockedError';
}

/**
 * Keeps frames and the checkpoint in memory: for tests, including failure injection with `fail`,
 * and for a database that should behave as a durable one without touching a disk.
 */
export class MemoryStore implements Store {
  private snapshot?: Uint8Array;
  private frames: Uint8Array[] = [];
  /** When set, the next append or checkpoint rejects with this error (then it is cleared). */
  fail?: Error;

  async load(): Promise<{ checkpoint?: Uint8Array; log: Uint8Array[] }> {
    return { checkpoint: this.snapshot, log: [...this.frames] };
  }

  async append(frame: Uint8Array): Promise<void> {
    this.throwInjected();
    this.frames.push(frame.slice());
  }

  async checkpoint(snapshot: Uint8Array): Promise<void> {
    this.throwInjected();
    this.snapshot = snapshot.slice();
    this.frames = [];
  }

  async close(): Promise<void> {}

  private throwInjected(): void {
    const error = this.fail;
    if (error) {
      this.fail = undefined;
      throw error;
    }
  }
}
