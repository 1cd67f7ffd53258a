import { type ConcurrencySetting, MAX_BATCH_ITEMS } from "@gwenmap/gwen-adapter";
import { ConfigError } from "../errors.js";
import { isLogFormat, type LogFormat } from "../logging/create-logger.js";
import { isPostgresUrl } from "../queue/postgres/connect-pool.js";
import { parseCorsOrigins } from "./parse-cors-origins.js";
import { parseDuration } from "./parse-duration.js";
import {
  DEFAULTS,
  DEV_WRITE_KEY,
  type ServerConfig,
  type ServerOptions,
} from "./server-options.js";

/** Environment variables, as `process.env` holds them. */
export type Environment = Readonly<Record<string, string | undefined>>;

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
  const maxStoreMb = options.maxStoreMb ?? read.number("GWENMAP_MAX_STORE_MB", 1);
  const rateLimit = options.rateLimit ?? read.number("GWENMAP_RATE_LIMIT", 0.001);
  const adminToken = options.adminToken ?? read.text("GWENMAP_ADMIN_TOKEN");
  const webhookSecret = options.webhookSecret ?? read.text("GWENMAP_WEBHOOK_SECRET");
  const queueUrl = options.queueUrl ?? read.text("GWENMAP_QUEUE_URL");
  if (queueUrl !== undefined && !isPostgresUrl(queueUrl)) {
    throw new ConfigError(
      "GWENMAP_QUEUE_URL must be a postgres:// URL (postgres://user:password@host:5432/database); leave it unset for the SQLite queue in GWENMAP_DATA_DIR.",
    );
  }
  return {
    port: check("PORT", options.port ?? read.integer("PORT", 0) ?? DEFAULTS.port, 0, 65_535),
    host: options.host ?? read.text("HOST") ?? DEFAULTS.host,
    writeKeys: writeKeys.length > 0 ? writeKeys : [DEV_WRITE_KEY],
    devWriteKey: writeKeys.length === 0,
    dataDir: options.dataDir ?? read.text("GWENMAP_DATA_DIR") ?? DEFAULTS.dataDir,
    ...(queueUrl === undefined ? {} : { queueUrl }),
    mappingsDir: options.mappingsDir ?? read.text("GWENMAP_MAPPINGS") ?? DEFAULTS.mappingsDir,
    gwen:
      emulator || apiKey === undefined
        ? { kind: "emulator" }
        : { kind: "remote", apiKey, ...(endpoint === undefined ? {} : { endpoint }) },
    ...(adminToken === undefined ? {} : { adminToken }),
    ...(webhookSecret === undefined ? {} : { webhookSecret }),
    corsOrigins: parseCorsOrigins(options.corsOrigins ?? read.list("GWENMAP_CORS_ORIGINS") ?? []),
    concurrency: resolveConcurrency(options, read),
    batchSize: check(
      "GWENMAP_BATCH_SIZE",
      options.batchSize ?? read.integer("GWENMAP_BATCH_SIZE", 1) ?? DEFAULTS.batchSize,
      1,
      MAX_BATCH_ITEMS,
    ),
    ...(rateLimit === undefined
      ? {}
      : { rateLimit: check("GWENMAP_RATE_LIMIT", rateLimit, 0.001) }),
    retryWindowMs: duration(options.retryWindowMs, read, "GWENMAP_RETRY_WINDOW"),
    retryBaseDelayMs: duration(options.retryBaseDelayMs, read, "GWENMAP_RETRY_BASE_DELAY"),
    retryMaxDelayMs: duration(options.retryMaxDelayMs, read, "GWENMAP_RETRY_MAX_DELAY"),
    dedupeWindowMs: duration(options.dedupeWindowMs, read, "GWENMAP_DEDUPE_WINDOW"),
    maxQueueDepth: check(
      "GWENMAP_MAX_QUEUE_DEPTH",
      options.maxQueueDepth ?? read.integer("GWENMAP_MAX_QUEUE_DEPTH", 1) ?? DEFAULTS.maxQueueDepth,
      1,
    ),
    ...(maxStoreMb === undefined
      ? {}
      : { maxStoreBytes: check("GWENMAP_MAX_STORE_MB", maxStoreMb, 0.01) * 1_048_576 }),
    retryAfterSeconds: check(
      "GWENMAP_RETRY_AFTER",
      options.retryAfterSeconds ??
        read.integer("GWENMAP_RETRY_AFTER", 1) ??
        DEFAULTS.retryAfterSeconds,
      1,
    ),
    shutdownGraceMs: duration(options.shutdownGraceMs, read, "GWENMAP_SHUTDOWN_GRACE"),
    watch: options.watch ?? read.flag("GWENMAP_WATCH") ?? DEFAULTS.watch,
    logLevel: options.logLevel ?? read.text("GWENMAP_LOG_LEVEL") ?? DEFAULTS.logLevel,
    logFormat: options.logFormat ?? read.logFormat("GWENMAP_LOG_FORMAT") ?? DEFAULTS.logFormat,
    leaseMs: check(
      "GWENMAP_LEASE",
      options.leaseMs ?? read.duration("GWENMAP_LEASE") ?? DEFAULTS.leaseMs,
      1,
    ),
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
      maxConcurrency: check(
        "GWENMAP_MAX_CONCURRENCY",
        ceiling ?? DEFAULTS.maxConcurrency,
        1,
        MOST_CONCURRENCY,
      ),
    };
  }
  if (ceiling !== undefined) {
    throw new ConfigError(
      `GWENMAP_MAX_CONCURRENCY (${ceiling}) is the ceiling of adaptive concurrency, but GWENMAP_CONCURRENCY=${concurrency} fixes the concurrency: unset GWENMAP_CONCURRENCY to adapt up to the ceiling, or unset GWENMAP_MAX_CONCURRENCY to keep ${concurrency} requests in flight.`,
    );
  }
  return {
    mode: "fixed",
    concurrency: check("GWENMAP_CONCURRENCY", concurrency, 1, MOST_CONCURRENCY),
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
  return check(name, option ?? read.duration(name) ?? DURATION_DEFAULTS[name], 0);
}

