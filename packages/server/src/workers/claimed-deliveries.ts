import type { ClaimedDelivery, JobStore } from "../queue/job-store.js";

/**
 * Deliveries claimed from the store and not sent yet. Claiming a full round
 * at once and sending from here as slots free up costs one store query per
 * round instead of one per delivery (which was a fifth of the main thread
 * end to end).
 */
export class ClaimedDeliveries {
  readonly #store: Pick<JobStore, "claimDeliveries">;
  readonly #roundSize: () => number;
  #ready: ClaimedDelivery[] = [];

  /** `roundSize`: how many to claim at once, asked at each claim (it follows the concurrency limit). */
  constructor(store: Pick<JobStore, "claimDeliveries">, roundSize: () => number) {
    this.#store = store;
    this.#roundSize = roundSize;
  }

  get size(): number {
    return this.#ready.length;
  }

  /** The ids of the deliveries held here (their leases must be renewed too). */
  ids(): number[] {
    return this.#ready.map((delivery) => delivery.id);
  }

  /** Claims a round from the store when none is left; answers how many wait. Rejects when the store does. */
  async refill(): Promise<number> {
    if (this.#ready.length === 0) {
      this.#ready = await this.#store.claimDeliveries(this.#roundSize());
    }
    return this.#ready.length;
  }

  /** Takes up to `count` deliveries, oldest claim first. */
  take(count: number = this.#ready.length): ClaimedDelivery[] {
    return this.#ready.splice(0, count);
  }

  /** Takes every delivery `test` holds for, keeping the others. */
  takeWhere(test: (delivery: ClaimedDelivery) => boolean): ClaimedDelivery[] {
    const taken = this.#ready.filter(test);
    if (taken.length > 0) this.#ready = this.#ready.filter((delivery) => !test(delivery));
    return taken;
  }
}
