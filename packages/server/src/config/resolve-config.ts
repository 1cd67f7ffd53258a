import { type ConcurrencySetting, MAX_BATCH_ITEMS } from "@gwenmap/gwen-adapter";
import { ConfigError } from "../errors.js";
import { isPostgresUrl } from "../queue/postgres/connect-pool.js";
import { type Environment, EnvironmentReader } from "./environment-reader.js";
import { parseCorsOrigins } from "./parse-cors-origins.js";
import { parseTrustProxy } from "./parse-trust-proxy.js";
import {
  DEFAULTS,
  DEV_WRITE_KEY,
  type ServerConfig,
  type ServerOptions,
} from "./server-options.js";

export type { Environment } from "./environment-reader.js";

/**
 * Resolves the server's settings: an option wins over its environment
 * variable, which wins over the default. Throws `ConfigError` naming the
 * variable for a value that is not valid, and when no write key is configured
 * while deliveries go to the real GWEN.
 */
export function resolveConfig(
  options: ServerOptions = {},
  env: Environment = process.env,
): ServerConfig {
  const read = new EnvironmentReader(env);
  return {
    ...resolveGwen(options, read),
    ...resolveHttp(options, read),
    ...resolveQueue(options, read),
    ...resolveDelivery(options, read),
    mappingsDir: options.mappingsDir ?? read.text("GWENMAP_MAPPINGS") ?? DEFAULTS.mappingsDir,
    watch: options.watch ?? read.flag("GWENMAP_WATCH") ?? DEFAULTS.watch,
    logLevel: options.logLevel ?? read.text("GWENMAP_LOG_LEVEL") ?? DEFAULTS.logLevel,
    logFormat: options.logFormat ?? read.logFormat("GWENMAP_LOG_FORMAT") ?? DEFAULTS.logFormat,
  };
}

type Section<K extends keyof ServerConfig> = Pick<ServerConfig, K>;

/** Where deliveries go (GWEN or the emulator), and the write keys that let events in. */
function resolveGwen(
  options: ServerOptions,
  read: EnvironmentReader,
): Section<"gwen" | "writeKeys" | "devWriteKey"> {
  const apiKey = options.gwenApiKey ?? read.text("GWEN_API_KEY");
  const emulator = options.emulator ?? read.flag("GWENMAP_EMULATOR") ?? apiKey === undefined;
  const endpoint = options.gwenEndpoint ?? read.text("GWEN_ENDPOINT");
  const configuredKeys = options.writeKeys ?? read.list("GWENMAP_WRITE_KEYS");
  const writeKeys = configuredKeys?.filter((key) => key !== "") ?? [];
  if (writeKeys.length === 0 && !emulator) {
    throw new ConfigError(
      "No write key is configured: set GWENMAP_WRITE_KEYS to the comma-separated keys your Segment sources send (the dev key is only accepted with the in-process GWEN emulator).",
    );
  }
  return {
    gwen:
      emulator || apiKey === undefined
        ? { kind: "emulator" }
        : { kind: "remote", apiKey, ...(endpoint === undefined ? {} : { endpoint }) },
    writeKeys: writeKeys.length > 0 ? writeKeys : [DEV_WRITE_KEY],
    devWriteKey: writeKeys.length === 0,
  };
}

/** Where the server listens, and who may call it. */
function resolveHttp(
  options: ServerOptions,
  read: EnvironmentReader,
): Section<"port" | "host" | "adminToken" | "webhookSecret" | "corsOrigins" | "trustProxy"> {
  const adminToken = options.adminToken ?? read.text("GWENMAP_ADMIN_TOKEN");
  const webhookSecret = options.webhookSecret ?? read.text("GWENMAP_WEBHOOK_SECRET");
  const port = options.port ?? read.integer("PORT", 0) ?? DEFAULTS.port;
  return {
    port: check("PORT", port, { min: 0, max: 65_535 }),
    host: options.host ?? read.text("HOST") ?? DEFAULTS.host,
    ...(adminToken === undefined ? {} : { adminToken }),
    ...(webhookSecret === undefined ? {} : { webhookSecret }),
    corsOrigins: parseCorsOrigins(options.corsOrigins ?? read.list("GWENMAP_CORS_ORIGINS") ?? []),
    trustProxy: parseTrustProxy(options.trustProxy ?? read.text("GWENMAP_TRUST_PROXY")),
  };
}

