import type { Outcome } from "@gwenmap/gwen-adapter";
import type { Logger } from "pino";
import type { ServerMetrics } from "../metrics/server-metrics.js";
import type { ClaimedDelivery, Settlement } from "../queue/job-store.js";
import type { OutageChange } from "./outage-backoff.js";

/** What delivery tells the operator: its metrics, and its log lines (one per delivery only at debug). */
export class DeliveryReport {
  readonly #metrics: ServerMetrics;
  readonly #logger: Logger;

  constructor(metrics: ServerMetrics, logger: Logger) {
    this.#metrics = metrics;
    this.#logger = logger;
  }

  /** How long GWEN took to answer one request (its slowest exchange). */
  answered(outcomes: readonly Outcome[]): void {
    const durationMs = Math.max(...outcomes.map((outcome) => outcome.durationMs));
    if (durationMs > 0) this.#metrics.gwenRequestDuration.observe(durationMs / 1000);
  }

  /** One attempt, counted by GWEN's outcome. */
  attempted(delivery: ClaimedDelivery, outcome: Outcome): void {
    this.#metrics.deliveries.inc({ mapping: delivery.mapping, outcome: outcome.kind });
  }

  /** What became of a delivery: its latency once delivered; a warning once dead; a debug line for a retry. */
  settled(delivery: ClaimedDelivery, settlement: Settlement): void {
    const { messageId, mapping } = delivery;
    if (settlement.result === "delivered") {
      const latencyMs = Math.max(0, Date.now() - delivery.receivedAt);
      this.#metrics.deliveryLatency.observe({ mapping }, latencyMs / 1000);
    } else if (settlement.result === "dead") {
      const { code, status, message } = settlement.reason;
      this.#metrics.deliveries.inc({ mapping, outcome: "dead" });
      this.#logger.warn(
        { messageId, mapping, code, status, attempts: delivery.attempts + 1 },
        `dead-lettered: ${message}`,
      );
    } else if (settlement.result === "retry") {
      this.#logger.debug(
        { messageId, mapping, retryAt: settlement.nextAttemptAt },
        `delivery will be retried: ${settlement.reason.message}`,
      );
    }
  }

  /** Delivery paused because GWEN is unavailable (`reason`: its last answer), or resumed. */
  outage(change: OutageChange, reason?: string): void {
    this.#metrics.gwenUnavailable.set(change.kind === "paused" ? 1 : 0);
    if (change.kind === "resumed") {
      this.#logger.info("GWEN answers again: delivery resumed");
      return;
    }
    this.#logger.warn(
      { pauseMs: change.pauseMs, reason },
      `GWEN is unavailable: delivery backs off for ${change.pauseMs / 1000} s, then one request probes it; nothing is dropped (deliveries keep their attempts and wait)`,
    );
  }
}
