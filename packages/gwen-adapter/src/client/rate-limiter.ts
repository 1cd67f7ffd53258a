/**
 * A token bucket: up to `ratePerSecond` requests in a burst, refilled at that
 * rate. Tokens may go negative; each negative token is a caller queued for
 * its turn, so concurrent callers are spaced out fairly without a queue.
 */
export class RateLimiter {
  readonly #rate: number;
  readonly #capacity: number;
  #tokens: number;
  #updatedAt = performance.now();

  constructor(ratePerSecond: number) {
    this.#rate = ratePerSecond;
    this.#capacity = Math.max(1, ratePerSecond);
    this.#tokens = this.#capacity;
  }

  /** Waits for a token. If `signal` aborts, the token is given back and the abort reason thrown. */
  async acquire(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const now = performance.now();
    this.#tokens = Math.min(
      this.#capacity,
      this.#tokens + ((now - this.#updatedAt) / 1000) * this.#rate,
    );
    this.#updatedAt = now;
    this.#tokens -= 1;
    if (this.#tokens >= 0) return;
    try {
      await wait((-this.#tokens / this.#rate) * 1000, signal);
    } catch (error) {
      this.#tokens += 1;
      throw error;
    }
  }
}

function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
