/** Requests in a row that GWEN left unanswered (every delivery a `retry`) before delivery backs off. */
const FAILED_REQUESTS_TO_PAUSE = 3;
/** The first pause; each probe GWEN leaves unanswered doubles it, up to the longest. */
export const FIRST_PAUSE_MS = 1_000;
export const LONGEST_PAUSE_MS = 30_000;

/** What one request to GWEN came to, as far as GWEN's availability goes. */
export interface RequestResult {
  /** GWEN answered at least one of its deliveries with something other than `retry`. */
  readonly answered: boolean;
  /** The longest `Retry-After` GWEN gave, in ms. */
  readonly retryAfterMs?: number;
}

/** A change of state worth telling the operator about. */
export type OutageChange =
  | { readonly kind: "paused"; readonly pauseMs: number }
  | { readonly kind: "resumed" };

/**
 * Delivery as a whole backs off while GWEN is unreachable or overloaded
 * (connection refused, timeouts, 429, 5xx): retrying every delivery on its
 * own schedule would send thousands of doomed requests a second, each one
 * costing the event loop that acknowledges ingestion (a server whose GWEN
 * refused connections took a quarter of its usual single events), and would
 * meet GWEN with a storm when it comes back. After a few requests in a row
 * go unanswered, nothing is sent for a pause; then one request probes; a
 * probe GWEN answers resumes delivery, one it does not doubles the pause.
 * Deliveries wait meanwhile without spending attempts: nothing is dropped.
 */
export class OutageBackoff {
  #failed = 0;
  /** While paused: when the next probe may go, in ms since the epoch. */
  #resumeAt: number | undefined;
  #pauseMs = 0;
  #probing = false;

  /** How many of `free` request slots may be used at `now`: all, none while paused, one to probe after a pause. */
  permits(free: number, now: number): number {
    if (this.#resumeAt === undefined) return free;
    if (this.#probing || now < this.#resumeAt) return 0;
    return Math.min(free, 1);
  }

  /** How long to wait before asking `permits` again while it gives 0. */
  waitMs(now: number): number {
    if (this.#resumeAt === undefined || this.#probing) return Number.POSITIVE_INFINITY;
    return Math.max(0, this.#resumeAt - now);
  }

  /** A request is leaving; while paused it is the probe, and no other goes until it is answered. */
  sent(): void {
    if (this.#resumeAt !== undefined) this.#probing = true;
  }

  /** Records one request's result; answers a change of state, if any. */
  record(result: RequestResult, now: number): OutageChange | undefined {
    if (result.answered) {
      this.#failed = 0;
      if (this.#resumeAt === undefined) return undefined;
      this.#resumeAt = undefined;
      this.#pauseMs = 0;
      this.#probing = false;
      return { kind: "resumed" };
    }
    if (this.#resumeAt === undefined) {
      this.#failed += 1;
      if (this.#failed < FAILED_REQUESTS_TO_PAUSE) return undefined;
      return this.#pause(FIRST_PAUSE_MS, result, now);
    }
    // Requests that were in flight when delivery paused report late; only the probe's answer counts.
    if (!this.#probing) return undefined;
    this.#probing = false;
    return this.#pause(Math.min(this.#pauseMs * 2, LONGEST_PAUSE_MS), result, now);
  }

  #pause(pauseMs: number, result: RequestResult, now: number): OutageChange {
    this.#pauseMs = Math.max(pauseMs, Math.min(result.retryAfterMs ?? 0, LONGEST_PAUSE_MS));
    this.#resumeAt = now + this.#pauseMs;
    return { kind: "paused", pauseMs: this.#pauseMs };
  }
}
