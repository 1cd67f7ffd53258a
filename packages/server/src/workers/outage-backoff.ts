/** How many of the latest requests delivery judges GWEN's availability by. */
const WINDOW = 20;
/** Fewer results than this say too little: a run of failures is common when GWEN fails a share of requests. */
const FEWEST_TO_JUDGE = 10;
/** The share of the window GWEN left unanswered at which delivery backs off. */
const UNANSWERED_TO_PAUSE = 0.8;
/** The first pause; each probe GWEN leaves unanswered doubles it, up to the longest. */
export const FIRST_PAUSE_MS = 1_000;
export const LONGEST_PAUSE_MS = 30_000;

/** What one request to GWEN came to, as far as GWEN's availability goes. */
export interface RequestResult {
  /** GWEN answered at least one of its deliveries with something other than `retry`. */
  readonly answered: boolean;
  /** The longest `Retry-After` GWEN gave, in ms. */
  readonly retryAfterMs?: number;
  /** The longest `Retry-After` of a 429 among them, in ms: GWEN's rate limit says when it takes more. */
  readonly rateLimitedMs?: number;
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
 * meet GWEN with a storm when it comes back. Once GWEN leaves most of the
 * latest requests unanswered, nothing is sent for a pause; then one request
 * probes; a probe GWEN answers resumes delivery, one it does not doubles the
 * pause. Deliveries wait meanwhile without spending attempts: nothing is
 * dropped. A GWEN that fails some of its requests is degraded, not down: it
 * still delivers most of them, so delivery judges a window, not a run (three
 * failures in a row came every few dozen requests at 40% failures, and each
 * paused delivery for a second or more). A 429 with `Retry-After` holds every
 * request until then, as GWEN asked: its rate limit counts the requests of
 * one API key, so each request sent meanwhile would be refused too.
 */
export class OutageBackoff {
  /** The latest results, oldest first overwritten: `true` for unanswered. */
  readonly #window: boolean[] = [];
  #next = 0;
  #unanswered = 0;
  /** While paused: when the next probe may go, in ms since the epoch. */
  #resumeAt: number | undefined;
  #pauseMs = 0;
  #probing = false;
  /** No request leaves before this, in ms since the epoch: GWEN's rate limit asked to wait. */
  #holdUntil = 0;

  /** How many of `free` request slots may be used at `now`: all, none while paused, one to probe after a pause. */
  permits(free: number, now: number): number {
    if (now < this.#holdUntil) return 0;
    if (this.#resumeAt === undefined) return free;
    if (this.#probing || now < this.#resumeAt) return 0;
    return Math.min(free, 1);
  }

  /** How long to wait before asking `permits` again while it gives 0. */
  waitMs(now: number): number {
    const held = this.#holdUntil - now;
    if (this.#resumeAt === undefined || this.#probing) {
      return held > 0 ? held : Number.POSITIVE_INFINITY;
    }
    return Math.max(0, this.#resumeAt - now, held);
  }

  /** A request is leaving; while paused it is the probe, and no other goes until it is answered. */
  sent(): void {
    if (this.#resumeAt !== undefined) this.#probing = true;
  }

  /** Records one request's result; answers a change of state, if any. */
  record(result: RequestResult, now: number): OutageChange | undefined {
    const hold = Math.min(result.rateLimitedMs ?? 0, LONGEST_PAUSE_MS);
    this.#holdUntil = Math.max(this.#holdUntil, now + hold);
    if (this.#resumeAt === undefined) {
      this.#remember(!result.answered);
      if (result.answered || !this.#mostlyUnanswered()) return undefined;
      return this.#pause(FIRST_PAUSE_MS, result, now);
    }
    if (result.answered) {
      // What GWEN did before the pause says nothing about it now: judge afresh.
      this.#window.length = 0;
      this.#next = 0;
      this.#unanswered = 0;
      this.#resumeAt = undefined;
      this.#pauseMs = 0;
      this.#probing = false;
      return { kind: "resumed" };
    }
    // Requests that were in flight when delivery paused report late; only the probe's answer counts.
    if (!this.#probing) return undefined;
    this.#probing = false;
    return this.#pause(Math.min(this.#pauseMs * 2, LONGEST_PAUSE_MS), result, now);
  }

  #remember(unanswered: boolean): void {
    if (this.#window.length < WINDOW) this.#window.push(unanswered);
    else {
      if (this.#window[this.#next]) this.#unanswered -= 1;
      this.#window[this.#next] = unanswered;
      this.#next = (this.#next + 1) % WINDOW;
    }
    if (unanswered) this.#unanswered += 1;
  }

  #mostlyUnanswered(): boolean {
    const judged = this.#window.length;
    return judged >= FEWEST_TO_JUDGE && this.#unanswered >= judged * UNANSWERED_TO_PAUSE;
  }

  #pause(pauseMs: number, result: RequestResult, now: number): OutageChange {
    this.#pauseMs = Math.max(pauseMs, Math.min(result.retryAfterMs ?? 0, LONGEST_PAUSE_MS));
    this.#resumeAt = now + this.#pauseMs;
    return { kind: "paused", pauseMs: this.#pauseMs };
  }
}
