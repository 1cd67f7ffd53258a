import { setTimeout as sleep } from "node:timers/promises";

/**
 * A token bucket: up to `ratePerSecond` requests in a burst, refilled at that
 * rate. Tokens may go negative; each negative token is a caller queued for
 * its turn, so concurrent callers are spaced out fairly without a queue.
 */
export class RateLimiter {
  readonly #rate: number;
  #tokens: number;
  #updatedAt = performance.now();

  constructor(ratePerSecond: number) {
    this.#rate = ratePerSecond;
    this.#tokens = Math.max(1, ratePerSecond);
  }

  /** Waits for a token. If `signal` aborts, the token is given back and the abort rethrown. */
  async acquire(signal?: AbortSignal): Promise<void> {
    const now = performance.now();
    const capacity = Math.max(1, this.#rate);
    this.#tokens = Math.min(capacity, this.#tokens + ((now - this.#updatedAt) / 1000) * this.#rate);
    this.#updatedAt = now;
    this.#tokens -= 1;
    if (this.#tokens >= 0) return;
    try {
      await sleep((-this.#tokens / this.#rate) * 1000, undefined, signal ? { signal } : {});
    } catch (error) {
      this.#tokens += 1;
      throw error;
    }
  }
}
