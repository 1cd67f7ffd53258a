import type { Pool } from "pg";
import { StoreError } from "../../errors.js";
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
import { AppendGroup } from "./append-group.js";
import { claimDeliveries, claimReplays, claimRequests, type LeaseTerms } from "./claim-jobs.js";
import { commitMapping } from "./commit-mapping.js";
import { connectPool, connectQueue, type QueueLocation, type QueuePools } from "./connect-pool.js";
import { forgetSeen } from "./forget-seen.js";
import { GlobalRateLimiter } from "./global-rate-limiter.js";
import { InstanceWakeups, type QueueWork } from "./instance-wakeups.js";
import { markForReplay } from "./mark-for-replay.js";
import { migrate, quoteSchema } from "./migrations.js";
import { QueueCounts } from "./queue-counts.js";
import { readFailures } from "./read-failures.js";
import { readNextDueAt, readOldestPendingAt } from "./read-queue-times.js";
import { runTransaction } from "./run-transaction.js";
import { settleDeliveries } from "./settle-deliveries.js";

/** Options of `PostgresJobStore.open`. */
export interface PostgresJobStoreOptions extends JobStoreOptions {
  /** `postgres://user:password@host:5432/database`, optionally `?schema=name` (default `gwenmap`). */
  readonly url: string;
  /** Connections this instance opens at most (default 10). */
  readonly poolSize?: number;
  /** Told when an idle connection breaks (the pool replaces it); never sees the password. */
  readonly onConnectionError?: (error: Error) => void;
}

const DEFAULT_POOL_SIZE = 10;
const MAX_PAGE = 1_000;

/**
 * The job store on PostgreSQL, for several server instances sharing one
 * queue. Leases are columns (`lease_until`), claimed with
 * `FOR UPDATE SKIP LOCKED`, so a job held by an instance that died is
 * claimed by another once its lease runs out. Ingest inserts are grouped;
 * deduplication is the `seen` table's unique key; the schema is migrated at
 * open under an advisory lock. Behaves exactly as `SqliteJobStore` (both
 * pass the same contract suite).
 */
export class PostgresJobStore implements JobStore {
  /** The database, with the password masked. */
  readonly location: string;
  /** Every write but ingest: committed without waiting for the disk (see `connectQueue`). */
  readonly #pool: Pool;
  /** Ingest only: each commit waits for the disk, since it acknowledges events. */
  readonly #durable: Pool;
  readonly #schema: string;
  readonly #options: PostgresJobStoreOptions;
  readonly #clock: () => number;
  readonly #appends: AppendGroup;
  readonly #counts: QueueCounts;
  readonly #location: QueueLocation;
  readonly #wakeups: InstanceWakeups;
  /** Pools of rate limiters made by `rateLimiter`, ended by `close`. */
  readonly #limiterPools: Pool[] = [];
  /** Events of appends not yet committed: they count towards the depth already. */
  #appending = 0;
  #closing: Promise<void> | undefined;

