/**
 * Every error the gwenmap server raises, with a stable `code`. Expected
 * outcomes of mapping and delivery (rejections, retries, dead letters) are
 * data in the job store, not errors. These are for the edges: configuration,
 * the store, and requests the HTTP layer refuses. The HTTP layer turns them
 * into answers in one place (`http/error-handler.ts`). None of them ever
 * carries a write key, the admin token, the webhook secret or the GWEN API key.
 */
export type ServerErrorCode =
  /** A configuration value (option or environment variable) is missing or invalid. */
  | "E_CONFIG"
  /** The mapping set does not load at start-up; the problems are listed in the message. */
  | "E_MAPPINGS_INVALID"
  /** The mapping thread stopped unexpectedly; it is started again on the next round. */
  | "E_MAPPER_STOPPED"
  /** The job store cannot be opened (data directory not writable, not a gwenmap store). */
  | "E_STORE_OPEN"
  /** The job store holds as many events as `maxQueueDepth` allows (HTTP 503). */
  | "E_QUEUE_FULL"
  /** A write to the job store failed (disk full, I/O error) (HTTP 503). */
  | "E_STORE_UNAVAILABLE"
  /** Free space in the data directory is below the reserve: no new events until it is back (HTTP 503). */
  | "E_DISK_LOW"
  /** The job store is closed or closing (HTTP 503 during shutdown). */
  | "E_STORE_CLOSED"
  /** The server could not start listening (port in use, no permission). */
  | "E_START"
  /** The request body is not valid JSON (HTTP 400). */
  | "E_BAD_JSON"
  /** The request is well-formed JSON but not what the endpoint takes (HTTP 400). */
  | "E_BAD_REQUEST"
  /** No write key, or one that is not configured (HTTP 401). */
  | "E_UNAUTHORIZED"
  /** The webhook's `X-Signature` is missing or does not match (HTTP 401). */
  | "E_BAD_SIGNATURE"
  /** A browser request from an origin `GWENMAP_CORS_ORIGINS` does not list (HTTP 403). */
  | "E_ORIGIN_NOT_ALLOWED"
  /** The body is over the endpoint's size limit (HTTP 413). */
  | "E_TOO_LARGE"
  /** The body's `Content-Encoding` is not gzip, deflate or identity (HTTP 415). */
  | "E_UNSUPPORTED_ENCODING"
  /** The admin endpoints are off because `GWENMAP_ADMIN_TOKEN` is not set (HTTP 404). */
  | "E_ADMIN_DISABLED"
  /** The admin token is missing or wrong (HTTP 401). */
  | "E_ADMIN_UNAUTHORIZED";

export interface ServerErrorOptions {
  readonly cause?: unknown;
  /** For 503 answers: when the client should try again, in seconds. */
  readonly retryAfterSeconds?: number;
}

export class ServerError extends Error {
  override readonly name: string = "ServerError";
  readonly code: ServerErrorCode;
  readonly retryAfterSeconds?: number;

  constructor(code: ServerErrorCode, message: string, options: ServerErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** Raised by `resolveConfig` and `startServer` for a missing or invalid setting; names the variable. */
export class ConfigError extends ServerError {
  override readonly name = "ConfigError";

  constructor(message: string, options: ServerErrorOptions = {}) {
    super("E_CONFIG", message, options);
  }
}

/**
 * Raised by the job store: `E_QUEUE_FULL` when the configured depth is
 * reached, `E_DISK_LOW` when free space in the data directory is below the
 * reserve, `E_STORE_UNAVAILABLE` when a write fails, `E_STORE_CLOSED` after
 * `close()`, `E_STORE_OPEN` when the store cannot be opened.
 */
export class StoreError extends ServerError {
  override readonly name = "StoreError";
}

/** Raised by the HTTP layer for a request it refuses (400, 401, 403, 404, 413, 415). */
export class RequestError extends ServerError {
  override readonly name = "RequestError";
}
