import pg from "pg";
import { StoreError } from "../../errors.js";

/** The schema the tables live in when the URL names none. */
export const DEFAULT_SCHEMA = "gwenmap";

const INT8 = 20;

/** Where the queue lives: the connection string for `pg`, and the schema named by `?schema=`. */
export interface QueueLocation {
  readonly connectionString: string;
  readonly schema: string;
  /** The URL with its password replaced by `***`, for logs and errors. */
  readonly redacted: string;
}

/**
 * Reads a `postgres://` URL. gwenmap's own `schema` parameter is taken out;
 * everything else (`sslmode`, `application_name`, ...) goes to `pg` as given.
 */
export function parseQueueUrl(url: string): QueueLocation {
  const parsed = new URL(url);
  const redacted = new URL(parsed.href);
  if (redacted.password !== "") redacted.password = "***";
  const schema = parsed.searchParams.get("schema") ?? DEFAULT_SCHEMA;
  parsed.searchParams.delete("schema");
  return { connectionString: parsed.href, schema, redacted: redacted.href };
}

/** Whether a URL names a PostgreSQL database (`postgres://` or `postgresql://`). */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/**
 * pg's client, listening for its own `'error'` events from the start. pg
 * emits one when a connection breaks (a restart, a failover's
 * `pg_terminate_backend`), and one that finds no listener ends the process.
 * The pool listens while a client is idle, `withClient` while it is held;
 * under load a server process still died, now and then, of a terminated
 * connection's error with no listener (a client between those hands). This
 * listener only keeps the process alive: the broken client's queries still
 * fail, and the pool drops it.
 */
class ListeningClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    this.on("error", () => {});
  }
}

/**
 * A connection pool whose `bigint` columns (ids, times in ms) read as
 * numbers: they stay far below 2^53. A connection that breaks while idle is
 * reported to `onError` instead of crashing the process; the pool replaces it.
 * `settings` are session settings for every connection (`-c name=value`).
 */
export function connectPool(
  location: QueueLocation,
  options: { max: number; onError: (error: Error) => void; settings?: string },
): pg.Pool {
  const pool = new pg.Pool({
    Client: ListeningClient as new () => pg.ClientBase,
    connectionString: location.connectionString,
    max: options.max,
    ...(options.settings === undefined ? {} : { options: options.settings }),
    connectionTimeoutMillis: 10_000,
    application_name: "gwenmap",
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === INT8 && format !== "binary"
          ? Number
          : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
    },
  });
  pool.on("error", options.onError);
  return pool;
}

/** The queue's two pools: see `connectQueue`. */
export interface QueuePools {
  /** Every write but ingest: committed without waiting for the disk. */
  readonly work: pg.Pool;
  /** Ingest (and migrations): each commit waits for the disk, since it acknowledges events. */
  readonly durable: pg.Pool;
}

/**
 * Reads the queue URL and opens its pools (connections are made on first
 * use). Only ingest must survive a crash of the database server the moment
 * it is acknowledged. Everything else (leases, mapping commits, outcomes)
 * may be lost in such a crash without losing an event: each of those
 * transactions is all or nothing, and the WAL is flushed in order, so a lost
 * one leaves its jobs as they were before it, to be done again (at least
 * once). They commit without waiting for the disk, which saves an fsync per
 * claim and per settlement. Throws `StoreError` `E_STORE_OPEN` for a URL that
 * does not parse.
 */
export function connectQueue(
  url: string,
  options: { poolSize: number; onError: (error: Error) => void },
): { location: QueueLocation; pools: QueuePools } {
  let location: QueueLocation;
  try {
    location = parseQueueUrl(url);
  } catch (cause) {
    throw new StoreError(
      "E_STORE_OPEN",
      "GWENMAP_QUEUE_URL is not a valid URL: write it as postgres://user:password@host:5432/database.",
      { cause },
    );
  }
  const { onError } = options;
  const pools = {
    work: connectPool(location, {
      max: options.poolSize,
      onError,
      settings: "-c synchronous_commit=off",
    }),
    durable: connectPool(location, { max: 2, onError, settings: "-c synchronous_commit=on" }),
  };
  return { location, pools };
}
