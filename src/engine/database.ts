/**
 * The catalog: tables by name, their lifecycle (CREATING -> ACTIVE, UPDATING -> ACTIVE,
 * DELETING -> gone) and the change log every table writes to.
 */
import type { Core } from '../core/wasm.js';
import { DynamoError } from '../model/index.js';
import * as msg from '../model/messages.js';
import { TokenBucket } from './capacity.js';
import { type Stream, type StreamViewType, Streams } from '../streams/streams.js';
import { ChangeLog, HybridClock, TTL_DELETION } from './changes.js';
import { type Index, type IndexDefinition, Table, type TableDefinition, type Throughput } from './table.js';

/** One table's catalog entry as storage keeps it (Database.catalog / restoreCatalog). */
export interface TableState {
  id: string;
  createdAt: number;
  definition: TableDefinition;
  billingModeExplicit: boolean;
  payPerRequestSince?: number;
  throughput: Throughput;
  indexes: { definition: IndexDefinition; throughput: Throughput }[];
  tags: [string, string][];
  ttlAttribute?: string;
  /** The view type of the table's enabled stream, if it has one. */
  stream?: StreamViewType;
  deleting: boolean;
}

export interface DatabaseOptions {
  /** Milliseconds a new table stays CREATING before it turns ACTIVE (DynamoDB: seconds). Default 0: ACTIVE on the next macrotask. */
  createTableMs?: number;
  /** Milliseconds a deleted table stays DELETING before it disappears. Default 0. */
  deleteTableMs?: number;
  /** Milliseconds a table stays UPDATING after UpdateTable. Default 0. */
  updateTableMs?: number;
  /**
   * A partition splits in two when its items exceed this many bytes. Default 1 MiB: a partition is
   * what storage reads on first use (one page), so its size bounds the first read of a large table.
   */
  partitionMaxBytes?: number;
  /** The item collection limit of tables with local secondary indexes. Default 10 GB, as in DynamoDB. */
  itemCollectionMaxBytes?: number;
  /** Region and account that appear in ARNs. Defaults: us-east-1, 000000000000. */
  region?: string;
  accountId?: string;
  /** This replica's id in change records. Default: a random UUID. */
  replicaId?: string;
  /**
   * How many recent change records to keep in memory for late readers. Default 10,000. Records of
   * tables with a stream are kept past this count for the stream's 24 hours.
   */
  retainChanges?: number;
  /** The clock provisioned throughput, Time to Live, change records and streams run on, in milliseconds. Default Date.now; tests inject one. */
  now?: () => number;
  /**
   * Milliseconds between sweeps that delete expired items from tables with Time to Live enabled.
   * Default 60,000 (DynamoDB: typically within two days of expiry).
   */
  ttlSweepMs?: number;
}

export class Database {
  readonly changes: ChangeLog;
  /** The DynamoDB Streams of this database's tables, served from `changes`. */
  readonly streams: Streams;
  private readonly tables = new Map<string, Table>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly arnPrefix: string;
  private readonly options: Required<Omit<DatabaseOptions, 'region' | 'accountId' | 'replicaId' | 'retainChanges' | 'now'>>;
  private closed = false;
  /** Whether a TTL sweep is scheduled: only while some table has TTL enabled. */
  private sweeping = false;
  /** Milliseconds now, by the database's clock. */
  readonly now: () => number;
  /** The AWS region the database answers as (ARNs, the HTTP health check). */
  readonly region: string;
  /** The AWS account the database answers as (ARNs, access-denied messages). */
  readonly accountId: string;

  constructor(
    readonly core: Core,
    options: DatabaseOptions = {},
  ) {
    this.options = {
      createTableMs: options.createTableMs ?? 0,
      deleteTableMs: options.deleteTableMs ?? 0,
      updateTableMs: options.updateTableMs ?? 0,
      partitionMaxBytes: options.partitionMaxBytes ?? 1024 * 1024,
      itemCollectionMaxBytes: options.itemCollectionMaxBytes ?? 10 * 1024 ** 3,
      ttlSweepMs: options.ttlSweepMs ?? 60_000,
    };
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '000000000000';
    this.arnPrefix = `arn:aws:dynamodb:${this.region}:${this.accountId}`;
    this.now = options.now ?? Date.now;
    this.changes = new ChangeLog(options.replicaId ?? crypto.randomUUID(), options.retainChanges ?? 10_000, new HybridClock(this.now));
    this.streams = new Streams(this.changes, this.now, this.region);
  }

  createTable(definition: TableDefinition, billingModeExplicit: boolean, indexes: IndexDefinition[] = []): Table {
    if (this.tables.has(definition.name)) throw new DynamoError('ResourceInUseException', msg.tableAlreadyExists(definition.name));
    const table = new Table(this.core, this.changes, definition, this.arnPrefix, this.options.partitionMaxBytes, billingModeExplicit, indexes, this.options.itemCollectionMaxBytes);
    for (const index of table.indexes) if (index.definition.global) index.status = 'CREATING';
    this.provision(table);
    this.tables.set(table.name, table);
    this.later(this.options.createTableMs, () => {
      table.status = 'ACTIVE';
      for (const index of table.indexes) index.status = 'ACTIVE';
    });
    return table;
  }

