import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

/** A request stored this recently means requests are arriving. */
const BUSY_WINDOW_MS = 50;
/**
 * Ingestion is quiet once no request was stored for this long: longer than
 * a busy journal's slowest syncs, so that one slow sync does not read as the
 * end of a burst.
 */
const QUIET_AFTER_MS = 500;
/**
 * The event loop busier than this since the last round means it is taking
 * requests about as fast as it can: ingestion is the limit, and mapping holds
 * back. Below it, requests leave time over, and mapping takes it.
 */
const SATURATED_UTILIZATION = 0.5;

/** What `IngestFirst` reads of the process; tests give their own. */
export interface IngestSignals {
  /** The share of the time the event loop was busy since the previous call (0 to 1). */
  readonly utilization: () => number;
  /** Milliseconds on a monotonic clock. */
  readonly now: () => number;
}

/**
 * Ingestion comes first. Every acknowledgement waits for the journal's
 * sync, and mapping's commits share the disk and the cores with it (a flush
 * takes longer the more has been written by anyone); so while requests
 * arrive as fast as the event loop takes them, mapping takes at most `share`
 * of the time and a burst is acknowledged as fast as the journal takes it,
 * mapped behind it. At a rate that leaves the event loop time over, mapping
 * does not wait: it keeps up.
 * Mapping never stops (the share is its floor), and the backlog is bounded:
 * beyond `GWENMAP_MAX_QUEUE_DEPTH` ingestion answers 503.
 */
export class IngestFirst {
  readonly #share: number;
  readonly #signals: IngestSignals;
  #lastArrival = Number.NEGATIVE_INFINITY;

  constructor(share: number, signals: IngestSignals = processSignals()) {
    this.#share = share;
    this.#signals = signals;
  }

  /** A request was stored. */
  arrived(): void {
    this.#lastArrival = this.#signals.now();
  }

  /**
   * After a round of mapping that took `workedMs`: rests so as to keep to the
   * share while ingestion saturates the event loop, and stops resting as soon
   * as requests stop arriving.
   */
  async rest(workedMs: number): Promise<void> {
    const { utilization, now } = this.#signals;
    if (utilization() < SATURATED_UTILIZATION) return;
    const until = now() + (workedMs * (1 - this.#share)) / this.#share;
    while (this.#storedWithin(BUSY_WINDOW_MS)) {
      const left = until - now();
      if (left <= 0) return;
      await sleep(Math.min(left, BUSY_WINDOW_MS));
    }
  }

  /** True when no request was stored lately: mapping may take all the time it wants. */
  quiet(): boolean {
    return !this.#storedWithin(QUIET_AFTER_MS);
  }

  #storedWithin(ms: number): boolean {
    return this.#signals.now() - this.#lastArrival <= ms;
  }
}

/** This thread's event loop (utilization between calls) and `performance.now()`. */
function processSignals(): IngestSignals {
  let mark = performance.eventLoopUtilization();
  const utilization = () => {
    const current = performance.eventLoopUtilization();
    const since = performance.eventLoopUtilization(current, mark);
    mark = current;
    return since.utilization;
  };
  return { utilization, now: () => performance.now() };
}
