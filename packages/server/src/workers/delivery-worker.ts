import {
  type ConcurrencyLimit,
  type DeliveryPolicy,
  type Outcome,
  retryWindowEnd,
} from "@gwenmap/gwen-adapter";
import type { Logger } from "pino";
import { crashPoint } from "../faults/crash-point.js";
import type { ServerMetrics } from "../metrics/server-metrics.js";
import type { ClaimedDelivery, JobStore, Settlement } from "../queue/job-store.js";
import type { AuthGate } from "./auth-gate.js";
import { ClaimedDeliveries } from "./claimed-deliveries.js";
import { decideSettlement } from "./decide-settlement.js";
import { DeliveryReport } from "./delivery-report.js";
import { GwenAvailability } from "./gwen-availability.js";
import { RequestsInFlight } from "./requests-in-flight.js";
import { type DeliverySender, sendDeliveries } from "./send-deliveries.js";
import { SettlementBatch } from "./settlement-batch.js";
import { WakeSignal } from "./wake-signal.js";

const IDLE_WAIT_MS = 1_000;
const MIN_WAIT_MS = 5;

export interface DeliveryWorkerOptions {
  readonly store: JobStore;
  readonly client: DeliverySender;
  readonly gate: AuthGate;
  readonly metrics: ServerMetrics;
  readonly logger: Logger;
  /** How many requests to GWEN may be in flight at once (adaptive or fixed). */
  readonly concurrency: ConcurrencyLimit;
  /** Most deliveries per request (aliased mutations in one GraphQL operation); 1 sends each on its own. */
  readonly batchSize: number;
  readonly policy: DeliveryPolicy;
  /** The store's lease; leases of deliveries in flight are renewed at a third of it. */
  readonly leaseMs: number;
}

/**
 * Claims due deliveries and sends them to GWEN, up to `concurrency.limit`
 * requests at once of up to `batchSize` deliveries each; records every outcome (a few
 * milliseconds' worth in one store write): delivered, retried later,
 * dead-lettered, or released while GWEN refuses the API key. Backs off as a
 * whole while GWEN is unavailable (`GwenAvailability`).
 */
export class DeliveryWorker {
  readonly #options: DeliveryWorkerOptions;
  readonly #signal = new WakeSignal();
  readonly #claims: ClaimedDeliveries;
  readonly #inFlight: RequestsInFlight;
  readonly #report: DeliveryReport;
  readonly #availability: GwenAvailability;
  readonly #settlements: SettlementBatch;
  #running: Promise<void> | undefined;
  #renewTimer: NodeJS.Timeout | undefined;
  #stopping = false;
  #aborting = false;

  constructor(options: DeliveryWorkerOptions) {
    this.#options = options;
    const { concurrency, batchSize } = options;
    this.#claims = new ClaimedDeliveries(options.store, () => concurrency.limit * batchSize);
    this.#inFlight = new RequestsInFlight(concurrency.ceiling);
    this.#report = new DeliveryReport(options.metrics, options.logger);
    this.#availability = new GwenAvailability(this.#report);
    this.#settlements = new SettlementBatch(options.store, options.logger);
  }

  start(): void {
    this.#running ??= this.#loop();
    this.#renewTimer = setInterval(() => {
      const held = [...this.#inFlight.heldIds(), ...this.#claims.ids()];
      if (held.length > 0) void this.#options.store.renewLeases(held).catch(() => {});
    }, this.#options.leaseMs / 3);
    this.#renewTimer.unref();
  }

  /** GWEN's last answer while delivery backs off because GWEN is unavailable (see `OutageBackoff`). */
  get unavailableBecause(): string | undefined {
    return this.#availability.unavailableBecause;
  }

  /** New deliveries may be due: stop sleeping. */
  wake(): void {
    this.#signal.notify();
  }

