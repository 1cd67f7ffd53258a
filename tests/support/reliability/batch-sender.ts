import { basicAuth, eventsBody } from "./events.js";

export interface BatchSenderOptions {
  /** Names the run in user ids (see `userIdFor`). */
  readonly run: number;
  readonly events: number;
  readonly perBatch: number;
  readonly writeKey: string;
  /** Requests in flight at once (default 4). */
  readonly senders?: number;
  /** Characters added to each event's properties (see `trackEvent`). */
  readonly padding?: number;
  /** Called with every answer the server gave, and its body. */
  readonly onAnswer?: (response: Response, body: string) => void;
}

/**
 * Sends `events` track events in batches until each batch is acknowledged,
 * as Segment's libraries do: a batch whose request failed (the server died
 * under it, or answered 503) goes back in line and is sent again with the
 * same messageIds, to whichever server `point` names then.
 */
export class BatchSender {
  readonly acknowledged = new Set<number>();
  /** Requests that got no answer at all (the connection broke). */
  unanswered = 0;
  readonly #options: BatchSenderOptions;
  readonly #batches: number;
  #next = 0;
  #retry: number[] = [];
  #url = "";

  constructor(options: BatchSenderOptions) {
    this.#options = options;
    this.#batches = Math.ceil(options.events / options.perBatch);
  }

  point(url: string): void {
    this.#url = url;
  }

  get acknowledgedEvents(): number {
    let events = 0;
    for (const batch of this.acknowledged) events += this.#range(batch)[1] - this.#range(batch)[0];
    return events;
  }

  /** The indexes of the events acknowledged so far. */
  acknowledgedIndexes(): number[] {
    const indexes: number[] = [];
    for (const batch of this.acknowledged) {
      const [from, to] = this.#range(batch);
      for (let index = from; index < to; index++) indexes.push(index);
    }
    return indexes.sort((a, b) => a - b);
  }

  get done(): boolean {
    return this.acknowledged.size === this.#batches;
  }

  /** Sends until `until()` holds or every batch is acknowledged. */
  async run(until: () => boolean = () => false): Promise<void> {
    const senders = Array.from({ length: this.#options.senders ?? 4 }, async () => {
      while (!until() && !this.done) {
        const batch =
          this.#retry.shift() ?? (this.#next < this.#batches ? this.#next++ : undefined);
        if (batch === undefined || !(await this.#send(batch))) {
          if (batch !== undefined) this.#retry.push(batch);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    });
    await Promise.all(senders);
  }

  #range(batch: number): [number, number] {
    const from = batch * this.#options.perBatch;
    return [from, Math.min(this.#options.events, from + this.#options.perBatch)];
  }

  async #send(batch: number): Promise<boolean> {
    const [from, to] = this.#range(batch);
    try {
      const response = await fetch(`${this.#url}/v1/batch`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: basicAuth(this.#options.writeKey),
        },
        body: eventsBody(this.#options.run, { from, to, padding: this.#options.padding ?? 0 }),
      });
      const text = await response.text();
      this.#options.onAnswer?.(response, text);
      if (response.status !== 200) return false;
      this.acknowledged.add(batch);
      return true;
    } catch {
      this.unanswered += 1;
      return false;
    }
  }
}
