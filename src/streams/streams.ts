/**
 * DynamoDB Streams over the change log. A stream is a window on the one log of the system
 * (DESIGN.md): the records of its table written after it was enabled and, once it is disabled,
 * up to then. Nothing is copied; what the stream needs the log is asked to hold for 24 hours.
 *
 * One shard per stream, open while the stream is enabled and closed when it is disabled.
 * DynamoDB also rolls shards over every few hours and splits them with the table's partitions
 * (DESIGN.md, "Partitions and sharding"); readers that follow the documented protocol (describe
 * the stream, read every shard until NextShardIterator is absent) work either way.
 *
 *   shard iterator = <stream arn> "|1|" base64(<shard id> "|" <read after sequence> "|" <issued ms>)
 *
 * The shape follows the service's (the API reference's GetRecords example); the token is opaque
 * to callers and checked on every GetRecords.
 */
import type { ChangeLog, ChangeRecord } from '../engine/changes.js';
import { type Item, DynamoError, cloneItem, itemSize } from '../model/index.js';
import * as msg from '../model/messages.js';

export type StreamViewType = 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY';
/** In the service model's order, which its enum messages list. */
export const STREAM_VIEW_TYPES: readonly StreamViewType[] = ['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY'];

export type ShardIteratorType = 'TRIM_HORIZON' | 'LATEST' | 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER';

/** Stream records live 24 hours, and a disabled stream stays readable as long (Developer Guide, DynamoDB Streams). */
export const RETENTION_MS = 24 * 60 * 60 * 1000;
/** A shard iterator expires 15 minutes after GetShardIterator returns it (API reference). */
export const ITERATOR_LIFETIME_MS = 15 * 60 * 1000;
/** The most records one GetRecords returns (API reference). */
export const MAX_RECORDS = 1000;
/** DynamoDB's sequence numbers have 21 to 40 digits (the model's SequenceNumber constraint). */
const SEQUENCE_DIGITS = 21;

/** The table a stream is enabled on, as the stream remembers it. */
export interface StreamTable {
  name: string;
  arn: string;
  keySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
}

export class Stream {
  readonly arn: string;
  /** The stream's creation time as DynamoDB labels it: ISO 8601 in UTC, without the zone. */
  readonly label: string;
  readonly shardId: string;
  /** The last sequence number in the log when the stream was enabled: its records come after. */
  readonly startAfter: number;
  /** Set when the stream is disabled: its last sequence number. The shard is closed from then. */
  endAt?: number;
  disabledAt?: number;
  /** The newest of the stream's records the log has dropped; reading from before it is reading trimmed data. */
  trimmedThrough = 0;

  constructor(
    readonly table: StreamTable,
    readonly viewType: StreamViewType,
    /** Milliseconds since the epoch. */
    readonly createdAt: number,
    startAfter: number,
  ) {
    this.label = new Date(createdAt).toISOString().slice(0, -1);
    this.arn = `${table.arn}/stream/${this.label}`;
    this.shardId = `shardId-${String(createdAt).padStart(20, '0')}-${fnv1a(this.arn).toString(16).padStart(8, '0')}`;
    this.startAfter = startAfter;
  }

  get enabled(): boolean {
    return this.endAt === undefined;
  }

  covers(record: ChangeRecord): boolean {
    return record.table === this.table.name && record.sequenceNumber > this.startAfter && (this.endAt === undefined || record.sequenceNumber <= this.endAt);
  }

  /** The first sequence number the shard can hold; DescribeStream shows it from the start. */
  get startingSequenceNumber(): string {
    return sequenceText(this.startAfter + 1);
  }

  /** Set once the shard is closed. */
  get endingSequenceNumber(): string | undefined {
    return this.endAt === undefined ? undefined : sequenceText(Math.max(this.endAt, this.startAfter + 1));
  }
}

