/**
 * The change record: the one log of the system (DESIGN.md, "The write path"). Every write that
 * changes an item produces exactly one; persistence replays them, streams serve them, sync ships them.
 */
import { type Item, type PackedItem, unpackItem } from '../model/index.js';

export type ChangeEvent = 'INSERT' | 'MODIFY' | 'REMOVE';

/** Who made a change when no caller did: DynamoDB Streams' userIdentity. */
export interface UserIdentity {
  Type: 'Service';
  PrincipalId: 'dynamodb.amazonaws.com';
}

/** The identity DynamoDB Streams gives a deletion by Time to Live (Developer Guide, "DynamoDB Streams and Time to Live"). */
export const TTL_DELETION: UserIdentity = { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' };

/**
 * One change. The images are materialised on first read: most writes are never looked at by
 * anything but storage, and the table keeps items packed (see PackedItem).
 */
export class ChangeRecord {
  private old: Item | PackedItem | undefined;

  constructor(
    readonly table: string,
    readonly eventName: ChangeEvent,
    /** The item's key attributes. */
    readonly keys: Item,
    oldImage: Item | PackedItem | undefined,
    /** The item after the change (absent for REMOVE). */
    readonly newImage: Item | undefined,
    /** Monotonic per database, starting at 1. */
    readonly sequenceNumber: number,
    /** Hybrid logical clock reading (see HybridClock). */
    readonly timestamp: number,
    /** Replica id of the writer that originated the change. */
    readonly origin: string,
    /** Set only on changes the service made itself (TTL_DELETION). */
    readonly userIdentity?: UserIdentity,
  ) {
    this.old = oldImage;
  }

  /** The item before the change (absent for INSERT). */
  get oldImage(): Item | undefined {
    if (Array.isArray(this.old)) this.old = unpackItem(this.old);
    return this.old as Item | undefined;
  }
}

export type ChangeListener = (record: ChangeRecord) => void;

/**
 * Hybrid logical clock in microsecond units (Kulkarni et al., 2014): never goes backwards and stays
 * within a tick of wall time. Merging other replicas' readings comes with sync. Readings stay below
 * 2^53 until the year 2255, so they are plain numbers.
 */
export class HybridClock {
  private last = 0;

  constructor(private readonly now: () => number = Date.now) {}

  tick(): number {
    this.last = Math.max(this.last + 1, this.now() * 1000);
    return this.last;
  }
}

/**
 * A reader that needs records kept past the count the log retains (a stream keeps its table's
 * records for 24 hours). Holds are asked only about records the count would drop.
 */
export interface RetentionHold {
  /** Whether `record` must stay although it is older than the retained count. */
  keeps(record: ChangeRecord): boolean;
  /** Told of every record the log drops, oldest first. */
  dropped(record: ChangeRecord): void;
}

/**
 * In-memory change log. Retains at least the most recent `retain` records, and whatever a hold
 * keeps, for readers that attach late (streams, sync); listeners see every record as it is
 * appended. Storage (issue 6) takes the records from here into the write-ahead log.
 */
export class ChangeLog {
  private records: ChangeRecord[] = [];
  private readonly listeners = new Set<ChangeListener>();
  private readonly holds = new Set<RetentionHold>();
  private nextSequence = 1;
  private trimAt: number;

  constructor(
    readonly replicaId: string,
    private readonly retain: number,
    readonly clock = new HybridClock(),
  ) {
    this.trimAt = 2 * retain;
  }

  /** While set, writes make no records (see quietly). */
  private quiet = false;

  /**
   * Runs `restore` without making change records: storage bringing back what its log already
   * holds (a partition's log tail, applied when the partition loads) is not a new change, for the
   * log, for streams or for sync.
   */
  quietly(restore: () => void): void {
    this.quiet = true;
    try {
      restore();
    } finally {
      this.quiet = false;
    }
  }

  append(table: string, eventName: ChangeEvent, keys: Item, oldImage: Item | PackedItem | undefined, newImage: Item | undefined, userIdentity?: UserIdentity): void {
    if (this.quiet) return;
    const record = new ChangeRecord(table, eventName, keys, oldImage, newImage, this.nextSequence++, this.clock.tick(), this.replicaId, userIdentity);
    this.records.push(record);
    if (this.records.length >= this.trimAt) this.trim();
    for (const listener of this.listeners) listener(record);
  }

  /** The sequence number of the newest record appended, 0 before the first. */
  get lastSequence(): number {
    return this.nextSequence - 1;
  }

  /** Records with a sequence number greater than `after`, oldest first, among those retained. O(log n) to find the first. */
  since(after = 0): ChangeRecord[] {
    let low = 0;
    let high = this.records.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.records[mid].sequenceNumber > after) high = mid;
      else low = mid + 1;
    }
    return this.records.slice(low);
  }

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Keeps the records `hold` asks for until the returned function is called. */
  hold(hold: RetentionHold): () => void {
    this.holds.add(hold);
    return () => this.holds.delete(hold);
  }

  private trim(): void {
    const cut = this.records.length - this.retain;
    const kept: ChangeRecord[] = [];
    for (let i = 0; i < cut; i++) {
      const record = this.records[i];
      let held = false;
      for (const hold of this.holds) held ||= hold.keeps(record);
      if (held) kept.push(record);
      else for (const hold of this.holds) hold.dropped(record);
    }
    this.records = cut === kept.length ? this.records : kept.concat(this.records.slice(cut));
    // Trim when the log has doubled again, held records included, so appends stay O(1) amortised.
    this.trimAt = 2 * Math.max(this.retain, this.records.length);
  }
}
