import { setTimeout as sleep } from "node:timers/promises";
import type { Outcome } from "../outcome/outcome.js";
import { retryDelay } from "../outcome/retry-delay.js";
import type { RetryPolicy } from "./client-options.js";

/**
 * Runs `run` and retries it while it yields a `retry` outcome, up to
 * `policy.attempts` more times, sleeping a jittered backoff between tries.
 * Stops early (handing back the last result) when GWEN's `Retry-After` asks
 * for longer than `policy.maxDelayMs` or the signal aborts: long waits are
 * the caller's to schedule, not a blocked promise's.
 */
export async function withRetry<T>(
  run: () => Promise<T>,
  retryOutcomeOf: (result: T) => Outcome | undefined,
  options: { policy: Required<RetryPolicy>; signal?: AbortSignal | undefined },
): Promise<T> {
  const { policy, signal } = options;
  let result = await run();
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    const outcome = retryOutcomeOf(result);
    if (outcome?.kind !== "retry" || signal?.aborted) break;
    const delay = retryDelay(outcome, attempt, policy);
    if (delay > policy.maxDelayMs) break;
    try {
      await sleep(delay, undefined, signal ? { signal } : {});
    } catch {
      break;
    }
    result = await run();
  }
  return result;
}
