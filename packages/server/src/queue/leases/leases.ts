/**
 * Claims held by this process. The SQLite store is used by one process, so
 * its leases live in memory: nothing is written to claim a job, and after a
 * crash every job is free again, which is exactly the recovery the queue
 * needs (a delivery in flight when the process died is sent again).
 */
export class Leases {
  readonly #expiries = new Map<number, number>();
  readonly #leaseMs: number;
  readonly #clock: () => number;

  constructor(leaseMs: number, clock: () => number) {
    this.#leaseMs = leaseMs;
    this.#clock = clock;
  }

  /** How many leases there are (expired ones included): how far past them a claim must read. */
  get size(): number {
    return this.#expiries.size;
  }

  /** Whether `id` is claimed and its lease has not run out. */
  held(id: number): boolean {
    const expiry = this.#expiries.get(id);
    return expiry !== undefined && expiry > this.#clock();
  }

  /** The ids whose leases have not run out, for a query to skip them. */
  heldIds(): number[] {
    const now = this.#clock();
    const ids: number[] = [];
    for (const [id, expiry] of this.#expiries) if (expiry > now) ids.push(id);
    return ids;
  }

  take(id: number): void {
    this.#expiries.set(id, this.#clock() + this.#leaseMs);
  }

  renew(ids: readonly number[]): void {
    for (const id of ids) if (this.#expiries.has(id)) this.take(id);
  }

  release(ids: Iterable<number>): void {
    for (const id of ids) this.#expiries.delete(id);
  }
}
