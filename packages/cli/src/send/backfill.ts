import { setMaxListeners } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import type { Delivery, Engine } from "@gwenmap/core";
import {
  type DeliveryFailure,
  type DeliveryPolicy,
  decideDelivery,
  type GwenClient,
  type Outcome,
} from "@gwenmap/gwen-adapter";
import type { EventInput } from "../events/open-input.js";
import { type InputEvent, mapInputEvent, readEvents } from "../events/read-events.js";
import { BatchSender } from "./batch-sender.js";
import type { Failure } from "./failure-record.js";
import { unwrapRecord } from "./failure-record.js";
import type { FailureSink } from "./failures-file.js";
import { Semaphore } from "./semaphore.js";
import { SendStats } from "./send-stats.js";

export interface BackfillOptions {
  readonly engine: Engine;
  readonly input: EventInput;
  /** Absent in a dry run: map and validate, send nothing. */
  readonly client?: GwenClient;
  /** Most requests to GWEN at once. */
  readonly concurrency: number;
  /** Most deliveries per request (aliased mutations); 1 sends each on its own. */
  readonly batchSize: number;
  /** How long one delivery may keep being retried, from its first attempt, and the backoff between tries. */
  readonly policy: DeliveryPolicy;
  /** Input lines to skip (to continue an interrupted run). */
  readonly skip: number;
  readonly failures: FailureSink;
}

/** Why a backfill stopped early. */
export type StopReason = { kind: "interrupted" } | { kind: "auth"; message: string };

/** Events in progress per request slot: room for deliveries waiting out a Retry-After. */
const EVENTS_PER_SLOT = 64;

/**
 * Streams events from the input, maps each with the engine and delivers the
 * results with at most `concurrency` requests in flight, of up to
 * `batchSize` deliveries each. At most `concurrency * (64 + 2 * batchSize)`
 * events are in progress: reading waits for room, so memory stays flat
 * whatever the file size. What follows each outcome is the adapter's
 * delivery policy (`decideDelivery`), the server's too; everything that does
 * not arrive goes to the failures file.
 */
export class Backfill {
  readonly stats = new SendStats();
  readonly #options: BackfillOptions;
  readonly #slots: Semaphore;
  readonly #window: Semaphore;
  readonly #sender: BatchSender | undefined;
  readonly #stop = new AbortController();
  readonly #abort = new AbortController();
  #stopReason: StopReason | undefined;

  constructor(options: BackfillOptions) {
    this.#options = options;
    this.#slots = new Semaphore(options.concurrency);
    // Beyond the room for retries, two batches per slot: one in flight, one gathering.
    const slotEvents = EVENTS_PER_SLOT + 2 * options.batchSize;
    this.#window = new Semaphore(Math.max(1024, options.concurrency * slotEvents));
    this.#sender = options.client
      ? new BatchSender({
          client: options.client,
          batchSize: options.batchSize,
          slots: this.#slots,
          signal: this.#abort.signal,
          stats: this.stats,
        })
      : undefined;
    // Every request and every backoff listens to these; there are thousands at once by design.
    setMaxListeners(0, this.#stop.signal, this.#abort.signal);
  }

  /** Why the run stopped early, if it did. */
  get stopReason(): StopReason | undefined {
    return this.#stopReason;
  }

  /** Signalled when the run stops early (Ctrl-C or a refused key). */
  get stopSignal(): AbortSignal {
    return this.#stop.signal;
  }

  async run(): Promise<void> {
    const inProgress = new Set<Promise<void>>();
    for await (const document of readEvents(this.#options.input.stream)) {
      if (document.line <= this.#options.skip) continue;
      if (this.#stop.signal.aborted || !(await this.#window.acquire())) break;
      this.stats.events++;
      this.stats.lastLine = document.line;
      const task = this.#handle(document).finally(() => {
        this.#window.release();
        inProgress.delete(task);
      });
      inProgress.add(task);
    }
    if (!this.#stop.signal.aborted) this.stats.readMs = this.stats.elapsedMs();
    await Promise.all(inProgress);
  }

  /** First call: stop reading and retrying, let requests in flight finish. Second call: abort them too. */
  interrupt(): "stopping" | "aborting" {
    if (this.#stop.signal.aborted) {
      this.#abort.abort();
      return "aborting";
    }
    this.#halt({ kind: "interrupted" });
    return "stopping";
  }

  #halt(reason: StopReason): void {
    if (this.#stop.signal.aborted) return;
    this.#stopReason = reason;
    this.#stop.abort();
    this.#window.close();
    this.#slots.close();
  }

  async #handle(document: InputEvent): Promise<void> {
    const { line } = document;
    const unwrapped = document.ok ? unwrapRecord(document.value) : document;
    if (!unwrapped.ok) {
      this.stats.rejected++;
      const failure: Failure = { code: "E_NOT_JSON", message: unwrapped.message };
      await this.#options.failures.write({ text: unwrapped.text, line, failure });
      return;
    }
    const { event, only } = unwrapped;
    // the line's size (or a batch's call as sent) stands for the event's only when it is the event
    // (not a failure record)
    const own = document.ok && event === document.value ? document : undefined;
    const result = await mapInputEvent(this.#options.engine, {
      value: event,
      ...(own?.bytes === undefined ? {} : { bytes: own.bytes }),
      ...(own?.sent === undefined ? {} : { sent: own.sent }),
    });
    const wanted = (mapping: string | undefined) =>
      !only || mapping === undefined || only.has(mapping);
    for (const rejection of result.rejections.filter((r) => wanted(r.mapping))) {
      this.stats.rejected++;
      const { mapping, code, message, path } = rejection;
      const failure: Failure = {
        code,
        message,
        ...(mapping ? { mapping } : {}),
        ...(path ? { path } : {}),
      };
      await this.#options.failures.write({
        event,
        ...(mapping ? { mappings: [mapping] } : {}),
        line,
        failure,
      });
    }
    const deliveries = result.deliveries.filter((delivery) => wanted(delivery.mapping));
    this.stats.mapped += deliveries.length;
    const sender = this.#sender;
    if (!sender) return;
    await Promise.all(
      deliveries.map((delivery) => this.#deliver(sender, delivery, { event, line })),
    );
  }

