import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { StoreError } from "../../errors.js";
import {
  DiskBudget,
  type DiskState,
  MAPPING_GROWTH,
  type MeasureDisk,
  mappingAllowance,
  measureDisk,
} from "../disk-budget/disk-budget.js";
import { diskLowError } from "../disk-budget/disk-low-error.js";
import {
  defaultReserveBytes,
  journalSegmentBytes,
  walLimitBytes,
} from "../disk-budget/disk-sizes.js";
import type {
  ClaimedDelivery,
  FailurePage,
  FailureQuery,
  IngestRequest,
  JobStore,
  JobStoreOptions,
  MappingCommit,
  MappingCommitResult,
  QueueStats,
  ReplayRecord,
  ReplaySelector,
  Settlement,
  StoredRequest,
} from "../job-store.js";
import { IngestJournal } from "../journal/ingest-journal.js";
import { Leases } from "../leases/leases.js";
import { type DataDirLock, lockDataDir } from "./data-dir-lock.js";
import { DEFAULT_FEED_LIMITS, DeliveryFeed, type FeedLimits } from "./delivery-feed.js";
import { ReadQueries, type RecordCounts } from "./read-queries.js";
import { configureConnection } from "./schema.js";
import type { CountDelta } from "./write-protocol.js";
import { WriterClient } from "./writer-client.js";

/** Options of `openSqliteJobStore`. */
export interface SqliteJobStoreOptions extends JobStoreOptions {
  /** The directory that holds `queue.sqlite` (created if missing). */
  readonly dataDir: string;
  /** Caps the file's size (SQLite `max_page_count`); beyond it writes fail with `E_STORE_UNAVAILABLE`. */
  readonly maxStoreBytes?: number;
  /** How many just-committed deliveries are kept in memory for claims (see `DeliveryFeed`). */
  readonly deliveryFeed?: FeedLimits;
  /** Free space to keep in the data directory (`GWENMAP_DISK_RESERVE_MB`); default: see `defaultReserveBytes`. */
  readonly diskReserveBytes?: number;
  /** Told when the disk runs low (events refused) or short (mapping waits for delivery), and when it recovers. */
  readonly onDiskChange?: (state: DiskState) => void;
  /** Reads the disk's free space (tests pass their own). */
  readonly measureDisk?: MeasureDisk;
}

/** The disk budget's settings, read once at open. */
interface DiskSettings {
  readonly measure: MeasureDisk;
  readonly totalBytes: number;
  readonly reserveBytes: number;
}

/** The file name of the store inside the data directory. */
export const STORE_FILE = "queue.sqlite";
/** The directory of the ingest journal inside the data directory. */
export const JOURNAL_DIR = "journal";

const CLEANUP_BATCH = 5_000;
const LEGACY_BATCH = 500;
const MAX_PAGE = 1_000;
/**
 * While the feed has deliveries, SQLite is still read this often when it may
 * hold others (retries falling due, deliveries that did not fit the feed or
 * were committed before a restart), so that none of them waits long behind
 * a busy feed.
 */
const SQL_CLAIM_EVERY_MS = 100;
/**
 * Mapping feeds delivery while fewer deliveries than this wait; with more, it
 * runs ahead of delivery, and the disk budget gives it less room (see `mappingAllowance`).
 */
const FEEDING_DELIVERY_BELOW = 1_000;
/** While the disk is short, the WAL is checkpointed and truncated at most this often. */
const CHECKPOINT_EVERY_MS = 1_000;
/** Bytes a journal entry takes beyond its body (its header and fields), for the budget. */
const ENTRY_OVERHEAD_BYTES = 256;
/**
 * The embedded job store. Acknowledged requests go to the ingest journal
 * (segment files, one write and one `fdatasync` per group of requests);
 * records live in one SQLite file in WAL mode, written by one writer thread
 * that groups writes into transactions (`synchronous = FULL`) and read on a
 * separate connection on the main thread. Which journal entries are mapped
 * is committed with the records they became. Leases live in memory (one
 * process per data directory), so crash recovery is free: after a restart
 * every job not committed as finished is claimable again. A disk budget keeps
 * free space in the data directory above a reserve (see `DiskBudget`).
 */
