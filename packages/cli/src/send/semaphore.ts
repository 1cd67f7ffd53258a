/**
 * A counting semaphore that can be closed: `acquire` waits for a free
 * permit and resolves `true`, or resolves `false` once the semaphore is
 * closed (the caller then gives up instead of starting new work).
 */
export class Semaphore {
  #free: number;
  #closed = false;
  readonly #waiting: ((granted: boolean) => void)[] = [];

  constructor(permits: number) {
    this.#free = permits;
  }

  acquire(): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false);
    if (this.#free > 0) {
      this.#free--;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  release(): void {
    const next = this.#waiting.shift();
    if (next) next(true);
    else this.#free++;
  }

  /** Refuse every waiting and future `acquire`; permits already held stay valid. */
  close(): void {
    this.#closed = true;
    for (const waiter of this.#waiting.splice(0)) waiter(false);
  }
}
