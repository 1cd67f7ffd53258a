import type { Outcome } from "../outcome/outcome.js";

/**
 * How many requests to GWEN may be in flight at once, as `AdaptiveConcurrency`
 * learns it or `FixedConcurrency` holds it. The caller asks `available()`
 * before sending, calls `start()` as each request leaves and `finish()` (or
 * `cancel()`) when it ends.
 */
export interface ConcurrencyLimit {
  readonly mode: "adaptive" | "fixed";
  /** Requests allowed in flight now. */
  readonly limit: number;
  /** The most `limit` will ever be: size connection pools and listener counts by it. */
  readonly ceiling: number;
  /** Requests started and not yet finished or cancelled. */
  readonly inFlight: number;
  /** Requests that may start now: `limit - inFlight`, never below 0. */
  available(): number;
  /** A request leaves; answers the moment it left, to hand back to `finish`. */
  start(): number;
  /** The request that left at `startedAt` came back with these outcomes (one per delivery). */
  finish(startedAt: number, outcomes: readonly Outcome[]): void;
  /** The request that left at `startedAt` ended without an answer about GWEN (aborted by its caller). */
  cancel(startedAt: number): void;
}
