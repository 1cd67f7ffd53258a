import { InvalidOptionError, MissingApiKeyError } from "../errors.js";
import { resolveEndpoint } from "./endpoint.js";

/** The optional in-process retry of `retry` outcomes. */
export interface RetryPolicy {
  /** How many times to retry after the first try (0 = never). */
  attempts: number;
  /** Backoff before the first retry, before jitter (default 200 ms). */
  baseDelayMs?: number;
  /**
   * The longest wait in-process (default 2000 ms). When GWEN's `Retry-After`
   * asks for more, the `retry` outcome is handed back to the caller instead.
   */
  maxDelayMs?: number;
}

/** Options of `GwenClient`. Only `apiKey` is required. */
export interface GwenClientOptions {
  /** GWEN's API key, sent raw in `Authorization`. Never appears in messages. */
  apiKey: string;
  /** The GraphQL endpoint: this option, else `GWEN_ENDPOINT`, else GWEN's production URL. */
  endpoint?: string;
  /** Most open connections to GWEN (default 10). */
  connections?: number;
  /** Requests in flight per connection (default 1: no HTTP pipelining). */
  pipelining?: number;
  /** Time to open a connection (default 5000 ms). */
  connectTimeoutMs?: number;
  /** Time until GWEN's answer starts (default 10 000 ms). */
  headersTimeoutMs?: number;
  /** Longest pause between two parts of GWEN's answer (default 10 000 ms). */
  bodyTimeoutMs?: number;
  /** In-process retry of `retry` outcomes; none by default (callers schedule retries). */
  retry?: RetryPolicy;
  /** Client-side rate limit in requests per second (token bucket); none by default. */
  maxRequestsPerSecond?: number;
}

/** Options with every default filled in and checked. */
export interface ResolvedClientOptions {
  readonly apiKey: string;
  readonly endpoint: URL;
  readonly connections: number;
  readonly pipelining: number;
  readonly connectTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
  readonly retry: Required<RetryPolicy>;
  readonly maxRequestsPerSecond?: number;
}

export const CLIENT_DEFAULTS = {
  connections: 10,
  pipelining: 1,
  connectTimeoutMs: 5_000,
  headersTimeoutMs: 10_000,
  bodyTimeoutMs: 10_000,
  retry: { attempts: 0, baseDelayMs: 200, maxDelayMs: 2_000 },
} as const;

/** Fills in defaults; throws `MissingApiKeyError`, `InvalidEndpointError` or `InvalidOptionError`. */
export function resolveClientOptions(options: GwenClientOptions): ResolvedClientOptions {
  const apiKey = options.apiKey;
  if (typeof apiKey !== "string" || apiKey.trim() === "") throw new MissingApiKeyError();
  if (/[\0\r\n]/.test(apiKey)) {
    throw new InvalidOptionError(
      "E_INVALID_OPTION",
      "The GWEN API key contains a line break or NUL character: copy the key again without them.",
    );
  }
  const retry = { ...CLIENT_DEFAULTS.retry, ...options.retry };
  const resolved: ResolvedClientOptions = {
    apiKey,
    endpoint: new URL(resolveEndpoint(options.endpoint)),
    connections: integer("connections", options.connections ?? CLIENT_DEFAULTS.connections, 1),
    pipelining: integer("pipelining", options.pipelining ?? CLIENT_DEFAULTS.pipelining, 1),
    connectTimeoutMs: integer(
      "connectTimeoutMs",
      options.connectTimeoutMs ?? CLIENT_DEFAULTS.connectTimeoutMs,
      1,
    ),
    headersTimeoutMs: integer(
      "headersTimeoutMs",
      options.headersTimeoutMs ?? CLIENT_DEFAULTS.headersTimeoutMs,
      1,
    ),
    bodyTimeoutMs: integer(
      "bodyTimeoutMs",
      options.bodyTimeoutMs ?? CLIENT_DEFAULTS.bodyTimeoutMs,
      1,
    ),
    retry: {
      attempts: integer("retry.attempts", retry.attempts, 0),
      baseDelayMs: integer("retry.baseDelayMs", retry.baseDelayMs, 0),
      maxDelayMs: integer("retry.maxDelayMs", retry.maxDelayMs, 0),
    },
  };
  if (options.maxRequestsPerSecond === undefined) return resolved;
  const rate = options.maxRequestsPerSecond;
  if (!Number.isFinite(rate) || rate <= 0) {
    throw new InvalidOptionError(
      "E_INVALID_OPTION",
      `maxRequestsPerSecond must be a number above 0, not ${String(rate)}.`,
    );
  }
  return { ...resolved, maxRequestsPerSecond: rate };
}

function integer(name: string, value: number, minimum: number): number {
  if (!Number.isInteger(value) || value < minimum) {
    throw new InvalidOptionError(
      "E_INVALID_OPTION",
      `${name} must be a whole number of at least ${minimum}, not ${String(value)}.`,
    );
  }
  return value;
}