  /** Adds a GSI to a table that may hold data: CREATING (backfilling) now, ACTIVE after `updateTableMs`. */
  addIndex(table: Table, definition: IndexDefinition): void {
    const index = table.addIndex(definition);
    this.provision(table);
    index.status = 'CREATING';
    index.backfilling = true;
    table.status = 'UPDATING';
    this.later(this.options.updateTableMs, () => {
      index.status = 'ACTIVE';
      index.backfilling = false;
      if (table.status === 'UPDATING') table.status = 'ACTIVE';
    });
  }

  /**
   * Sets the token buckets of a table and its GSIs from their provisioned throughput: buckets on a
   * PROVISIONED table, none on an on-demand one (it meters but never throttles).
   */
  provision(table: Table): void {
    const now = this.now();
    const rates = (units: { ReadCapacityUnits: number; WriteCapacityUnits: number }, current?: { read: TokenBucket; write: TokenBucket }) => {
      if (!current) return { read: new TokenBucket(units.ReadCapacityUnits, now), write: new TokenBucket(units.WriteCapacityUnits, now) };
      current.read.setRate(units.ReadCapacityUnits, now);
      current.write.setRate(units.WriteCapacityUnits, now);
      return current;
    };
    const provisioned = table.billingMode === 'PROVISIONED';
    table.buckets = provisioned ? rates(table.throughput, table.buckets) : undefined;
    for (const index of table.indexes) {
      if (index.definition.global) index.buckets = provisioned ? rates(index.throughput, index.buckets) : undefined;
    }
  }

  /** Deletes a GSI: DELETING now, gone after `updateTableMs`. */
  deleteIndex(table: Table, index: Index): void {
    index.status = 'DELETING';
    table.status = 'UPDATING';
    this.later(this.options.updateTableMs, () => {
      table.removeIndex(index);
      if (table.status === 'UPDATING') table.status = 'ACTIVE';
    });
  }

  /** The table for a control-plane action (any status). */
  describe(name: string): Table {
    const table = this.tables.get(name);
    if (!table) throw new DynamoError('ResourceNotFoundException', msg.tableNotFound(name));
    return table;
  }

  /** The table for a data-plane action: it must exist and be ACTIVE or UPDATING. */
  table(name: string): Table {
    const table = this.tables.get(name);
    if (!table || table.status === 'CREATING' || table.status === 'DELETING') {
      throw new DynamoError('ResourceNotFoundException', msg.RESOURCE_NOT_FOUND);
    }
    return table;
  }

  /** The table with this name in any status, or undefined (storage: replay and undo). */
  tableOrUndefined(name: string): Table | undefined {
    return this.tables.get(name);
  }

  /** The table with this ARN (this database's region and account), in any status, or undefined. */
  tableByArn(arn: string): Table | undefined {
    const prefix = `${this.arnPrefix}:table/`;
    return arn.startsWith(prefix) ? this.tables.get(arn.slice(prefix.length)) : undefined;
  }

  /** Table names in ascending order (ListTables pages through them). */
  tableNames(): string[] {
    return [...this.tables.keys()].sort();
  }

  /** Enables a new stream on a table (the caller has checked it has none enabled). */
  enableStream(table: Table, viewType: StreamViewType): Stream {
    const keySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[] = [{ AttributeName: table.hash.name, KeyType: 'HASH' }];
    if (table.range) keySchema.push({ AttributeName: table.range.name, KeyType: 'RANGE' });
    table.stream = this.streams.enable({ name: table.name, arn: table.arn, keySchema }, viewType);
    return table.stream;
  }

  markUpdating(table: Table, apply: () => void): void {
    table.status = 'UPDATING';
    this.later(this.options.updateTableMs, () => {
      apply();
      this.provision(table);
      if (table.status === 'UPDATING') table.status = 'ACTIVE';
    });
  }

  deleteTable(name: string): Table {
    const table = this.describe(name);
    // DeleteTable API reference: CREATING or UPDATING is in use; DELETING already is no error.
    if (table.status === 'CREATING') throw new DynamoError('ResourceInUseException', msg.tableInUse('created', name));
    if (table.status === 'UPDATING') throw new DynamoError('ResourceInUseException', msg.tableInUse('updated', name));
    if (table.status === 'DELETING') return table;
    table.status = 'DELETING';
    this.later(this.options.deleteTableMs, () => {
      this.tables.delete(name);
      // A deleted table's stream stays readable, DISABLED, for its 24 hours.
      if (table.stream) this.streams.disable(table.stream);
      table.drop();
    });
    return table;
  }

  /** Enables Time to Live on `attribute`, or disables it (undefined). Expired items go at the next sweep. */
  setTimeToLive(table: Table, attribute: string | undefined): void {
    table.ttlAttribute = attribute;
    if (attribute !== undefined) this.sweepLater();
  }

