import type { Outcome } from "./outcome.js";

type Unanswered = Extract<Outcome, { kind: "retry" }>;

/** What one request's outcomes (one per delivery it carried) say about GWEN's availability. */
export interface RequestAnswers {
  /** GWEN answered at least one delivery with something other than `retry`. */
  readonly answered: boolean;
  /** The last delivery left to retry (its message says why), if any. */
  readonly unanswered?: Unanswered;
  /** The longest `Retry-After` GWEN gave, in ms (0 without one). */
  readonly retryAfterMs: number;
  /** The longest `Retry-After` of a 429 among them, in ms: when GWEN's rate limit takes more. */
  readonly rateLimitedMs: number;
}

/** Reads one request's outcomes for whether GWEN answers, and when it asks to be asked again. */
export function readRequestAnswers(outcomes: readonly Outcome[]): RequestAnswers {
  let unanswered: Unanswered | undefined;
  let answered = false;
  let retryAfterMs = 0;
  let rateLimitedMs = 0;
  for (const outcome of outcomes) {
    if (outcome.kind !== "retry") {
      answered = true;
      continue;
    }
    unanswered = outcome;
    retryAfterMs = Math.max(retryAfterMs, outcome.retryAfterMs ?? 0);
    if (outcome.status === 429) rateLimitedMs = Math.max(rateLimitedMs, outcome.retryAfterMs ?? 0);
  }
  return { answered, retryAfterMs, rateLimitedMs, ...(unanswered ? { unanswered } : {}) };
}
