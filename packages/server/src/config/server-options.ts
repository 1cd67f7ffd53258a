import { ADAPTIVE_DEFAULTS, type ConcurrencySetting } from "@gwenmap/gwen-adapter";
import type { Logger } from "pino";
import type { LogFormat } from "../logging/create-logger.js";
import type { JobStore } from "../queue/job-store.js";

/**
 * Options of `startServer`. Each has an environment variable (named in its
 * comment) and a default; an option given here wins over the variable.
 * Durations are milliseconds here, and `4h`, `30m`, `90s`, `500ms` or plain
 * seconds in the environment.
 */
export interface ServerOptions {
  /** `PORT`, default 3000; 0 picks a free port (see `RunningServer.url`). */
  port?: number;
  /** `HOST`, default `0.0.0.0`. */
  host?: string;
  /** `GWENMAP_WRITE_KEYS` (comma-separated). Unset: only with the emulator, the dev key `gwenmap-dev-write-key`. */
  writeKeys?: readonly string[];
  /** `GWENMAP_DATA_DIR`, default `./.gwenmap`: holds the SQLite queue. */
  dataDir?: string;
  /**
   * `GWENMAP_QUEUE_URL`: a `postgres://user:password@host/database` URL (optionally
   * `?schema=name`, default `gwenmap`) to keep the queue in PostgreSQL, shared by
   * several instances, instead of the SQLite file in `dataDir`.
   */
  queueUrl?: string;
  /** `GWENMAP_MAPPINGS`, default `./mappings`. */
  mappingsDir?: string;
  /** `GWEN_API_KEY`. Unset: an in-process GWEN emulator stands in for GWEN. */
  gwenApiKey?: string;
  /** `GWEN_ENDPOINT`, default GWEN's production URL. */
  gwenEndpoint?: string;
  /** `GWENMAP_EMULATOR=1`: deliver to an in-process emulator even when `GWEN_API_KEY` is set. */
  emulator?: boolean;
  /** `GWENMAP_ADMIN_TOKEN`: enables the admin endpoints (dead letters) for this bearer token. */
  adminToken?: string;
  /** `GWENMAP_WEBHOOK_SECRET`: the shared secret of Segment's Webhooks destination; `X-Signature` is checked when set. */
  webhookSecret?: string;
  /**
   * `GWENMAP_CORS_ORIGINS` (comma-separated), default any (`*`): the origins
   * (`https://shop.example.com`) whose web pages may send events from a browser.
   */
  corsOrigins?: readonly string[];
  /**
   * `GWENMAP_TRUST_PROXY` (comma-separated), default none: the addresses and
   * CIDR ranges (`10.0.0.0/8`) of the proxies (load balancers) in front of the
   * server whose `X-Forwarded-For` names the client. The client's address
   * becomes `context.ip` of browser and app events.
   */
  trustProxy?: readonly string[] | false;
  /**
   * `GWENMAP_CONCURRENCY`, default `adaptive`: requests to GWEN in flight at
   * once, learned from GWEN's answers (more while round trips hold, fewer on
   * 429, 503, timeouts and rising round trips) up to `maxConcurrency`. A
   * number fixes it there instead.
   */
  concurrency?: number | "adaptive";
  /** `GWENMAP_MAX_CONCURRENCY`, default 1024: the ceiling of adaptive concurrency. */
  maxConcurrency?: number;
  /** `GWENMAP_RATE_LIMIT`: most requests per second to GWEN; default none. */
  rateLimit?: number;
  /**
   * `GWENMAP_BATCH_SIZE`, default 1: most deliveries per GWEN request, sent as
   * aliased mutations in one GraphQL operation, each with its own outcome.
   */
  batchSize?: number;
  /** `GWENMAP_RETRY_WINDOW`, default 4 h: how long a delivery is retried before it is dead-lettered. */
  retryWindowMs?: number;
  /** `GWENMAP_RETRY_BASE_DELAY`, default 1 s: the backoff before the first retry (doubling, jittered). */
  retryBaseDelayMs?: number;
  /** `GWENMAP_RETRY_MAX_DELAY`, default 60 s: the longest backoff (GWEN's `Retry-After` may ask for more). */
  retryMaxDelayMs?: number;
  /** `GWENMAP_DEDUPE_WINDOW`, default 24 h: how long a `messageId` is remembered. */
  dedupeWindowMs?: number;
  /** `GWENMAP_MAX_QUEUE_DEPTH`, default 1 000 000: events held before ingestion answers 503. */
  maxQueueDepth?: number;
  /** `GWENMAP_MAX_STORE_MB`: caps the queue file; beyond it ingestion answers 503. Default none. */
  maxStoreMb?: number;
  /**
   * `GWENMAP_DISK_RESERVE_MB`: free space the SQLite queue keeps in the data
   * directory; below it ingestion answers 503. Default: 5 % of the disk, from
   * 16 MB to 1 GB, at most a quarter of the disk. 0 turns it off.
   */
  diskReserveMb?: number;
  /** `GWENMAP_RETRY_AFTER`, default 5 s: the `Retry-After` of 503 answers. */
  retryAfterSeconds?: number;
  /** `GWENMAP_SHUTDOWN_GRACE`, default 10 s: how long SIGTERM waits for deliveries in flight. */
  shutdownGraceMs?: number;
  /** `GWENMAP_WATCH`, default on: reload mappings when their files change (`0` turns it off). */
  watch?: boolean;
  /** `GWENMAP_LOG_LEVEL`, default `info`. */
  logLevel?: string;
  /** `GWENMAP_LOG_FORMAT`, default `auto`: readable lines on a terminal, JSON lines otherwise; `pretty` or `json` forces one. */
  logFormat?: LogFormat;
  /** A pino logger to log to (default: `logLevel` and `logFormat` on stdout). */
  logger?: Logger;
  /** A job store to use instead of the SQLite file in `dataDir`; `close()` closes it. */
  store?: JobStore;
  /** `GWENMAP_LEASE`, default 30 s: how long a claimed job is held before another worker or instance may take it (renewed while a delivery runs). */
  leaseMs?: number;
  /** How soon to ask GWEN again after it refused the API key (default 5 s, doubling up to 60 s). */
  authProbeMs?: number;
}