  /**
   * Stops claiming, waits up to `graceMs` for deliveries in flight, aborts
   * the rest (they are released, not counted as attempts) and records every outcome.
   */
  async stop(graceMs: number): Promise<void> {
    this.#stopping = true;
    this.#signal.notify();
    this.#options.gate.stop();
    await this.#running;
    if (await this.#inFlight.settle(graceMs)) {
      this.#aborting = true;
      await this.#inFlight.abort();
    }
    clearInterval(this.#renewTimer);
    // Claimed but never sent: due again at once, no attempt counted.
    for (const { id } of this.#claims.take()) this.#settlements.add({ id, result: "released" });
    await this.#settlements.drain();
  }

  async #loop(): Promise<void> {
    const { gate, concurrency, batchSize } = this.#options;
    while (!this.#stopping) {
      await gate.whenOpen();
      if (this.#stopping) break;
      const free = this.#availability.permits(concurrency.available(), Date.now());
      if (free <= 0) await this.#waitForProbe();
      else if (this.#claims.size === 0) await this.#claimOrSleep();
      else {
        for (let slot = 0; slot < free && this.#claims.size > 0; slot++) {
          this.#deliver(this.#claims.take(batchSize));
        }
      }
    }
  }

  /** While every slot is busy or delivery backs off: dead-letter the overdue, then sleep until a slot or a probe. */
  async #waitForProbe(): Promise<void> {
    const expiry = this.#availability.takeExpiry();
    if (expiry) await this.#expire(expiry);
    const untilProbe = this.#availability.waitMs(Date.now());
    await this.#signal.wait(Math.max(MIN_WAIT_MS, Math.min(IDLE_WAIT_MS, untilProbe)));
  }

  /** Claims a round of due deliveries; with none, sleeps until the next falls due (or a wake). */
  async #claimOrSleep(): Promise<void> {
    const { store, logger } = this.#options;
    try {
      if ((await this.#claims.refill()) > 0) return;
      const next = await store.nextDueAt();
      const wait = next === undefined ? IDLE_WAIT_MS : next - Date.now();
      await this.#signal.wait(Math.min(IDLE_WAIT_MS, Math.max(MIN_WAIT_MS, wait)));
    } catch (error) {
      logger.error({ err: error }, "claiming deliveries failed; retrying shortly");
      await this.#signal.wait(IDLE_WAIT_MS);
    }
  }

  #deliver(deliveries: readonly ClaimedDelivery[]): void {
    this.#availability.sent();
    const ids = deliveries.map((delivery) => delivery.id);
    const startedAt = this.#options.concurrency.start();
    this.#inFlight.track(ids, this.#send(deliveries, startedAt), () => this.#signal.notify());
  }

  async #send(deliveries: readonly ClaimedDelivery[], startedAt: number): Promise<void> {
    crashPoint("gwen-in-flight");
    const outcomes = await sendDeliveries(this.#options.client, deliveries, this.#inFlight.signal);
    crashPoint("gwen-answered");
    // Aborted at shutdown: what came back says nothing about GWEN.
    if (this.#aborting) this.#options.concurrency.cancel(startedAt);
    else this.#options.concurrency.finish(startedAt, outcomes);
    this.#report.answered(outcomes);
    if (!this.#aborting) this.#availability.record(outcomes);
    deliveries.forEach((delivery, index) => {
      this.#settle(delivery, outcomes[index]!);
    });
  }

  /**
   * Each time delivery pauses, GWEN has just left a request unanswered: an
   * attempt now at a delivery whose retry window has run out would end the
   * same way, so every such delivery is dead-lettered with that answer, as
   * the attempts the pause withholds would have. (A delivery whose window
   * runs out during a pause waits for the next probe: if GWEN answers it, it
   * is sent.) Claims until a claim finds none.
   */
  async #expire(outcome: Outcome): Promise<void> {
    const { policy, logger } = this.#options;
    const overdue = (delivery: ClaimedDelivery) =>
      Date.now() >= retryWindowEnd(delivery.windowStart, policy);
    try {
      for (;;) {
        await this.#claims.refill();
        const expired = this.#claims.takeWhere(overdue);
        for (const delivery of expired) this.#settle(delivery, outcome);
        if (expired.length === 0) return;
      }
    } catch (error) {
      logger.error({ err: error }, "claiming deliveries failed; retrying shortly");
    }
  }

  #settle(delivery: ClaimedDelivery, outcome: Outcome): void {
    this.#report.attempted(delivery, outcome);
    if (outcome.kind === "auth") this.#options.gate.pause(outcome.message);
    const settlement: Settlement =
      this.#aborting && outcome.kind === "retry"
        ? { id: delivery.id, result: "released" }
        : decideSettlement(delivery, outcome, { now: Date.now(), policy: this.#options.policy });
    this.#report.settled(delivery, settlement);
    this.#settlements.add(settlement);
  }
}
