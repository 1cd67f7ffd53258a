import type { Outcome, OutcomeKind } from "../outcome/outcome.js";
import { type BackoffPolicy, retryDelay } from "../outcome/retry-delay.js";

/** Why a delivery did not arrive (yet): one code per failure, the same in every front end. */
export type DeliveryFailureCode =
  /** GWEN answered "later" (network, timeout, 408, 423, 429, 5xx but 501): another attempt is due. */
  | "E_DELIVERY_RETRY"
  /** GWEN was still answering "later" when the retry window ran out: dead. */
  | "E_DELIVERY_RETRY_WINDOW"
  /** GWEN refused the delivery for good (other 4xx, 501, GraphQL errors): sending it unchanged fails again. */
  | "E_DELIVERY_PERMANENT"
  /** GWEN refused the API key: delivery pauses until the key works. */
  | "E_DELIVERY_AUTH";

/** How long a delivery keeps being retried, and the backoff between its attempts. */
export interface DeliveryPolicy extends BackoffPolicy {
  /** How long after its window started a delivery is still retried, in ms. */
  readonly retryWindowMs: number;
}

/** A failure as recorded: its code, GWEN's words, and the kind and status of GWEN's answer. */
export interface DeliveryFailure {
  readonly code: DeliveryFailureCode;
  readonly message: string;
  readonly outcome: Exclude<OutcomeKind, "ok">;
  readonly status?: number;
}

/** Where a delivery stands after an attempt. */
export interface DeliveryProgress {
  /** Attempts made so far, the one that gave the outcome included (1 after the first). */
  readonly attempts: number;
  /** When its retry window started (ms since the epoch). */
  readonly windowStart: number;
  /** The current time (ms since the epoch). */
  readonly now: number;
}

/**
 * What follows an attempt:
 * - `delivered`: done;
 * - `retry`: try again `at` (ms since the epoch);
 * - `dead`: give up and keep the failure (refused for good, or the window ran out);
 * - `pause`: GWEN refused the API key; stop delivering until the key works, without counting this attempt.
 */
export type DeliveryStep =
  | { readonly next: "delivered" }
  | { readonly next: "retry"; readonly at: number; readonly failure: DeliveryFailure }
  | { readonly next: "dead"; readonly failure: DeliveryFailure }
  | { readonly next: "pause"; readonly failure: DeliveryFailure };

/**
 * The one delivery policy of gwenmap (the server's workers and `gwenmap send`
 * both follow it): after a `retry` outcome the next attempt comes after a
 * jittered backoff (never sooner than GWEN's `Retry-After`) while that stays
 * inside the retry window, else the delivery is dead; a `permanent` outcome
 * is dead at once; an `auth` outcome pauses delivery.
 */
export function decideDelivery(
  outcome: Outcome,
  progress: DeliveryProgress,
  policy: DeliveryPolicy,
): DeliveryStep {
  switch (outcome.kind) {
    case "ok":
      return { next: "delivered" };
    case "permanent":
      return { next: "dead", failure: failureOf("E_DELIVERY_PERMANENT", outcome) };
    case "auth":
      return { next: "pause", failure: failureOf("E_DELIVERY_AUTH", outcome) };
    case "retry": {
      const at = progress.now + retryDelay(outcome, progress.attempts, policy);
      if (at <= retryWindowEnd(progress.windowStart, policy)) {
        return { next: "retry", at, failure: failureOf("E_DELIVERY_RETRY", outcome) };
      }
      const window = formatDuration(policy.retryWindowMs);
      const failure = failureOf("E_DELIVERY_RETRY_WINDOW", outcome);
      const message = `still failing when the retry window (${window}) ran out after ${progress.attempts} attempts: ${outcome.message}`;
      return { next: "dead", failure: { ...failure, message } };
    }
  }
}

/** When a retry window that started at `windowStart` ends (ms since the epoch): no attempt is made after it. */
export function retryWindowEnd(windowStart: number, policy: DeliveryPolicy): number {
  return windowStart + policy.retryWindowMs;
}

function failureOf(
  code: DeliveryFailureCode,
  outcome: Exclude<Outcome, { kind: "ok" }>,
): DeliveryFailure {
  return {
    code,
    message: outcome.message,
    outcome: outcome.kind,
    ...(outcome.status === undefined ? {} : { status: outcome.status }),
  };
}

const UNITS = [
  ["h", 3_600_000],
  ["min", 60_000],
  ["s", 1_000],
] as const;

/** `4 h`, `5 min`, `30 s`, `1500 ms`: the largest unit that counts the duration whole. */
function formatDuration(ms: number): string {
  const unit = UNITS.find(([, size]) => ms >= size && ms % size === 0);
  return unit ? `${ms / unit[1]} ${unit[0]}` : `${ms} ms`;
}
