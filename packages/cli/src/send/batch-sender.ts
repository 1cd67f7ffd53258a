import type { DeliveryItem, GwenClient, Outcome } from "@gwenmap/gwen-adapter";
import type { Semaphore } from "./semaphore.js";
import type { SendStats } from "./send-stats.js";

interface Queued {
  readonly item: DeliveryItem;
  readonly settle: (outcome: Outcome | undefined) => void;
  readonly fail: (error: unknown) => void;
}

export interface BatchSenderOptions {
  readonly client: GwenClient;
  /** Most deliveries per request (aliased mutations in one GraphQL operation); 1 sends each on its own. */
  readonly batchSize: number;
  /** One permit per request in flight; closing it refuses what still waits. */
  readonly slots: Semaphore;
  /** Aborts the requests in flight (a second Ctrl-C). */
  readonly signal: AbortSignal;
  /** Counts the requests sent. */
  readonly stats: Pick<SendStats, "requests">;
}

/**
 * Gathers deliveries into GWEN requests of up to `batchSize` each. A
 * delivery waits only while every request slot is busy, and whatever
 * waited meanwhile leaves together when one frees up: a backfill, which
 * reads far faster than GWEN answers, fills its requests, and a lone
 * delivery is never held back for company. Each delivery gets its own
 * outcome (`sendBatch` answers per item), so retries stay per delivery.
 */
export class BatchSender {
  readonly #options: BatchSenderOptions;
  /**
   * Waiting deliveries from `#head` on. Entries before it are emptied as they
   * are taken (a payload can be large) and trimmed now and then.
   */
  #queue: (Queued | undefined)[] = [];
  #head = 0;
  /** Slot requests pending: each takes up to a batch of what waits. */
  #acquiring = 0;

  constructor(options: BatchSenderOptions) {
    this.#options = options;
  }

  /** GWEN's outcome for `item`, or undefined when the slots closed before it was sent (the run is stopping). */
  send(item: DeliveryItem): Promise<Outcome | undefined> {
    return new Promise((settle, fail) => {
      this.#queue.push({ item, settle, fail });
      this.#pump();
    });
  }

  get #waiting(): number {
    return this.#queue.length - this.#head;
  }

  /** Asks for as many slots as the waiting deliveries fill batches, beyond the slots already asked for. */
  #pump(): void {
    while (this.#waiting > this.#acquiring * this.#options.batchSize) {
      this.#acquiring++;
      void this.#sendNext();
    }
  }

  async #sendNext(): Promise<void> {
    const { client, slots, signal, batchSize, stats } = this.#options;
    const granted = await slots.acquire();
    this.#acquiring--;
    if (!granted) {
      for (const queued of this.#take(this.#waiting)) queued.settle(undefined);
      return;
    }
    const batch = this.#take(batchSize);
    if (batch.length === 0) {
      slots.release();
      return;
    }
    try {
      stats.requests++;
      const outcomes = await client.sendBatch(
        batch.map((queued) => queued.item),
        { signal },
      );
      batch.forEach((queued, index) => {
        queued.settle(outcomes[index]!);
      });
    } catch (error) {
      for (const queued of batch) queued.fail(error);
    } finally {
      slots.release();
      this.#pump();
    }
  }

  #take(count: number): Queued[] {
    const end = Math.min(this.#head + count, this.#queue.length);
    const taken = this.#queue.slice(this.#head, end) as Queued[];
    this.#queue.fill(undefined, this.#head, end);
    this.#head = end;
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    return taken;
  }
}
