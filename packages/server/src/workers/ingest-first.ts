import { setTimeout as sleep } from "node:timers/promises";

/** A request stored this recently means ingestion is busy. */
const BUSY_WINDOW_MS = 50;
/**
 * Ingestion is quiet once no request was stored for this long: longer than
 * a busy journal's slowest syncs, so that one slow sync does not read as the
 * end of a burst.
 */
const QUIET_AFTER_MS = 500;

/**
 * Ingestion comes first. Every acknowledgement waits for the journal's
 * sync, and mapping's commits share the disk with it (a flush takes longer
 * the more has been written by anyone); so while requests keep arriving,
 * mapping takes at most `share` of the time and a burst is acknowledged as
 * fast as the journal takes it, mapped behind it.
 * Mapping never stops (the share is its floor), and the backlog is bounded:
 * beyond `GWENMAP_MAX_QUEUE_DEPTH` ingestion answers 503.
 */
export class IngestFirst {
  readonly #share: number;
  #lastArrival = Number.NEGATIVE_INFINITY;

  constructor(share: number) {
    this.#share = share;
  }

  /** A request was stored. */
  arrived(): void {
    this.#lastArrival = performance.now();
  }

  /**
   * After a round of mapping that took `workedMs`: rests so as to keep to the
   * share while ingestion is busy, and stops resting as soon as it is not.
   */
  async rest(workedMs: number): Promise<void> {
    const until = performance.now() + (workedMs * (1 - this.#share)) / this.#share;
    while (this.#storedWithin(BUSY_WINDOW_MS)) {
      const left = until - performance.now();
      if (left <= 0) return;
      await sleep(Math.min(left, BUSY_WINDOW_MS));
    }
  }

  /** True when no request was stored lately: mapping may take all the time it wants. */
  quiet(): boolean {
    return !this.#storedWithin(QUIET_AFTER_MS);
  }

  #storedWithin(ms: number): boolean {
    return performance.now() - this.#lastArrival <= ms;
  }
}