export class SqliteJobStore implements JobStore {
  readonly file: string;
  readonly #writer: WriterClient;
  readonly #reader: Database.Database;
  readonly #reads: ReadQueries;
  readonly #options: SqliteJobStoreOptions;
  readonly #clock: () => number;
  readonly #journal: IngestJournal;
  readonly #requestLeases: Leases;
  readonly #deliveryLeases: Leases;
  readonly #replayLeases: Leases;
  readonly #counts: RecordCounts & Record<string, number>;
  readonly #feed: DeliveryFeed;
  readonly #budget: DiskBudget;
  /** What the requests handed to mapping will take on disk once mapped, held in the budget until committed. */
  readonly #mappingHolds = new Map<number, () => void>();
  #checkpointing: Promise<void> | undefined;
  #lastCheckpoint = Number.NEGATIVE_INFINITY;
  #lastSqlClaim = Number.NEGATIVE_INFINITY;
  /** Events of appends not yet durable: they count towards the depth already. */
  #appendingEvents = 0;
  #closing: Promise<void> | undefined;
  #lock: DataDirLock | undefined;

  private constructor(parts: {
    file: string;
    writer: WriterClient;
    reader: Database.Database;
    options: SqliteJobStoreOptions;
    disk: DiskSettings;
  }) {
    this.file = parts.file;
    this.#writer = parts.writer;
    this.#reader = parts.reader;
    this.#reads = new ReadQueries(parts.reader);
    this.#options = parts.options;
    const onChange = parts.options.onDiskChange;
    this.#budget = new DiskBudget({
      dir: parts.options.dataDir,
      reserveBytes: parts.disk.reserveBytes,
      measure: parts.disk.measure,
      reusable: () => this.#reads.reusableBytes(),
      ...(onChange ? { onChange } : {}),
    });
    this.#clock = parts.options.clock ?? Date.now;
    this.#requestLeases = new Leases(parts.options.leaseMs, this.#clock);
    this.#journal = IngestJournal.open({
      dir: join(parts.options.dataDir, JOURNAL_DIR),
      mappedThrough: this.#reads.journalMappedThrough(),
      leases: this.#requestLeases,
      retryAfterSeconds: parts.options.retryAfterSeconds,
      segmentBytes: journalSegmentBytes(parts.disk.totalBytes),
      // GWENMAP_MAX_STORE_MB caps what the journal holds unmapped as it caps the SQLite file.
      ...(parts.options.maxStoreBytes ? { maxUnmappedBytes: parts.options.maxStoreBytes } : {}),
    });
    this.#deliveryLeases = new Leases(parts.options.leaseMs, this.#clock);
    this.#replayLeases = new Leases(parts.options.leaseMs, this.#clock);
    this.#counts = { ...this.#reads.counts() };
    this.#feed = new DeliveryFeed(parts.options.deliveryFeed ?? DEFAULT_FEED_LIMITS);
  }

  /** Opens (or creates) `queue.sqlite` in `dataDir`. Throws `StoreError` `E_STORE_OPEN`. */
  static async open(options: SqliteJobStoreOptions): Promise<SqliteJobStore> {
    const file = join(options.dataDir, STORE_FILE);
    try {
      mkdirSync(options.dataDir, { recursive: true });
    } catch (cause) {
      throw new StoreError(
        "E_STORE_OPEN",
        `The data directory ${options.dataDir} cannot be created (${(cause as Error).message}): set GWENMAP_DATA_DIR to a writable directory.`,
        { cause },
      );
    }
    const lock = lockDataDir(options.dataDir);
    try {
      const measure = options.measureDisk ?? measureDisk;
      const { totalBytes } = measure(options.dataDir);
      const reserveBytes = options.diskReserveBytes ?? defaultReserveBytes(totalBytes);
      const disk = { measure, totalBytes, reserveBytes };
      const store = await SqliteJobStore.#openLocked(options, { file, disk });
      store.#lock = lock;
      return store;
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  static async #openLocked(
    options: SqliteJobStoreOptions,
    { file, disk }: { file: string; disk: DiskSettings },
  ): Promise<SqliteJobStore> {
    let store: SqliteJobStore | undefined;
    const writer = await WriterClient.start(
      {
        file,
        walLimitBytes: walLimitBytes(disk.reserveBytes),
        ...(options.maxStoreBytes ? { maxStoreBytes: options.maxStoreBytes } : {}),
      },
      {
        onDelta: (delta) => {
          if (store) store.#apply(delta);
        },
        retryAfterSeconds: options.retryAfterSeconds,
      },
    );
    let reader: Database.Database;
    try {
      reader = new Database(file);
      configureConnection(reader);
    } catch (cause) {
      await writer.close();
      throw new StoreError(
        "E_STORE_OPEN",
        `The job store ${file} cannot be read: ${String(cause)}`,
        {
          cause,
        },
      );
    }
    try {
      store = new SqliteJobStore({ file, writer, reader, options, disk });
    } catch (cause) {
      reader.close();
      await writer.close();
      if (cause instanceof StoreError) throw cause;
      throw new StoreError(
        "E_STORE_OPEN",
        `The ingest journal in ${join(options.dataDir, JOURNAL_DIR)} cannot be opened: ${String(cause)}. Check that GWENMAP_DATA_DIR is a writable directory.`,
        { cause },
      );
    }
    try {
      await store.#moveLegacyRequests();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  async appendRequest(request: IngestRequest): Promise<void> {
    this.#checkOpen();
    const disk = this.#budget.current();
    if (disk.low) {
      this.#keepRoom();
      throw diskLowError(disk, this.#options.retryAfterSeconds);
    }
    const depth =
      this.#journal.unmappedEvents + this.#counts.pendingDeliveries + this.#appendingEvents;
    // An empty queue takes any request, so that a batch larger than the limit is not refused forever.
    if (depth + request.events > this.#options.maxQueueDepth && depth > 0) {
      throw new StoreError(
        "E_QUEUE_FULL",
        `The queue holds ${depth} events, the most GWENMAP_MAX_QUEUE_DEPTH (${this.#options.maxQueueDepth}) allows: try again later.`,
        { retryAfterSeconds: this.#options.retryAfterSeconds },
      );
    }
    this.#appendingEvents += request.events;
    try {
      await this.#journal.append(request);
      this.#budget.spend(request.body.length + ENTRY_OVERHEAD_BYTES);
    } catch (error) {
      // A write the disk refused: see what is left now rather than within the next measurement.
      this.#budget.measure();
      throw error;
    } finally {
      this.#appendingEvents -= request.events;
    }
  }

  /** Up to `limit` requests, as many as the disk budget lets mapping turn into rows now. */
  async claimRequests(limit: number): Promise<StoredRequest[]> {
    this.#checkOpen();
    // Measured afresh: a round turns requests into rows several times their size.
    const feedsDelivery = this.#counts.pendingDeliveries < FEEDING_DELIVERY_BELOW;
    const allowance = mappingAllowance(this.#budget.measure(), feedsDelivery);
    const claimed = this.#journal.claim(limit, allowance);
    if (claimed.length === 0) this.#keepRoom();
    for (const { id } of claimed) {
      this.#mappingHolds.get(id)?.();
      this.#mappingHolds.set(id, this.#budget.hold(this.#journal.bytesOf(id) * MAPPING_GROWTH));
    }
    return claimed;
  }

  async commitMapping(commit: MappingCommit): Promise<MappingCommitResult> {
    const now = this.#clock();
    const journalMappedThrough = this.#journal.mappedThroughAfter(commit.requestIds);
    try {
      const { deliveryIds, ...result } = await this.#writer.run({
        op: "commitMapping",
        commit,
        now,
        dedupeCutoff: now - this.#options.dedupeWindowMs,
        journalMappedThrough,
      });
      this.#journal.mapped(commit.requestIds, journalMappedThrough);
      this.#feed.addCommitted(commit, deliveryIds, {
        windowStart: now,
        leases: this.#deliveryLeases,
      });
      return result;
    } finally {
      this.#requestLeases.release(commit.requestIds);
      this.#replayLeases.release(commit.replacements.map((replacement) => replacement.id));
      for (const id of commit.requestIds) {
        this.#mappingHolds.get(id)?.();
        this.#mappingHolds.delete(id);
      }
    }
  }

  /**
   * Earliest first, from SQLite or from the feed of deliveries just
   * committed: a retry falling due may wait up to `SQL_CLAIM_EVERY_MS` behind
   * them.
   */
  async claimDeliveries(limit: number): Promise<ClaimedDelivery[]> {
    this.#checkOpen();
    const now = this.#clock();
    const leases = this.#deliveryLeases;
    if (this.#feed.size > 0 && !this.#sqliteMayHoldMore(now)) return this.#feed.take(limit, leases);
    this.#lastSqlClaim = now;
    const rows = this.#reads.dueDeliveries(now, leases.heldIds(), limit);
    for (const row of rows) {
      leases.take(row.id);
      this.#feed.forget(row.id);
    }
    return rows;
  }

  async renewLeases(ids: readonly number[]): Promise<void> {
    this.#deliveryLeases.renew(ids);
  }

  async settleDeliveries(settlements: readonly Settlement[]): Promise<void> {
    if (settlements.length === 0) return;
    try {
      await this.#writer.run({ op: "settle", settlements, now: this.#clock() });
    } finally {
      this.#deliveryLeases.release(settlements.map((settlement) => settlement.id));
    }
    this.#keepRoom();
  }

  async nextDueAt(): Promise<number | undefined> {
    this.#checkOpen();
    if (this.#feed.size > 0) return this.#clock();
    return this.#reads.nextDueAt(this.#deliveryLeases.heldIds());
  }

  async listFailures(query: FailureQuery = {}): Promise<FailurePage> {
    this.#checkOpen();
    const limit = Math.min(Math.max(1, query.limit ?? 100), MAX_PAGE);
    const items = this.#reads.failures(query, limit);
    const last = items.at(-1);
    return items.length === limit && last ? { items, nextAfterId: last.id } : { items };
  }

  requestReplay(selector: ReplaySelector): Promise<number> {
    return this.#writer.run({ op: "replay", selector, now: this.#clock() });
  }

  async claimReplays(limit: number): Promise<ReplayRecord[]> {
    this.#checkOpen();
    const rows = this.#reads.replays(limit + this.#replayLeases.size);
    return this.#lease(rows, this.#replayLeases, limit);
  }

  async stats(): Promise<QueueStats> {
    this.#checkOpen();
    const times = [this.#journal.oldestUnmappedAt(), this.#reads.oldestPendingAt()];
    const known = times.filter((time): time is number => time !== undefined);
    const oldestPendingAt = known.length > 0 ? Math.min(...known) : undefined;
    const disk = this.#budget.current();
    return {
      unmappedEvents: this.#journal.unmappedEvents,
      pendingDeliveries: this.#counts.pendingDeliveries,
      dead: this.#counts.dead,
      rejected: this.#counts.rejected,
      replaying: this.#counts.replaying,
      ...(oldestPendingAt === undefined ? {} : { oldestPendingAt }),
      disk: {
        freeBytes: disk.freeBytes,
        reserveBytes: disk.reserveBytes,
        ...(disk.low
          ? { refusingBecause: diskLowError(disk, this.#options.retryAfterSeconds).message }
          : {}),
      },
    };
  }

  async cleanup(): Promise<number> {
    const cutoff = this.#clock() - this.#options.dedupeWindowMs;
    let removed = 0;
    for (;;) {
      const batch = await this.#writer.run({ op: "cleanup", cutoff, limit: CLEANUP_BATCH });
      removed += batch;
      if (batch < CLEANUP_BATCH) return removed;
    }
  }

  close(): Promise<void> {
    const parts = [this.#journal.close(), this.#checkpointing, this.#writer.close()];
    this.#closing ??= Promise.all(parts).then(() => {
      this.#reader.close();
      this.#lock?.release();
    });
    return this.#closing;
  }

  #lease<T extends { id: number }>(rows: readonly T[], leases: Leases, limit: number): T[] {
    const claimed: T[] = [];
    for (const row of rows) {
      if (claimed.length >= limit) break;
      if (leases.held(row.id)) continue;
      leases.take(row.id);
      claimed.push(row);
    }
    return claimed;
  }

  /** A store written by schema version 1 kept unmapped requests in SQLite: they move to the journal. */
  async #moveLegacyRequests(): Promise<void> {
    for (;;) {
      const requests = this.#reads.legacyRequests(LEGACY_BATCH);
      if (requests.length === 0) return;
      for (const { id: _id, ...request } of requests) {
        await this.#journal.append(request);
      }
      await this.#writer.run({
        op: "dropLegacyRequests",
        ids: requests.map((request) => request.id),
      });
    }
  }

  /**
   * While the disk is short, gives the WAL's space back to it: what
   * deliveries deleted is copied into the file (whose free pages the budget
   * counts) and the WAL truncated; at most one checkpoint at a time, one a second.
   */
  #keepRoom(): void {
    const now = this.#clock();
    if (this.#checkpointing || this.#closing || now - this.#lastCheckpoint < CHECKPOINT_EVERY_MS) {
      return;
    }
    if (!this.#budget.current().short) return;
    this.#lastCheckpoint = now;
    this.#checkpointing = this.#writer
      .run({ op: "checkpoint" })
      .then(
        () => this.#budget.measure(),
        // Nothing to undo: the next one tries again.
        () => undefined,
      )
      .then(() => {
        this.#checkpointing = undefined;
      });
  }

  /** Whether pending rows may exist that are neither in the feed nor leased, and SQLite was not read lately. */
  #sqliteMayHoldMore(now: number): boolean {
    const elsewhere = this.#counts.pendingDeliveries - this.#feed.size - this.#deliveryLeases.size;
    return elsewhere > 0 && now - this.#lastSqlClaim >= SQL_CLAIM_EVERY_MS;
  }

  #apply(delta: CountDelta): void {
    for (const [name, change] of Object.entries(delta)) {
      if (change) this.#counts[name] = (this.#counts[name] ?? 0) + change;
    }
  }

  #checkOpen(): void {
    if (this.#closing) {
      throw new StoreError(
        "E_STORE_CLOSED",
        "The job store is closed: the server is shutting down; try again shortly.",
        { retryAfterSeconds: this.#options.retryAfterSeconds },
      );
    }
  }
}
