import type { Outcome } from "./outcome.js";

/** Backoff bounds for `retryDelay`. */
export interface BackoffPolicy {
  /** The delay before the first retry, before jitter (default 1000 ms). */
  baseDelayMs?: number;
  /** The largest backoff (default 60 000 ms); GWEN's `Retry-After` may ask for more. */
  maxDelayMs?: number;
}

export const DEFAULT_BACKOFF = { baseDelayMs: 1000, maxDelayMs: 60_000 } as const;

/**
 * How long to wait before retry number `attempt` (1, 2, ...) of a delivery:
 * exponential backoff (`base * 2^(attempt-1)`, capped at `maxDelayMs`) with
 * "equal jitter" (a random point in the upper half), so that many workers that
 * failed together do not come back together, yet none comes back at once.
 * Never less than the outcome's `retryAfterMs`: GWEN's word wins.
 */
export function retryDelay(outcome: Outcome, attempt: number, policy: BackoffPolicy = {}): number {
  const base = policy.baseDelayMs ?? DEFAULT_BACKOFF.baseDelayMs;
  const max = policy.maxDelayMs ?? DEFAULT_BACKOFF.maxDelayMs;
  const exponent = Math.min(Math.max(1, Math.floor(attempt)) - 1, 30);
  const ceiling = Math.min(max, base * 2 ** exponent);
  const jittered = Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  const asked = outcome.kind === "retry" ? (outcome.retryAfterMs ?? 0) : 0;
  return Math.max(jittered, asked);
}
