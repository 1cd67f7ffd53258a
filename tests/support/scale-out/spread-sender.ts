/**
 * Sends numbered batches of track events across several servers, as a load
 * balancer would: round robin over the servers still taking requests. A
 * request that fails (its server was killed under it) is sent again, with the
 * same messageIds, to the next server; a batch counts once acknowledged.
 */

export const PER_BATCH = 50;

export function userIdFor(index: number): string {
  return `7a3e5b2d-1c4f-4a8e-9b6d-${index.toString(16).padStart(12, "0")}`;
}

function batchBody(batch: number): string {
  const events = [];
  for (let offset = 0; offset < PER_BATCH; offset++) {
    const index = batch * PER_BATCH + offset;
    events.push({
      type: "track",
      event: "Level Completed",
      userId: userIdFor(index),
      messageId: `scale-out-${index}`,
      properties: { index },
    });
  }
  return JSON.stringify({ batch: events });
}

export class SpreadSender {
  readonly acknowledged = new Set<number>();
  /** Batches acknowledged by each server, by URL. */
  readonly acknowledgedBy = new Map<string, number>();
  readonly #batches: number;
  readonly #writeKey: string;
  readonly #concurrency: number;
  readonly #onAnswer: ((status: number) => void) | undefined;
  #urls: string[] = [];
  #turn = 0;
  #next = 0;
  #retry: number[] = [];

  constructor(options: {
    batches: number;
    writeKey: string;
    concurrency: number;
    /** Told every answer's status (0: no answer, the connection failed). */
    onAnswer?: (status: number) => void;
  }) {
    this.#batches = options.batches;
    this.#writeKey = options.writeKey;
    this.#concurrency = options.concurrency;
    this.#onAnswer = options.onAnswer;
  }

  /** The servers to spread over from now on. */
  spreadOver(urls: readonly string[]): void {
    this.#urls = [...urls];
  }

  get acknowledgedEvents(): number {
    return this.acknowledged.size * PER_BATCH;
  }

  /** Sends until `until()` holds or every batch is acknowledged. */
  async run(until: () => boolean): Promise<void> {
    const workers = Array.from({ length: this.#concurrency }, async () => {
      while (!until() && this.acknowledged.size < this.#batches) {
        const batch =
          this.#retry.shift() ?? (this.#next < this.#batches ? this.#next++ : undefined);
        if (batch === undefined || !(await this.#send(batch))) {
          if (batch !== undefined) this.#retry.push(batch);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    });
    await Promise.all(workers);
  }

  async #send(batch: number): Promise<boolean> {
    const url = this.#urls[this.#turn++ % this.#urls.length];
    if (url === undefined) return false;
    try {
      const response = await fetch(`${url}/v1/batch`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Basic ${Buffer.from(`${this.#writeKey}:`).toString("base64")}`,
        },
        body: batchBody(batch),
      });
      await response.text();
      this.#onAnswer?.(response.status);
      if (response.status !== 200) return false;
      this.acknowledged.add(batch);
      this.acknowledgedBy.set(url, (this.acknowledgedBy.get(url) ?? 0) + 1);
      return true;
    } catch {
      this.#onAnswer?.(0);
      return false;
    }
  }
}
