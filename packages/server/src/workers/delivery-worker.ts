import { setMaxListeners } from "node:events";
import { type DeliveryPolicy, type Outcome, retryWindowEnd } from "@gwenmap/gwen-adapter";
import type { Logger } from "pino";
import { crashPoint } from "../faults/crash-point.js";
import type { ServerMetrics } from "../metrics/server-metrics.js";
import type { ClaimedDelivery, JobStore, Settlement } from "../queue/job-store.js";
import type { AuthGate } from "./auth-gate.js";
import { decideSettlement } from "./decide-settlement.js";
import { OutageBackoff, type OutageChange } from "./outage-backoff.js";
import { type DeliverySender, sendDeliveries } from "./send-deliveries.js";
import { WakeSignal } from "./wake-signal.js";

const IDLE_WAIT_MS = 1_000;
const MIN_WAIT_MS = 5;
/**
 * Outcomes are gathered this long before they are written: one message to
 * the store's writer per few milliseconds instead of one per GWEN answer
 * (their leases are held meanwhile, so nothing is claimed twice).
 */
const SETTLE_GATHER_MS = 5;

export interface DeliveryWorkerOptions {
  readonly store: JobStore;
  readonly client: DeliverySender;
  readonly gate: AuthGate;
  readonly metrics: ServerMetrics;
  readonly logger: Logger;
  /** Requests to GWEN in flight at once. */
  readonly concurrency: number;
  /** Most deliveries per request (aliased mutations in one GraphQL operation); 1 sends each on its own. */
  readonly batchSize: number;
  readonly policy: DeliveryPolicy;
  /** The store's lease; leases of deliveries in flight are renewed at a third of it. */
  readonly leaseMs: number;
}

/**
 * Claims due deliveries and sends them to GWEN, up to `concurrency` requests
 * at once of up to `batchSize` deliveries each; records every outcome (grouped into one store write per turn of the event
 * loop): delivered, retried later, dead-lettered, or released while GWEN
 * refuses the API key.
 */
export class DeliveryWorker {
  readonly #options: DeliveryWorkerOptions;
  readonly #signal = new WakeSignal();
  readonly #outage = new OutageBackoff();
  /** Requests in flight, by a number of their own: the deliveries each carries, and when it is done. */
  readonly #inFlight = new Map<number, { ids: readonly number[]; done: Promise<void> }>();
  /**
   * Stops every request in flight at once (at shutdown). One signal for all
   * of them: creating one per request cost about 8 us of the event loop each.
   */
  readonly #abort = new AbortController();
  #requests = 0;
  #unavailableBecause: string | undefined;
  /**
   * GWEN's answer when delivery last paused, while deliveries whose retry
   * window has run out are still to be dead-lettered with it (see `#expire`).
   */
  #expireWith: Outcome | undefined;
  /**
   * Claimed and not sent yet. Claiming a full round at once and sending from
   * here as slots free up costs one store query per round instead of one per
   * delivery (which was a fifth of the main thread end to end).
   */
  #ready: ClaimedDelivery[] = [];
  #settlements: Settlement[] = [];
  #flushing: Promise<void> = Promise.resolve();
  #flushScheduled = false;
  #running: Promise<void> | undefined;
  #renewTimer: NodeJS.Timeout | undefined;
  #stopping = false;
  #aborting = false;

