import { type BackoffPolicy, type Outcome, retryDelay } from "@gwenmap/gwen-adapter";
import type { ClaimedDelivery, FailureReason, Settlement } from "../queue/job-store.js";

export interface RetryPolicy extends BackoffPolicy {
  /** How long after its window started a delivery is still retried. */
  readonly retryWindowMs: number;
}

/**
 * What to do with a delivery after GWEN's answer: done; retried after a
 * jittered backoff (never sooner than GWEN's `Retry-After`) while the retry
 * window lasts, else dead-lettered; dead-lettered at once for a permanent
 * failure; released untouched when GWEN refuses the API key (delivery pauses).
 */
export function decideSettlement(
  delivery: ClaimedDelivery,
  outcome: Outcome,
  context: { readonly now: number; readonly policy: RetryPolicy },
): Settlement {
  const { id } = delivery;
  switch (outcome.kind) {
    case "ok":
      return { id, result: "delivered" };
    case "permanent":
      return { id, result: "dead", reason: reasonOf("E_DELIVERY_PERMANENT", outcome) };
    case "auth":
      return { id, result: "released", reason: reasonOf("E_DELIVERY_AUTH", outcome) };
    case "retry": {
      const { now, policy } = context;
      const nextAttemptAt = now + retryDelay(outcome, delivery.attempts + 1, policy);
      if (nextAttemptAt <= retryWindowEnd(delivery, policy)) {
        return {
          id,
          result: "retry",
          nextAttemptAt,
          reason: reasonOf("E_DELIVERY_RETRY", outcome),
        };
      }
      const window = formatDuration(policy.retryWindowMs);
      const reason = reasonOf("E_DELIVERY_RETRY_WINDOW", outcome);
      return {
        id,
        result: "dead",
        reason: {
          ...reason,
          message: `still failing when the retry window (${window}) ran out after ${delivery.attempts + 1} attempts: ${outcome.message}`,
        },
      };
    }
  }
}

/** When a delivery's retry window ends (ms since the epoch): later attempts are not made. */
export function retryWindowEnd(delivery: ClaimedDelivery, policy: RetryPolicy): number {
  return delivery.windowStart + policy.retryWindowMs;
}

function reasonOf(code: string, outcome: Exclude<Outcome, { kind: "ok" }>): FailureReason {
  return {
    code,
    message: outcome.message,
    outcome: outcome.kind,
    ...(outcome.status === undefined ? {} : { status: outcome.status }),
  };
}

function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms % 1_000 === 0) return `${ms / 1_000} s`;
  return `${ms} ms`;
}