/** One record as GetRecords returns it. */
export interface StreamRecord {
  awsRegion: string;
  dynamodb: {
    ApproximateCreationDateTime: number;
    Keys: Item;
    NewImage?: Item;
    OldImage?: Item;
    SequenceNumber: string;
    SizeBytes: number;
    StreamViewType: StreamViewType;
  };
  eventID: string;
  eventName: ChangeRecord['eventName'];
  eventSource: 'aws:dynamodb';
  eventVersion: '1.1';
}

/** Every stream of a database: the enabled ones, and the disabled ones for the 24 hours they stay readable. */
export class Streams {
  /** By ARN, oldest first (ListStreams' order). */
  private readonly streams = new Map<string, Stream>();

  constructor(
    private readonly changes: ChangeLog,
    private readonly now: () => number,
    private readonly region: string,
  ) {
    changes.hold({ keeps: (record) => this.keeps(record), dropped: (record) => this.dropped(record) });
  }

  /** Enables a new stream on a table that has none enabled. */
  enable(table: StreamTable, viewType: StreamViewType): Stream {
    let createdAt = this.now();
    // Labels have millisecond precision: a stream re-enabled within the same millisecond takes the next one.
    while (this.streams.has(`${table.arn}/stream/${new Date(createdAt).toISOString().slice(0, -1)}`)) createdAt++;
    const stream = new Stream(table, viewType, createdAt, this.changes.lastSequence);
    this.streams.set(stream.arn, stream);
    return stream;
  }

  /** Disables a stream: its shard closes after the last record written so far. */
  disable(stream: Stream): void {
    if (!stream.enabled) return;
    stream.endAt = this.changes.lastSequence;
    stream.disabledAt = this.now();
  }

  get(arn: string): Stream | undefined {
    this.prune();
    return this.streams.get(arn);
  }

  list(): Stream[] {
    this.prune();
    return [...this.streams.values()];
  }

  /** GetShardIterator: a position in the stream's shard. `sequence` is checked digits, for the two types that take one. */
  iterator(stream: Stream, type: ShardIteratorType, sequence?: string): string {
    const horizon = Math.max(stream.startAfter, stream.trimmedThrough);
    const end = stream.endAt ?? Infinity;
    let after: number;
    switch (type) {
      case 'TRIM_HORIZON':
        after = horizon;
        break;
      case 'LATEST':
        after = Math.max(stream.startAfter, Math.min(this.changes.lastSequence, end));
        break;
      default: {
        const at = Number(sequence);
        // Up to the next sequence number the shard can hold (an empty shard's StartingSequenceNumber).
        if (!(at <= Math.max(Math.min(end, this.changes.lastSequence), stream.startAfter + 1))) {
          throw new DynamoError('ValidationException', msg.invalidSequenceNumber(sequence!));
        }
        after = Math.max(stream.startAfter, type === 'AT_SEQUENCE_NUMBER' ? at - 1 : at);
        if (after < stream.trimmedThrough) throw new DynamoError('TrimmedDataAccessException', msg.DATA_TRIMMED);
      }
    }
    return this.encode(stream, after);
  }

  /** GetRecords: up to `limit` records after the iterator's position, and where to read on (none once a closed shard is read to its end). */
  read(iterator: string, limit: number): { Records: StreamRecord[]; NextShardIterator?: string } {
    const { stream, after, issued } = this.decode(iterator);
    if (this.now() - issued > ITERATOR_LIFETIME_MS) throw new DynamoError('ExpiredIteratorException', msg.ITERATOR_EXPIRED);
    if (after < stream.trimmedThrough) throw new DynamoError('TrimmedDataAccessException', msg.DATA_TRIMMED);
    const end = stream.endAt ?? Infinity;
    const records: StreamRecord[] = [];
    let next = after;
    let full = false;
    for (const record of this.changes.since(after)) {
      if (record.sequenceNumber > end) break;
      if (stream.covers(record)) {
        if (records.length === limit) {
          full = true;
          break;
        }
        records.push(this.shape(stream, record));
      }
      next = record.sequenceNumber;
    }
    // Read to the end of the log: later records come after everything there now.
    if (!full) next = Math.max(after, Math.min(end, this.changes.lastSequence));
    const result: { Records: StreamRecord[]; NextShardIterator?: string } = { Records: records };
    if (stream.endAt === undefined || next < stream.endAt) result.NextShardIterator = this.encode(stream, next);
    return result;
  }