  constructor(options: DeliveryWorkerOptions) {
    this.#options = options;
    // Each request in flight listens on the signal (and so may its wait before a retry).
    setMaxListeners(2 * options.concurrency + 1, this.#abort.signal);
  }

  start(): void {
    this.#running ??= this.#loop();
    this.#renewTimer = setInterval(() => {
      const held = [
        ...[...this.#inFlight.values()].flatMap((request) => request.ids),
        ...this.#ready.map((delivery) => delivery.id),
      ];
      if (held.length > 0) void this.#options.store.renewLeases(held).catch(() => {});
    }, this.#options.leaseMs / 3);
    this.#renewTimer.unref();
  }

  /** GWEN's last answer while delivery backs off because GWEN is unavailable (see `OutageBackoff`). */
  get unavailableBecause(): string | undefined {
    return this.#unavailableBecause;
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
    const all = () => Promise.all([...this.#inFlight.values()].map((entry) => entry.done));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all(), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    if (this.#inFlight.size > 0) {
      this.#aborting = true;
      this.#abort.abort();
      await all();
    }
    clearInterval(this.#renewTimer);
    // Claimed but never sent: due again at once, no attempt counted.
    for (const delivery of this.#ready.splice(0)) {
      this.#settlements.push({ id: delivery.id, result: "released" });
    }
    this.#flush();
    await this.#flushing;
  }

  async #loop(): Promise<void> {
    const { store, gate, concurrency, batchSize, logger } = this.#options;
    while (!this.#stopping) {
      await gate.whenOpen();
      if (this.#stopping) break;
      const free = this.#outage.permits(concurrency - this.#inFlight.size, Date.now());
      if (free <= 0) {
        if (this.#expireWith) await this.#expire(this.#expireWith);
        const untilProbe = this.#outage.waitMs(Date.now());
        await this.#signal.wait(Math.max(MIN_WAIT_MS, Math.min(IDLE_WAIT_MS, untilProbe)));
        continue;
      }
      if (this.#ready.length > 0) {
        for (let slot = 0; slot < free && this.#ready.length > 0; slot++) {
          this.#deliver(this.#ready.splice(0, batchSize));
        }
        continue;
      }
      try {
        this.#ready = await store.claimDeliveries(concurrency * batchSize);
        if (this.#ready.length > 0) continue;
        const next = await store.nextDueAt();
        const wait = next === undefined ? IDLE_WAIT_MS : next - Date.now();
        await this.#signal.wait(Math.min(IDLE_WAIT_MS, Math.max(MIN_WAIT_MS, wait)));
      } catch (error) {
        logger.error({ err: error }, "claiming deliveries failed; retrying shortly");
        await this.#signal.wait(IDLE_WAIT_MS);
      }
    }
  }

  #deliver(deliveries: readonly ClaimedDelivery[]): void {
    this.#outage.sent();
    const key = this.#requests++;
    const done = this.#send(deliveries, this.#abort.signal).finally(() => {
      this.#inFlight.delete(key);
      this.#signal.notify();
    });
    const ids = deliveries.map((delivery) => delivery.id);
    this.#inFlight.set(key, { ids, done });
  }

  async #send(deliveries: readonly ClaimedDelivery[], signal: AbortSignal): Promise<void> {
    crashPoint("gwen-in-flight");
    const outcomes = await sendDeliveries(this.#options.client, deliveries, signal);
    crashPoint("gwen-answered");
    const durationMs = Math.max(...outcomes.map((outcome) => outcome.durationMs));
    if (durationMs > 0) this.#options.metrics.gwenRequestDuration.observe(durationMs / 1000);
    if (!this.#aborting) this.#recordAvailability(outcomes);
    deliveries.forEach((delivery, index) => {
      this.#settle(delivery, outcomes[index]!);
    });
  }

  #recordAvailability(outcomes: readonly Outcome[]): void {
    let unanswered: Extract<Outcome, { kind: "retry" }> | undefined;
    let answered = false;
    let retryAfterMs = 0;
    for (const outcome of outcomes) {
      if (outcome.kind !== "retry") answered = true;
      else {
        unanswered = outcome;
        retryAfterMs = Math.max(retryAfterMs, outcome.retryAfterMs ?? 0);
      }
    }
    const change = this.#outage.record({ answered, retryAfterMs }, Date.now());
    if (change) this.#reportOutage(change, unanswered);
    this.#expireWith = change?.kind === "paused" ? unanswered : undefined;
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
    const { store, policy, concurrency, batchSize, logger } = this.#options;
    this.#expireWith = undefined;
    for (;;) {
      try {
        if (this.#ready.length === 0) {
          this.#ready = await store.claimDeliveries(concurrency * batchSize);
        }
      } catch (error) {
        logger.error({ err: error }, "claiming deliveries failed; retrying shortly");
        return;
      }
      const now = Date.now();
      const waiting: ClaimedDelivery[] = [];
      for (const delivery of this.#ready) {
        if (now >= retryWindowEnd(delivery.windowStart, policy)) this.#settle(delivery, outcome);
        else waiting.push(delivery);
      }
      if (waiting.length === this.#ready.length) return;
      this.#ready = waiting;
    }
  }

  #reportOutage(change: OutageChange, unanswered: { readonly message: string } | undefined): void {
    const { logger, metrics } = this.#options;
    metrics.gwenUnavailable.set(change.kind === "paused" ? 1 : 0);
    if (change.kind === "resumed") {
      this.#unavailableBecause = undefined;
      logger.info("GWEN answers again: delivery resumed");
      return;
    }
    this.#unavailableBecause = unanswered?.message ?? "GWEN leaves requests unanswered";
    logger.warn(
      { pauseMs: change.pauseMs, reason: this.#unavailableBecause },
      `GWEN is unavailable: delivery backs off for ${change.pauseMs / 1000} s, then one request probes it; nothing is dropped (deliveries keep their attempts and wait)`,
    );
  }

  #settle(delivery: ClaimedDelivery, outcome: Outcome): void {
    const { gate, metrics } = this.#options;
    metrics.deliveries.inc({ mapping: delivery.mapping, outcome: outcome.kind });
    if (outcome.kind === "auth") gate.pause(outcome.message);
    const settlement =
      this.#aborting && outcome.kind === "retry"
        ? ({ id: delivery.id, result: "released" } as const)
        : decideSettlement(delivery, outcome, { now: Date.now(), policy: this.#options.policy });
    this.#observe(delivery, settlement);
    this.#settlements.push(settlement);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setTimeout(() => this.#flush(), SETTLE_GATHER_MS);
    }
  }

  #observe(delivery: ClaimedDelivery, settlement: Settlement): void {
    const { metrics, logger } = this.#options;
    if (settlement.result === "delivered") {
      metrics.deliveryLatency.observe(
        { mapping: delivery.mapping },
        Math.max(0, Date.now() - delivery.receivedAt) / 1000,
      );
    } else if (settlement.result === "dead") {
      metrics.deliveries.inc({ mapping: delivery.mapping, outcome: "dead" });
      logger.warn(
        {
          messageId: delivery.messageId,
          mapping: delivery.mapping,
          code: settlement.reason.code,
          status: settlement.reason.status,
          attempts: delivery.attempts + 1,
        },
        `dead-lettered: ${settlement.reason.message}`,
      );
    } else if (settlement.result === "retry") {
      logger.debug(
        {
          messageId: delivery.messageId,
          mapping: delivery.mapping,
          retryAt: settlement.nextAttemptAt,
        },
        `delivery will be retried: ${settlement.reason.message}`,
      );
    }
  }

  #flush(): void {
    this.#flushScheduled = false;
    const batch = this.#settlements;
    if (batch.length === 0) return;
    this.#settlements = [];
    const { store, logger } = this.#options;
    const written = store.settleDeliveries(batch).catch((error: unknown) => {
      logger.error(
        { err: error, deliveries: batch.length },
        "recording delivery outcomes failed; those deliveries will be sent again",
      );
    });
    this.#flushing = Promise.all([this.#flushing, written]).then(() => {});
  }
}