/** The queue: where it is, how much it holds, how long it remembers. */
function resolveQueue(
  options: ServerOptions,
  read: EnvironmentReader,
): Section<
  | "dataDir"
  | "queueUrl"
  | "maxQueueDepth"
  | "maxStoreBytes"
  | "diskReserveBytes"
  | "retryAfterSeconds"
  | "dedupeWindowMs"
  | "leaseMs"
> {
  const queueUrl = options.queueUrl ?? read.text("GWENMAP_QUEUE_URL");
  if (queueUrl !== undefined && !isPostgresUrl(queueUrl)) {
    throw new ConfigError(
      "GWENMAP_QUEUE_URL must be a postgres:// URL (postgres://user:password@host:5432/database); leave it unset for the SQLite queue in GWENMAP_DATA_DIR.",
    );
  }
  const maxStoreMb = options.maxStoreMb ?? read.number("GWENMAP_MAX_STORE_MB", 1);
  const diskReserveMb = options.diskReserveMb ?? read.number("GWENMAP_DISK_RESERVE_MB", 0);
  const depth = options.maxQueueDepth ?? read.integer("GWENMAP_MAX_QUEUE_DEPTH", 1);
  const retryAfter = options.retryAfterSeconds ?? read.integer("GWENMAP_RETRY_AFTER", 1);
  const leaseMs = options.leaseMs ?? read.duration("GWENMAP_LEASE") ?? DEFAULTS.leaseMs;
  return {
    dataDir: options.dataDir ?? read.text("GWENMAP_DATA_DIR") ?? DEFAULTS.dataDir,
    ...(queueUrl === undefined ? {} : { queueUrl }),
    maxQueueDepth: check("GWENMAP_MAX_QUEUE_DEPTH", depth ?? DEFAULTS.maxQueueDepth, { min: 1 }),
    ...(maxStoreMb === undefined
      ? {}
      : { maxStoreBytes: check("GWENMAP_MAX_STORE_MB", maxStoreMb, { min: 0.01 }) * 1_048_576 }),
    ...(diskReserveMb === undefined
      ? {}
      : {
          diskReserveBytes: check("GWENMAP_DISK_RESERVE_MB", diskReserveMb, { min: 0 }) * 1_048_576,
        }),
    retryAfterSeconds: check("GWENMAP_RETRY_AFTER", retryAfter ?? DEFAULTS.retryAfterSeconds, {
      min: 1,
    }),
    dedupeWindowMs: duration(options.dedupeWindowMs, read, "GWENMAP_DEDUPE_WINDOW"),
    leaseMs: check("GWENMAP_LEASE", leaseMs, { min: 1 }),
  };
}

/** How deliveries go to GWEN: how many at once, how fast, and for how long they are retried. */
function resolveDelivery(
  options: ServerOptions,
  read: EnvironmentReader,
): Section<
  | "concurrency"
  | "batchSize"
  | "rateLimit"
  | "retryWindowMs"
  | "retryBaseDelayMs"
  | "retryMaxDelayMs"
  | "shutdownGraceMs"
> {
  const batchSize = options.batchSize ?? read.integer("GWENMAP_BATCH_SIZE", 1);
  const rateLimit = options.rateLimit ?? read.number("GWENMAP_RATE_LIMIT", 0.001);
  return {
    concurrency: resolveConcurrency(options, read),
    batchSize: check("GWENMAP_BATCH_SIZE", batchSize ?? DEFAULTS.batchSize, {
      min: 1,
      max: MAX_BATCH_ITEMS,
    }),
    ...(rateLimit === undefined
      ? {}
      : { rateLimit: check("GWENMAP_RATE_LIMIT", rateLimit, { min: 0.001 }) }),
    retryWindowMs: duration(options.retryWindowMs, read, "GWENMAP_RETRY_WINDOW"),
    retryBaseDelayMs: duration(options.retryBaseDelayMs, read, "GWENMAP_RETRY_BASE_DELAY"),
    retryMaxDelayMs: duration(options.retryMaxDelayMs, read, "GWENMAP_RETRY_MAX_DELAY"),
    shutdownGraceMs: duration(options.shutdownGraceMs, read, "GWENMAP_SHUTDOWN_GRACE"),
  };
}

