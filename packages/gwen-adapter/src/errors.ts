/**
 * Every error the adapter throws, with a stable `code`. Sending never throws:
 * what GWEN or the network answers is an `Outcome` value. These errors are for
 * the edges: bad configuration, a programming mistake, an emulator that cannot
 * start. None of them ever carries the API key.
 */
export type GwenAdapterErrorCode =
  /** `GwenClient` was created without an API key (set `GWEN_API_KEY`). */
  | "E_MISSING_API_KEY"
  /** The endpoint (option or `GWEN_ENDPOINT`) is not an absolute http(s) URL. */
  | "E_INVALID_ENDPOINT"
  /** A numeric client option is out of range (connections, timeouts, retry, rate). */
  | "E_INVALID_OPTION"
  /** A request was asked for an action the adapter does not define. */
  | "E_UNKNOWN_ACTION"
  /** `buildBatchRequest` was given no deliveries. */
  | "E_EMPTY_BATCH"
  /** Emulator faults are not valid (unknown field, share outside 0..1, ...). */
  | "E_INVALID_FAULTS"
  /** The emulator's accepted API keys are not a list of non-empty strings. */
  | "E_INVALID_API_KEYS"
  /** The emulator could not listen on the requested host and port. */
  | "E_EMULATOR_START";

export interface GwenAdapterErrorOptions {
  readonly cause?: unknown;
  /** HTTP status involved, when there is one. */
  readonly status?: number;
  /** Whether trying the same thing again later can succeed. */
  readonly retryable?: boolean;
}

export class GwenAdapterError extends Error {
  override readonly name: string = "GwenAdapterError";
  readonly code: GwenAdapterErrorCode;
  readonly retryable: boolean;
  readonly status?: number;

  constructor(code: GwenAdapterErrorCode, message: string, options: GwenAdapterErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? false;
    if (options.status !== undefined) this.status = options.status;
  }
}

/** Raised by `new GwenClient()` when `apiKey` is missing or empty. */
export class MissingApiKeyError extends GwenAdapterError {
  override readonly name = "MissingApiKeyError";

  constructor() {
    super(
      "E_MISSING_API_KEY",
      "No GWEN API key was given: set GWEN_API_KEY (or pass apiKey) to the key from https://gwen.insertcoin.se/iam/api-token.",
    );
  }
}

/** Raised by `resolveEndpoint` and `new GwenClient()` for an endpoint that is not an http(s) URL. */
export class InvalidEndpointError extends GwenAdapterError {
  override readonly name = "InvalidEndpointError";
}

/** Raised by `new GwenClient()` for an option out of range; the message names the option. */
export class InvalidOptionError extends GwenAdapterError {
  override readonly name = "InvalidOptionError";
}

/** Raised by `buildRequest`/`buildBatchRequest` for an action name the adapter does not define. */
export class UnknownActionError extends GwenAdapterError {
  override readonly name = "UnknownActionError";
}

/** Raised by the emulator for invalid faults or API keys, or when it cannot listen. */
export class EmulatorError extends GwenAdapterError {
  override readonly name = "EmulatorError";
}
