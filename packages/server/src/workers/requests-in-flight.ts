import { setMaxListeners } from "node:events";

/**
 * The requests to GWEN in flight, each with the deliveries it carries, and
 * one signal that aborts them all at shutdown (one for all of them: creating
 * one per request cost about 8 us of the event loop each).
 */
export class RequestsInFlight {
  readonly #requests = new Map<number, { ids: readonly number[]; done: Promise<void> }>();
  readonly #abort = new AbortController();
  #next = 0;

  /** `most`: the most requests at once; each listens on the signal, and so may its wait before a retry. */
  constructor(most: number) {
    setMaxListeners(2 * most + 1, this.#abort.signal);
  }

  get size(): number {
    return this.#requests.size;
  }

  /** Aborted when `abort` is called. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** Tracks a request carrying `ids` until `sending` settles; then calls `onDone`. */
  track(ids: readonly number[], sending: Promise<void>, onDone: () => void): void {
    const key = this.#next++;
    const done = sending.finally(() => {
      this.#requests.delete(key);
      onDone();
    });
    this.#requests.set(key, { ids, done });
  }

  /** The deliveries the requests in flight carry. */
  heldIds(): number[] {
    return [...this.#requests.values()].flatMap((request) => request.ids);
  }

  /** Waits up to `graceMs` for every request; answers whether any is still in flight. */
  async settle(graceMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([this.#all(), grace]);
    clearTimeout(timer);
    return this.#requests.size > 0;
  }

  /** Aborts every request in flight and waits for them to end. */
  async abort(): Promise<void> {
    this.#abort.abort();
    await this.#all();
  }

  #all(): Promise<unknown> {
    return Promise.all([...this.#requests.values()].map((request) => request.done));
  }
}