/**
 * The web origins allowed to send events from a browser: any, or exactly
 * these serialized origins (`scheme://host[:port]`, as browsers send `Origin`).
 */
export type CorsOrigins = "any" | readonly string[];

/**
 * Which proxies may name the client in `X-Forwarded-For` (fastify's
 * `trustProxy`): none, or those at these addresses and CIDR ranges.
 */
export type TrustProxy = false | readonly string[];

/** The write key accepted when no key is configured and deliveries go to the in-process emulator. */
export const DEV_WRITE_KEY = "gwenmap-dev-write-key";

/** Every default, in one place. */
export const DEFAULTS = {
  port: 3000,
  host: "0.0.0.0",
  dataDir: "./.gwenmap",
  mappingsDir: "./mappings",
  concurrency: "adaptive",
  maxConcurrency: ADAPTIVE_DEFAULTS.maxConcurrency,
  batchSize: 1,
  retryWindowMs: 4 * 3_600_000,
  retryBaseDelayMs: 1_000,
  retryMaxDelayMs: 60_000,
  dedupeWindowMs: 24 * 3_600_000,
  maxQueueDepth: 1_000_000,
  retryAfterSeconds: 5,
  shutdownGraceMs: 10_000,
  watch: true,
  logLevel: "info",
  logFormat: "auto",
  leaseMs: 30_000,
} as const;

/** The settings the server runs with: every option resolved. */
export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  readonly writeKeys: readonly string[];
  /** True when no key was configured and the dev key is accepted. */
  readonly devWriteKey: boolean;
  readonly dataDir: string;
  /** Set: the queue is in PostgreSQL at this URL (it may hold a password: never log it). */
  readonly queueUrl?: string;
  readonly mappingsDir: string;
  /** Where deliveries go: GWEN (or `GWEN_ENDPOINT`) with a key, or the in-process emulator. */
  readonly gwen:
    | { readonly kind: "remote"; readonly apiKey: string; readonly endpoint?: string }
    | { readonly kind: "emulator" };
  readonly adminToken?: string;
  readonly webhookSecret?: string;
  /** The origins whose pages may send events from a browser. */
  readonly corsOrigins: CorsOrigins;
  /** Whose `X-Forwarded-For` is believed; `false`: nobody's, the socket's address is the client's. */
  readonly trustProxy: TrustProxy;
  /** Adaptive up to a ceiling, or fixed. */
  readonly concurrency: ConcurrencySetting;
  readonly batchSize: number;
  readonly rateLimit?: number;
  readonly retryWindowMs: number;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly dedupeWindowMs: number;
  readonly maxQueueDepth: number;
  readonly maxStoreBytes?: number;
  /** Unset: the default reserve of the disk (see `defaultReserveBytes`). */
  readonly diskReserveBytes?: number;
  readonly retryAfterSeconds: number;
  readonly shutdownGraceMs: number;
  readonly watch: boolean;
  readonly logLevel: string;
  readonly logFormat: LogFormat;
  readonly leaseMs: number;
}
