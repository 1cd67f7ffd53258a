import type { Logger } from "pino";
import type { JobStore, Settlement } from "../queue/job-store.js";

/**
 * Outcomes are gathered this long before they are written: one message to
 * the store's writer per few milliseconds instead of one per GWEN answer
 * (their leases are held meanwhile, so nothing is claimed twice).
 */
const GATHER_MS = 5;

/** Delivery outcomes on their way to the store, written together a few milliseconds after the first. */
export class SettlementBatch {
  readonly #store: Pick<JobStore, "settleDeliveries">;
  readonly #logger: Logger;
  #settlements: Settlement[] = [];
  #written: Promise<void> = Promise.resolve();
  #scheduled = false;

  constructor(store: Pick<JobStore, "settleDeliveries">, logger: Logger) {
    this.#store = store;
    this.#logger = logger;
  }

  add(settlement: Settlement): void {
    this.#settlements.push(settlement);
    if (this.#scheduled) return;
    this.#scheduled = true;
    setTimeout(() => this.flush(), GATHER_MS);
  }

  /** Writes what was gathered now. A failed write is logged: those deliveries are sent again. */
  flush(): void {
    this.#scheduled = false;
    const batch = this.#settlements;
    if (batch.length === 0) return;
    this.#settlements = [];
    const written = this.#store.settleDeliveries(batch).catch((error: unknown) => {
      this.#logger.error(
        { err: error, deliveries: batch.length },
        "recording delivery outcomes failed; those deliveries will be sent again",
      );
    });
    this.#written = Promise.all([this.#written, written]).then(() => {});
  }

  /** Writes what was gathered and waits for every write so far. */
  async drain(): Promise<void> {
    this.flush();
    await this.#written;
  }
}