function check(name: string, value: number, minimum: number, maximum = Infinity): number {
  if (!Number.isFinite(value) || value < minimum || value > maximum) {
    const range = maximum === Infinity ? `at least ${minimum}` : `from ${minimum} to ${maximum}`;
    throw new ConfigError(`${name} must be a number ${range}, not ${String(value)}.`);
  }
  return value;
}

/** Reads typed values from the environment; blank values count as unset. */
class EnvironmentReader {
  readonly #env: Environment;

  constructor(env: Environment) {
    this.#env = env;
  }

  text(name: string): string | undefined {
    const value = this.#env[name]?.trim();
    return value === undefined || value === "" ? undefined : value;
  }

  list(name: string): string[] | undefined {
    return this.text(name)
      ?.split(",")
      .map((item) => item.trim());
  }

  flag(name: string): boolean | undefined {
    const value = this.text(name)?.toLowerCase();
    if (value === undefined) return undefined;
    if (["1", "true", "yes", "on"].includes(value)) return true;
    if (["0", "false", "no", "off"].includes(value)) return false;
    throw new ConfigError(`${name} must be 1 or 0 (true or false), not "${value}".`);
  }

  number(name: string, minimum: number): number | undefined {
    const value = this.text(name);
    if (value === undefined) return undefined;
    const number = Number(value);
    if (!Number.isFinite(number) || number < minimum) {
      throw new ConfigError(`${name} must be a number of at least ${minimum}, not "${value}".`);
    }
    return number;
  }

  integer(name: string, minimum: number): number | undefined {
    const number = this.number(name, minimum);
    if (number !== undefined && !Number.isInteger(number)) {
      throw new ConfigError(`${name} must be a whole number, not "${this.text(name)}".`);
    }
    return number;
  }

  logFormat(name: string): LogFormat | undefined {
    const value = this.text(name)?.toLowerCase();
    if (value === undefined || isLogFormat(value)) return value;
    throw new ConfigError(`${name} must be auto, pretty or json, not "${value}".`);
  }

  duration(name: string): number | undefined {
    const value = this.text(name);
    if (value === undefined) return undefined;
    const parsed = parseDuration(value);
    if (parsed === undefined) {
      throw new ConfigError(
        `${name} must be a duration such as 4h, 30m, 90s or 500ms (a plain number is seconds), not "${value}".`,
      );
    }
    return parsed;
  }
}