  /**
   * Deletes the expired items (see Table.expiredKeys) of every ACTIVE or UPDATING table with Time
   * to Live enabled, by the database's clock, through the table's delete path: indexes follow and
   * each deletion's change record carries TTL_DELETION. Returns how many it deleted. The sweep
   * timer calls it; so can tests, with an injected clock.
   */
  expireItems(): number {
    const nowSeconds = this.now() / 1000;
    let deleted = 0;
    for (const table of this.tables.values()) {
      const attribute = table.ttlAttribute;
      // A table storage has not loaded whole is swept once it has (see Durable).
      if (attribute === undefined || (table.status !== 'ACTIVE' && table.status !== 'UPDATING') || table.stubs > 0) continue;
      for (const key of table.expiredKeys(attribute, nowSeconds)) {
        table.delete(key, TTL_DELETION);
        deleted++;
      }
    }
    return deleted;
  }

  private sweepLater(): void {
    if (this.sweeping || this.closed) return;
    this.sweeping = true;
    this.later(this.options.ttlSweepMs, () => {
      this.sweeping = false;
      this.expireItems();
      for (const table of this.tables.values()) {
        if (table.ttlAttribute !== undefined) return this.sweepLater();
      }
    });
  }

  /** Stops status and sweep timers and frees every table. The database is unusable afterwards. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const table of this.tables.values()) table.drop();
    this.tables.clear();
  }

  /** Called after every deferred catalog change (a status settling, an index filled): storage persists the catalog then. */
  onCatalogChange?: () => void;

  /** The catalog as plain data: what storage persists so that tables survive a restart. */
  catalog(): TableState[] {
    return [...this.tables.values()].map((table) => ({
      id: table.id,
      createdAt: table.createdAt,
      definition: {
        name: table.name,
        attributeDefinitions: table.attributeDefinitions,
        hash: table.hash,
        range: table.range,
        billingMode: table.billingMode,
        throughput: { ReadCapacityUnits: table.throughput.ReadCapacityUnits, WriteCapacityUnits: table.throughput.WriteCapacityUnits },
      },
      billingModeExplicit: table.billingModeExplicit,
      payPerRequestSince: table.payPerRequestSince,
      throughput: table.throughput,
      indexes: table.indexes.filter((index) => index.status !== 'DELETING').map((index) => ({ definition: index.definition, throughput: index.throughput })),
      tags: [...table.tags],
      ttlAttribute: table.ttlAttribute,
      stream: table.stream?.enabled ? table.stream.viewType : undefined,
      deleting: table.status === 'DELETING',
    }));
  }

  /**
   * Makes the catalog equal to `states` (recovery): tables not in it are dropped, tables in it
   * created (empty, ACTIVE) or brought up to date; a table re-created under the same name has a
   * new id, so it replaces the old one. Streams are left to restoreStreams.
   */
  restoreCatalog(states: TableState[]): void {
    const wanted = new Map(states.filter((state) => !state.deleting).map((state) => [state.definition.name, state]));
    for (const [name, table] of this.tables) {
      if (wanted.get(name)?.id !== table.id) {
        this.tables.delete(name);
        table.drop();
      }
    }
    for (const state of wanted.values()) {
      let table = this.tables.get(state.definition.name);
      if (!table) {
        table = new Table(this.core, this.changes, state.definition, this.arnPrefix, this.options.partitionMaxBytes, state.billingModeExplicit, state.indexes.map((index) => index.definition), this.options.itemCollectionMaxBytes);
        // Identity and creation time are the original table's, not this process's.
        Object.assign(table, { id: state.id, createdAt: state.createdAt });
        this.tables.set(table.name, table);
      }
      for (const index of [...table.indexes]) {
        if (!state.indexes.some((wantedIndex) => wantedIndex.definition.name === index.name)) table.removeIndex(index);
      }
      for (const { definition, throughput } of state.indexes) {
        const index = table.index(definition.name) ?? table.addIndex(definition);
        index.status = 'ACTIVE';
        index.backfilling = false;
        index.throughput = throughput;
      }
      // UpdateTable adds the attribute definitions of the indexes it creates.
      table.attributeDefinitions.splice(0, Infinity, ...state.definition.attributeDefinitions);
      table.status = 'ACTIVE';
      table.billingMode = state.definition.billingMode;
      table.billingModeExplicit = state.billingModeExplicit;
      table.payPerRequestSince = state.payPerRequestSince;
      table.throughput = state.throughput;
      table.tags.clear();
      for (const [key, value] of state.tags) table.tags.set(key, value);
      table.ttlAttribute = state.ttlAttribute;
      this.provision(table);
    }
    if (states.some((state) => state.ttlAttribute !== undefined)) this.sweepLater();
  }

  /** Enables the streams the catalog says are on (after recovery replayed the log, so replayed writes are not stream records). */
  restoreStreams(states: TableState[]): void {
    for (const state of states) {
      const table = this.tables.get(state.definition.name);
      if (table && state.stream && !table.stream?.enabled) this.enableStream(table, state.stream);
    }
  }

  private later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
      this.onCatalogChange?.();
    }, ms);
    // A pending status change or sweep must not keep a Node process alive.
    (timer as { unref?: () => void }).unref?.();
    this.timers.add(timer);
  }
}