  private shape(stream: Stream, record: ChangeRecord): StreamRecord {
    const view = stream.viewType;
    const keys = cloneItem(record.keys);
    const newImage = (view === 'NEW_IMAGE' || view === 'NEW_AND_OLD_IMAGES') && record.newImage ? cloneItem(record.newImage) : undefined;
    const oldImage = (view === 'OLD_IMAGE' || view === 'NEW_AND_OLD_IMAGES') && record.oldImage ? cloneItem(record.oldImage) : undefined;
    const dynamodb: StreamRecord['dynamodb'] = {
      // The record's hybrid-clock reading is in microseconds; the service rounds down to the second.
      ApproximateCreationDateTime: Math.floor(record.timestamp / 1_000_000),
      Keys: keys,
      SequenceNumber: sequenceText(record.sequenceNumber),
      // The sizes of what the record carries, counted as item sizes are (the API reference's
      // KEYS_ONLY example: two keys of 9+8 and 7+17 bytes make 41).
      SizeBytes: itemSize(keys) + (newImage ? itemSize(newImage) : 0) + (oldImage ? itemSize(oldImage) : 0),
      StreamViewType: view,
    };
    if (newImage) dynamodb.NewImage = newImage;
    if (oldImage) dynamodb.OldImage = oldImage;
    return {
      awsRegion: this.region,
      dynamodb,
      eventID: stream.createdAt.toString(16).padStart(16, '0') + record.sequenceNumber.toString(16).padStart(16, '0'),
      eventName: record.eventName,
      eventSource: 'aws:dynamodb',
      eventVersion: '1.1',
    };
  }

  private encode(stream: Stream, after: number): string {
    return `${stream.arn}|1|${btoa(`${stream.shardId}|${after}|${this.now()}`)}`;
  }

  private decode(iterator: string): { stream: Stream; after: number; issued: number } {
    const invalid = () => new DynamoError('ValidationException', msg.INVALID_SHARD_ITERATOR);
    const [arn, version, token, ...rest] = iterator.split('|');
    if (version !== '1' || token === undefined || rest.length > 0) throw invalid();
    let fields: string[];
    try {
      fields = atob(token).split('|');
    } catch {
      throw invalid();
    }
    const [shardId, after, issued] = fields;
    if (fields.length !== 3 || !/^\d+$/.test(after) || !/^\d+$/.test(issued)) throw invalid();
    const stream = this.get(arn);
    if (!stream) throw new DynamoError('ResourceNotFoundException', msg.streamNotFound(arn));
    if (shardId !== stream.shardId) throw invalid();
    return { stream, after: Number(after), issued: Number(issued) };
  }

  /** Forgets streams disabled more than 24 hours ago. */
  private prune(): void {
    const now = this.now();
    for (const [arn, stream] of this.streams) {
      if (stream.disabledAt !== undefined && now - stream.disabledAt > RETENTION_MS) this.streams.delete(arn);
    }
  }

  private keeps(record: ChangeRecord): boolean {
    // Record timestamps are microseconds (HybridClock).
    if (record.timestamp < (this.now() - RETENTION_MS) * 1000) return false;
    for (const stream of this.streams.values()) if (stream.covers(record)) return true;
    return false;
  }

  private dropped(record: ChangeRecord): void {
    for (const stream of this.streams.values()) if (stream.covers(record)) stream.trimmedThrough = record.sequenceNumber;
  }
}

/** A sequence number as the API writes it: decimal digits, zero-padded to the shortest length the model allows. */
export function sequenceText(sequence: number): string {
  return String(sequence).padStart(SEQUENCE_DIGITS, '0');
}

/** 32-bit FNV-1a: a short, stable suffix for shard ids. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
