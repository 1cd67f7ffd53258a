import type { MappingEvaluators } from "@gwenmap/core";
import type { ConcurrencyLimit, OutcomeKind } from "@gwenmap/gwen-adapter";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { QueueStats } from "../queue/job-store.js";

/** What a delivery attempt ended as, for counting: GWEN's outcome, or `dead` when it was dead-lettered. */
export type DeliveryCount = OutcomeKind | "dead";

/**
 * The server's Prometheus metrics, in a registry of its own (so that several
 * servers in one process do not collide), beside prom-client's default
 * process and Node.js metrics (CPU, memory, event-loop lag, GC, handles).
 * Queue figures are read from the store when `/metrics` is scraped.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly eventsReceived = new Counter<"endpoint">({
    name: "gwenmap_events_received_total",
    help: "Events acknowledged by the ingestion endpoints.",
    labelNames: ["endpoint"],
    registers: [this.registry],
  });
  readonly eventsRejected = new Counter<"code">({
    name: "gwenmap_events_rejected_total",
    help: "Rejections written by the mapping worker (invalid events, failed mappings), by code.",
    labelNames: ["code"],
    registers: [this.registry],
  });
  readonly eventsDuplicate = new Counter({
    name: "gwenmap_events_duplicate_total",
    help: "Events dropped because their messageId was seen within the dedupe window.",
    registers: [this.registry],
  });
  readonly deliveries = new Counter<"mapping" | "outcome">({
    name: "gwenmap_deliveries_total",
    help: "Delivery attempts by outcome (ok, retry, permanent, auth) and dead-lettered deliveries (dead).",
    labelNames: ["mapping", "outcome"],
    registers: [this.registry],
  });
  readonly deliveryLatency = new Histogram<"mapping">({
    name: "gwenmap_delivery_latency_seconds",
    help: "Time from receiving an event to GWEN accepting its delivery.",
    labelNames: ["mapping"],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300, 1800, 3600, 14400],
    registers: [this.registry],
  });
  readonly gwenRequestDuration = new Histogram({
    name: "gwenmap_gwen_request_duration_seconds",
    help: "Duration of one HTTP exchange with GWEN.",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly deliveryPaused = new Gauge({
    name: "gwenmap_delivery_paused",
    help: "1 while delivery is paused because GWEN refuses the API key.",
    registers: [this.registry],
  });
  readonly gwenUnavailable = new Gauge({
    name: "gwenmap_gwen_unavailable",
    help: "1 while delivery backs off because GWEN leaves requests unanswered (unreachable, timeouts, 429, 5xx).",
    registers: [this.registry],
  });
  readonly mappings = new Gauge<"evaluator">({
    name: "gwenmap_mappings",
    help: "Mappings loaded, by the engine that evaluates them: compiled, or jsonata when the trigger or the expression falls back to jsonata's interpreter.",
    labelNames: ["evaluator"],
    registers: [this.registry],
  });
  readonly reloads = new Counter<"result">({
    name: "gwenmap_mapping_reloads_total",
    help: "Mapping reloads, by result (applied or refused).",
    labelNames: ["result"],
    registers: [this.registry],
  });
  readonly instanceWakeups = new Counter<"work">({
    name: "gwenmap_queue_wakeups_total",
    help: "Times another instance on the PostgreSQL queue announced work (NOTIFY) and woke this one's worker, by work (requests to map, deliveries to send).",
    labelNames: ["work"],
    registers: [this.registry],
  });

  constructor(stats: () => Promise<QueueStats>) {
    collectDefaultMetrics({ register: this.registry });
    this.#registerQueueGauges(stats);
  }

  /** Reports the delivery's concurrency limit and requests in flight at each scrape. */
  watchConcurrency(concurrency: ConcurrencyLimit): void {
    const registers = [this.registry];
    new Gauge({
      name: "gwenmap_delivery_concurrency_limit",
      help: "Requests to GWEN allowed in flight now: learned by adaptive concurrency (up to GWENMAP_MAX_CONCURRENCY), or GWENMAP_CONCURRENCY when fixed.",
      labelNames: ["mode"],
      registers,
      collect() {
        this.reset();
        this.set({ mode: concurrency.mode }, concurrency.limit);
      },
    });
    new Gauge({
      name: "gwenmap_delivery_requests_in_flight",
      help: "Requests to GWEN in flight now.",
      registers,
      collect() {
        this.set(concurrency.inFlight);
      },
    });
  }

  /** Sets the mappings gauge from a loaded set. */
  describeMappings(mappings: readonly { readonly evaluator: MappingEvaluators }[]): void {
    this.mappings.reset();
    this.mappings.set({ evaluator: "compiled" }, 0);
    this.mappings.set({ evaluator: "jsonata" }, 0);
    for (const mapping of mappings) this.mappings.inc({ evaluator: mapping.evaluator.kind });
  }

  #registerQueueGauges(stats: () => Promise<QueueStats>): void {
    let latest: Promise<QueueStats> | undefined;
    // One store read per scrape, shared by the gauges below.
    const read = () => {
      latest ??= stats().finally(() => {
        setImmediate(() => {
          latest = undefined;
        });
      });
      return latest;
    };
    new Gauge({
      name: "gwenmap_queue_depth",
      help: "Events not yet mapped (stage=unmapped) and deliveries waiting or in flight (stage=pending).",
      labelNames: ["stage"],
      registers: [this.registry],
      async collect() {
        const current = await read();
        this.set({ stage: "unmapped" }, current.unmappedEvents);
        this.set({ stage: "pending" }, current.pendingDeliveries);
        this.set({ stage: "replay" }, current.replaying);
      },
    });
    new Gauge({
      name: "gwenmap_dead_letters",
      help: "Records in the dead-letter store, by state (dead deliveries, rejected events).",
      labelNames: ["state"],
      registers: [this.registry],
      async collect() {
        const current = await read();
        this.set({ state: "dead" }, current.dead);
        this.set({ state: "rejected" }, current.rejected);
      },
    });
    new Gauge({
      name: "gwenmap_oldest_pending_age_seconds",
      help: "Age of the oldest event not yet delivered (0 when none).",
      registers: [this.registry],
      async collect() {
        const current = await read();
        const at = current.oldestPendingAt;
        this.set(at === undefined ? 0 : Math.max(0, (Date.now() - at) / 1000));
      },
    });
    new Gauge({
      name: "gwenmap_disk_bytes",
      help: "The SQLite queue's disk: free space in the data directory (state=free) and the reserve kept free (state=reserve).",
      labelNames: ["state"],
      registers: [this.registry],
      async collect() {
        const disk = (await read()).disk;
        this.reset();
        if (!disk) return;
        this.set({ state: "free" }, disk.freeBytes);
        this.set({ state: "reserve" }, disk.reserveBytes);
      },
    });
    new Gauge({
      name: "gwenmap_disk_low",
      help: "1 while new events are answered 503 because free space in the data directory is below the reserve.",
      registers: [this.registry],
      async collect() {
        this.set((await read()).disk?.refusingBecause === undefined ? 0 : 1);
      },
    });
  }
}