  private constructor(
    pools: QueuePools,
    location: QueueLocation,
    options: PostgresJobStoreOptions,
  ) {
    const pool = pools.work;
    this.location = location.redacted;
    this.#pool = pool;
    this.#durable = pools.durable;
    this.#schema = quoteSchema(location.schema);
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
    this.#appends = new AppendGroup(pools.durable, this.#schema);
    this.#counts = new QueueCounts(pool, this.#schema);
    this.#location = location;
    this.#wakeups = new InstanceWakeups(pool, location, {
      onError: options.onConnectionError ?? (() => {}),
    });
  }

  /**
   * Connects, creates or migrates the schema, and counts what the queue holds.
   * Throws `StoreError` `E_STORE_OPEN` (unreachable database, bad URL or schema
   * name, a schema migrated by a newer gwenmap).
   */
  static async open(options: PostgresJobStoreOptions): Promise<PostgresJobStore> {
    const { location, pools } = connectQueue(options.url, {
      poolSize: options.poolSize ?? DEFAULT_POOL_SIZE,
      onError: options.onConnectionError ?? (() => {}),
    });
    try {
      const store = new PostgresJobStore(pools, location, options);
      await migrate(pools.durable, location.schema);
      await store.#counts.refresh();
      return store;
    } catch (cause) {
      await Promise.all([pools.work.end(), pools.durable.end()]).catch(() => {});
      if (cause instanceof StoreError) throw cause;
      throw new StoreError(
        "E_STORE_OPEN",
        `The PostgreSQL queue at ${location.redacted} cannot be opened (${(cause as Error).message}): check GWENMAP_QUEUE_URL, that the database runs and that the user may create a schema.`,
        { cause },
      );
    }
  }

  async appendRequest(request: IngestRequest): Promise<void> {
    this.#checkOpen();
    const counts = this.#counts.estimate();
    const depth = counts.unmappedEvents + counts.pendingDeliveries + this.#appending;
    // An empty queue takes any request, so that a batch larger than the limit is not refused forever.
    if (depth + request.events > this.#options.maxQueueDepth && depth > 0) {
      throw new StoreError(
        "E_QUEUE_FULL",
        `The queue holds ${depth} events, the most GWENMAP_MAX_QUEUE_DEPTH (${this.#options.maxQueueDepth}) allows: try again later.`,
        { retryAfterSeconds: this.#options.retryAfterSeconds },
      );
    }
    this.#appending += request.events;
    try {
      await this.#appends.add(request);
      this.#counts.apply({ unmappedEvents: request.events });
      this.#wakeups.announce("requests");
    } catch (cause) {
      throw new StoreError(
        "E_STORE_UNAVAILABLE",
        `The PostgreSQL queue could not store the request (${(cause as Error).message}): try again later.`,
        { cause, retryAfterSeconds: this.#options.retryAfterSeconds },
      );
    } finally {
      this.#appending -= request.events;
    }
  }

  claimRequests(limit: number): Promise<StoredRequest[]> {
    return this.#run("claim requests", () =>
      claimRequests(this.#pool, this.#schema, { limit, lease: this.#lease() }),
    );
  }

  commitMapping(commit: MappingCommit): Promise<MappingCommitResult> {
    const now = this.#clock();
    const context = { commit, now, dedupeCutoff: now - this.#options.dedupeWindowMs };
    return this.#run("commit mapped events", async () => {
      const applied = await runTransaction(this.#pool, (client) =>
        commitMapping(client, this.#schema, context),
      );
      this.#counts.apply(applied.delta);
      if ((applied.delta.pendingDeliveries ?? 0) > 0) this.#wakeups.announce("deliveries");
      return applied.result;
    });
  }

  claimDeliveries(limit: number): Promise<ClaimedDelivery[]> {
    return this.#run("claim deliveries", () =>
      claimDeliveries(this.#pool, this.#schema, { limit, lease: this.#lease() }),
    );
  }

  async renewLeases(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    const lease = this.#lease();
    await this.#run("renew leases", () =>
      this.#pool.query(
        `UPDATE ${this.#schema}.records SET lease_until = $2
         WHERE id = ANY($1::bigint[]) AND state = 'pending' AND lease_until > 0`,
        [ids, lease.until],
      ),
    );
  }

  async settleDeliveries(settlements: readonly Settlement[]): Promise<void> {
    if (settlements.length === 0) return;
    const context = { settlements, now: this.#clock() };
    await this.#run("record delivery outcomes", async () => {
      const kinds = new Set(settlements.map((settlement) => settlement.result)).size;
      const delta =
        kinds === 1
          ? await settleDeliveries(this.#pool, this.#schema, context)
          : await runTransaction(this.#pool, (client) =>
              settleDeliveries(client, this.#schema, context),
            );
      this.#counts.apply(delta);
    });
    // Released deliveries (a shutting-down instance's) are due at once: another instance may take them.
    if (settlements.some((settlement) => settlement.result === "released")) {
      this.#wakeups.announce("deliveries");
    }
  }

  /**
   * Calls `listener` when another instance on this queue commits work
   * (`LISTEN`/`NOTIFY`: see `InstanceWakeups`); resolves once listening.
   */
  onOtherInstanceWork(listener: (work: QueueWork) => void): Promise<void> {
    return this.#wakeups.listen(listener);
  }

  nextDueAt(): Promise<number | undefined> {
    return this.#run("read the next due time", () =>
      readNextDueAt(this.#pool, this.#schema, this.#clock()),
    );
  }

  listFailures(query: FailureQuery = {}): Promise<FailurePage> {
    const limit = Math.min(Math.max(1, query.limit ?? 100), MAX_PAGE);
    return this.#run("list failures", async () => {
      const items = await readFailures(this.#pool, this.#schema, { query, limit });
      const last = items.at(-1);
      return items.length === limit && last ? { items, nextAfterId: last.id } : { items };
    });
  }

  requestReplay(selector: ReplaySelector): Promise<number> {
    const context = { selector, now: this.#clock() };
    return this.#run("mark failures for replay", async () => {
      const { marked, delta } = await markForReplay(this.#pool, this.#schema, context);
      this.#counts.apply(delta);
      if (marked > 0) this.#wakeups.announce("requests");
      return marked;
    });
  }

  claimReplays(limit: number): Promise<ReplayRecord[]> {
    return this.#run("claim replays", () =>
      claimReplays(this.#pool, this.#schema, { limit, lease: this.#lease() }),
    );
  }

  stats(): Promise<QueueStats> {
    return this.#run("read queue statistics", async () => {
      const counts = await this.#counts.current();
      const at = await readOldestPendingAt(this.#pool, this.#schema);
      return at === undefined ? counts : { ...counts, oldestPendingAt: at };
    });
  }

  cleanup(): Promise<number> {
    const cutoff = this.#clock() - this.#options.dedupeWindowMs;
    return this.#run("clean up", () =>
      forgetSeen(this.#pool, this.#schema, { cutoff, stopping: () => this.#closing !== undefined }),
    );
  }

  close(): Promise<void> {
    this.#closing ??= Promise.all([this.#appends.settled(), this.#wakeups.close()])
      .then(() =>
        Promise.all([this.#pool, this.#durable, ...this.#limiterPools].map((pool) => pool.end())),
      )
      .then(() => {});
    return this.#closing;
  }

  /**
   * A limiter that all instances on this database share, for the global rate
   * limit towards GWEN. It has a connection of its own; `close()` closes it.
   */
  rateLimiter(ratePerSecond: number): GlobalRateLimiter {
    const pool = connectPool(this.#location, {
      max: 1,
      onError: this.#options.onConnectionError ?? (() => {}),
      settings: "-c synchronous_commit=off",
    });
    this.#limiterPools.push(pool);
    return new GlobalRateLimiter(pool, { schema: this.#schema, ratePerSecond });
  }

  /** The connection pool (for tests and tools that inspect the tables). */
  get pool(): Pool {
    return this.#pool;
  }

  /** The quoted schema name the tables live in. */
  get schema(): string {
    return this.#schema;
  }

  #lease(): LeaseTerms {
    const now = this.#clock();
    return { now, until: now + this.#options.leaseMs };
  }

  async #run<T>(what: string, work: () => Promise<T>): Promise<T> {
    this.#checkOpen();
    try {
      return await work();
    } catch (cause) {
      if (cause instanceof StoreError) throw cause;
      throw new StoreError(
        "E_STORE_UNAVAILABLE",
        `The PostgreSQL queue could not ${what} (${(cause as Error).message}); the work is retried.`,
        { cause, retryAfterSeconds: this.#options.retryAfterSeconds },
      );
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
