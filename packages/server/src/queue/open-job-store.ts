import type { ConcurrencySetting } from "@gwenmap/gwen-adapter";
import type { Logger } from "pino";
import type { ServerConfig } from "../config/server-options.js";
import type { DiskState } from "./disk-budget/disk-budget.js";
import { megabytes } from "./disk-budget/disk-low-error.js";
import type { JobStore } from "./job-store.js";
import type { QueueWork } from "./postgres/instance-wakeups.js";
import { PostgresJobStore } from "./postgres/postgres-job-store.js";
import { limitSends, type Sender } from "./postgres/rate-limited-sender.js";
import { SqliteJobStore } from "./sqlite/sqlite-job-store.js";

/** The queue the server runs on. */
export interface OpenedJobStore {
  readonly store: JobStore;
  /** Where the queue is, for the log (a URL's password masked). */
  readonly location: string;
  /**
   * Holds the GWEN client to the global rate limit: with a PostgreSQL queue
   * and `GWENMAP_RATE_LIMIT`, a limit shared by every instance on the
   * database; otherwise the client as it is (its own limiter covers one process).
   */
  limit(client: Sender): Sender;
  /**
   * Calls `listener` when another instance on the same queue commits work
   * (PostgreSQL only; a SQLite queue has one instance); resolves once listening.
   */
  watchOtherInstances(listener: (work: QueueWork) => void): Promise<void>;
}

/**
 * Opens the job store the configuration names: PostgreSQL when
 * `GWENMAP_QUEUE_URL` is set, else the SQLite file in the data directory;
 * or `given` (a store passed to `startServer`). Throws `StoreError` `E_STORE_OPEN`.
 */
export async function openJobStore(
  config: ServerConfig,
  context: { given?: JobStore | undefined; logger: Logger },
): Promise<OpenedJobStore> {
  const keep = (client: Sender) => client;
  const alone = async () => {};
  if (context.given) {
    return {
      store: context.given,
      location: "a store given to startServer",
      limit: keep,
      watchOtherInstances: alone,
    };
  }
  const shared = {
    maxQueueDepth: config.maxQueueDepth,
    dedupeWindowMs: config.dedupeWindowMs,
    leaseMs: config.leaseMs,
    retryAfterSeconds: config.retryAfterSeconds,
  };
  if (config.queueUrl !== undefined) {
    const store = await PostgresJobStore.open({
      ...shared,
      url: config.queueUrl,
      poolSize: queuePoolSize(config.concurrency),
      onConnectionError: (error) =>
        context.logger.warn(
          { err: error },
          "a PostgreSQL connection of the queue broke; reconnecting",
        ),
    });
    const rate = config.rateLimit;
    return {
      store,
      location: store.location,
      limit: rate === undefined ? keep : (client) => limitSends(client, store.rateLimiter(rate)),
      watchOtherInstances: (listener) => store.onOtherInstanceWork(listener),
    };
  }
  const store = await SqliteJobStore.open({
    ...shared,
    dataDir: config.dataDir,
    ...(config.maxStoreBytes === undefined ? {} : { maxStoreBytes: config.maxStoreBytes }),
    ...(config.diskReserveBytes === undefined ? {} : { diskReserveBytes: config.diskReserveBytes }),
    onDiskChange: (disk) => logDiskChange(context.logger, disk),
  });
  return { store, location: store.file, limit: keep, watchOtherInstances: alone };
}

/**
 * The queue's connections for everything but ingest: 4 and one per 8
 * requests in flight, at most 20. Adaptive concurrency counts as 64: its
 * settlements are gathered into one write per few milliseconds whatever the
 * limit, so the pool need not grow with its ceiling.
 */
function queuePoolSize(concurrency: ConcurrencySetting): number {
  const inFlight = concurrency.mode === "fixed" ? concurrency.concurrency : 64;
  return Math.min(20, 4 + Math.ceil(inFlight / 8));
}

/** One line each time the disk budget changes: why events are refused or not mapped ahead, and when that ends. */
function logDiskChange(logger: Logger, disk: DiskState): void {
  const figures = {
    dataDir: disk.dir,
    freeBytes: disk.freeBytes,
    reserveBytes: disk.reserveBytes,
    resumeBytes: disk.resumeBytes,
  };
  const free = `${megabytes(disk.freeBytes)} free in ${disk.dir}`;
  if (disk.low) {
    logger.warn(
      figures,
      `disk low: ${free}, below the reserve of ${megabytes(disk.reserveBytes)}; new events are answered 503 until ${megabytes(disk.resumeBytes)} are free, deliveries go on (free disk space, or move GWENMAP_DATA_DIR to a larger disk)`,
    );
  } else if (disk.short) {
    logger.warn(
      figures,
      `disk short: ${free}, under twice the reserve of ${megabytes(disk.reserveBytes)}; events are taken, but mapped only as fast as they are delivered`,
    );
  } else {
    logger.info(figures, `disk space back: ${free}; events are taken and mapped as usual`);
  }
}