  /** Sends one delivery, and again after each `retry` outcome, as the adapter's delivery policy decides. */
  async #deliver(
    sender: BatchSender,
    delivery: Delivery,
    origin: { event: unknown; line: number },
  ): Promise<void> {
    const { action, payload, mapping } = delivery;
    const windowStart = Date.now();
    for (let attempts = 1; ; attempts++) {
      const outcome = await sender.send({ action, payload });
      if (!outcome) return this.#fail(origin, mapping, this.#stopFailure());
      if (outcome.kind === "retry" && this.#stop.signal.aborted) {
        return this.#fail(origin, mapping, this.#stopFailure(outcome));
      }
      const now = Date.now();
      const step = decideDelivery(outcome, { attempts, windowStart, now }, this.#options.policy);
      if (step.next === "delivered") {
        this.stats.sent++;
        return;
      }
      if (step.next === "pause") this.#halt({ kind: "auth", message: step.failure.message });
      if (step.next !== "retry") return this.#fail(origin, mapping, failureOf(step.failure));
      this.stats.retried++;
      this.stats.waiting++;
      this.stats.retryUntil = Math.max(this.stats.retryUntil, step.at);
      const waited = await sleep(step.at - now, true, { signal: this.#stop.signal })
        .catch(() => false)
        .finally(() => {
          this.stats.waiting--;
        });
      if (!waited) return this.#fail(origin, mapping, this.#stopFailure(outcome));
    }
  }

  /** The failure of a delivery the run stopped before it was confirmed. */
  #stopFailure(outcome?: Outcome): Failure {
    const summary = outcome ? { outcome: summarize(outcome.kind, outcome.status) } : {};
    if (this.#stopReason?.kind === "auth") {
      return {
        code: "E_DELIVERY_AUTH",
        message: `not sent: GWEN refused the API key (${this.#stopReason.message})`,
        ...summary,
      };
    }
    const message = this.#abort.signal.aborted
      ? "aborted by a second Ctrl-C while in flight: GWEN may or may not have received it"
      : "not sent: stopped by Ctrl-C";
    return { code: "E_INTERRUPTED", message, ...summary };
  }

  async #fail(
    origin: { event: unknown; line: number },
    mapping: string,
    failure: Failure,
  ): Promise<void> {
    this.stats.failed++;
    await this.#options.failures.write({
      event: origin.event,
      mappings: [mapping],
      line: origin.line,
      failure: { ...failure, mapping },
    });
  }
}

/** A failure of the delivery policy as the failures file records it. */
function failureOf(failure: DeliveryFailure): Failure {
  const { code, message } = failure;
  return { code, message, outcome: summarize(failure.outcome, failure.status) };
}

function summarize(kind: Outcome["kind"], status: number | undefined): Failure["outcome"] {
  return { kind, ...(status ? { status } : {}) };
}
