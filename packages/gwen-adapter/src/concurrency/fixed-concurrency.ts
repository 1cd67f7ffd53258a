import { InvalidOptionError } from "../errors.js";
import type { Outcome } from "../outcome/outcome.js";
import type { ConcurrencyLimit } from "./concurrency-limit.js";

/** A limit that never moves: `concurrency` requests in flight, whatever GWEN answers. */
export class FixedConcurrency implements ConcurrencyLimit {
  readonly mode = "fixed";
  readonly limit: number;
  readonly ceiling: number;
  #inFlight = 0;

  /** Throws `InvalidOptionError` unless `concurrency` is a whole number of at least 1. */
  constructor(concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new InvalidOptionError(
        "E_INVALID_OPTION",
        `concurrency must be a whole number of at least 1, not ${String(concurrency)}.`,
      );
    }
    this.limit = concurrency;
    this.ceiling = concurrency;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  available(): number {
    return Math.max(0, this.limit - this.#inFlight);
  }

  start(): number {
    this.#inFlight += 1;
    return 0;
  }

  finish(startedAt: number, _outcomes: readonly Outcome[]): void {
    this.cancel(startedAt);
  }

  cancel(_startedAt: number): void {
    this.#inFlight = Math.max(0, this.#inFlight - 1);
  }
}
