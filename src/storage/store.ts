/**
 * The one narrow interface between the engine and durable storage, in DESIGN.md's terms append-log,
 * read-page, write-page: a log of frames, pages (one per partition), and a manifest that says
 * which pages make up the database. The durability layer (durable.ts) cannot tell the stores
 * apart: memory (tests, `Tidepool.open()`), files (Node, file.ts) and IndexedDB (the browser).
 * Frames, pages and the manifest are opaque bytes to a store.
 *
 * Contract, for every store:
 * - `append` resolves only once the frame is durable; frames come back from `load` in append order.
 *   Appends never overlap each other (the caller waits for each), so a store needs no queue.
 * - `cut` marks, synchronously, the end of the frames appended so far: the log position a coming
 *   checkpoint covers. Appends go on after it, while the checkpoint is written.
 * - `checkpoint` atomically writes its pages and replaces the manifest, and from then on `load`
 *   returns only the frames appended after its cut. Once the manifest is durable the pages in
 *   `drop` are deleted. Checkpoints never overlap each other; page ids are never reused.
 * - `readPage` returns a page of the latest durable manifest (or one being written). It may run
 *   at any time, concurrently with appends and a checkpoint.
 * - `load` returns what is durable. A frame torn by a crash at the very end of the log (never
 *   acknowledged) is dropped; a frame, page or manifest that fails its checksum rejects with a
 *   StorageCorruptionError, never silently used (a page when it is read).
 */
export interface Store {
  load(): Promise<{ manifest?: Uint8Array; log: Uint8Array[] }>;
  append(frame: Uint8Array): Promise<void>;
  cut(): number;
  readPage(id: number): Promise<Uint8Array>;
  checkpoint(checkpoint: Checkpoint): Promise<void>;
  /** Releases the store (and, for files, the folder's lock). */
  close(): Promise<void>;
}

/** What one checkpoint writes (see Store). */
export interface Checkpoint {
  /** What `cut` returned when the snapshot was taken. */
  cut: number;
  /** New pages by id. */
  pages: Map<number, Uint8Array>;
  /** Pages the new manifest no longer names. */
  drop: number[];
  manifest: Uint8Array;
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
 * Keeps frames, pages and the manifest in memory: for tests, including failure injection with
 * `fail`, and for a database that should behave as a durable one without touching a disk.
 */
export class MemoryStore implements Store {
  private manifest?: Uint8Array;
  private frames: Uint8Array[] = [];
  /** How many frames have been dropped from the front of `frames`. */
  private dropped = 0;
  private readonly pages = new Map<number, Uint8Array>();
  /** When set, the next append or checkpoint rejects with this error (then it is cleared). */
  fail?: Error;

  async load(): Promise<{ manifest?: Uint8Array; log: Uint8Array[] }> {
    return { manifest: this.manifest, log: [...this.frames] };
  }

  async append(frame: Uint8Array): Promise<void> {
    this.throwInjected();
    this.frames.push(frame.slice());
  }

  cut(): number {
    return this.dropped + this.frames.length;
  }

  async readPage(id: number): Promise<Uint8Array> {
    const page = this.pages.get(id);
    if (!page) throw new StorageCorruptionError(`Tidepool: page ${id} is missing`);
    return page.slice();
  }

  async checkpoint({ cut, pages, drop, manifest }: Checkpoint): Promise<void> {
    this.throwInjected();
    for (const [id, page] of pages) this.pages.set(id, page.slice());
    this.manifest = manifest.slice();
    this.frames.splice(0, cut - this.dropped);
    this.dropped = cut;
    for (const id of drop) this.pages.delete(id);
  }

  /** The ids of the pages held, ascending (tests). */
  pageIds(): number[] {
    return [...this.pages.keys()].sort((a, b) => a - b);
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