/** The most requests in flight either setting allows. */
const MOST_CONCURRENCY = 10_000;

/**
 * Adaptive up to `GWENMAP_MAX_CONCURRENCY` unless `GWENMAP_CONCURRENCY` is a
 * number, which fixes it. Both numbers at once contradict each other: a
 * `ConfigError` says which to unset.
 */
function resolveConcurrency(options: ServerOptions, read: EnvironmentReader): ConcurrencySetting {
  const concurrency =
    options.concurrency ??
    readConcurrency(read.text("GWENMAP_CONCURRENCY")) ??
    DEFAULTS.concurrency;
  const ceiling = options.maxConcurrency ?? read.integer("GWENMAP_MAX_CONCURRENCY", 1);
  if (concurrency === "adaptive") {
    return {
      mode: "adaptive",
      maxConcurrency: check("GWENMAP_MAX_CONCURRENCY", ceiling ?? DEFAULTS.maxConcurrency, {
        min: 1,
        max: MOST_CONCURRENCY,
      }),
    };
  }
  if (ceiling !== undefined) {
    throw new ConfigError(
      `GWENMAP_MAX_CONCURRENCY (${ceiling}) is the ceiling of adaptive concurrency, but GWENMAP_CONCURRENCY=${concurrency} fixes the concurrency: unset GWENMAP_CONCURRENCY to adapt up to the ceiling, or unset GWENMAP_MAX_CONCURRENCY to keep ${concurrency} requests in flight.`,
    );
  }
  return {
    mode: "fixed",
    concurrency: check("GWENMAP_CONCURRENCY", concurrency, { min: 1, max: MOST_CONCURRENCY }),
  };
}

function readConcurrency(text: string | undefined): number | "adaptive" | undefined {
  if (text === undefined) return undefined;
  if (text.toLowerCase() === "adaptive") return "adaptive";
  const number = Number(text);
  if (!Number.isInteger(number) || number < 1) {
    throw new ConfigError(
      `GWENMAP_CONCURRENCY must be adaptive (the default) or a whole number of requests in flight of at least 1, not "${text}".`,
    );
  }
  return number;
}

type DurationVariable =
  | "GWENMAP_RETRY_WINDOW"
  | "GWENMAP_RETRY_BASE_DELAY"
  | "GWENMAP_RETRY_MAX_DELAY"
  | "GWENMAP_DEDUPE_WINDOW"
  | "GWENMAP_SHUTDOWN_GRACE";

const DURATION_DEFAULTS: Readonly<Record<DurationVariable, number>> = {
  GWENMAP_RETRY_WINDOW: DEFAULTS.retryWindowMs,
  GWENMAP_RETRY_BASE_DELAY: DEFAULTS.retryBaseDelayMs,
  GWENMAP_RETRY_MAX_DELAY: DEFAULTS.retryMaxDelayMs,
  GWENMAP_DEDUPE_WINDOW: DEFAULTS.dedupeWindowMs,
  GWENMAP_SHUTDOWN_GRACE: DEFAULTS.shutdownGraceMs,
};

function duration(
  option: number | undefined,
  read: EnvironmentReader,
  name: DurationVariable,
): number {
  return check(name, option ?? read.duration(name) ?? DURATION_DEFAULTS[name], { min: 0 });
}

/** `value`, when it is a finite number within `range`; else `ConfigError` naming the variable. */
function check(name: string, value: number, range: { min: number; max?: number }): number {
  const { min, max = Infinity } = range;
  if (!Number.isFinite(value) || value < min || value > max) {
    const within = max === Infinity ? `at least ${min}` : `from ${min} to ${max}`;
    throw new ConfigError(`${name} must be a number ${within}, not ${String(value)}.`);
  }
  return value;
}
