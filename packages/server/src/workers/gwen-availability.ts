import { type Outcome, readRequestAnswers } from "@gwenmap/gwen-adapter";
import type { DeliveryReport } from "./delivery-report.js";
import { OutageBackoff } from "./outage-backoff.js";

/**
 * Whether GWEN answers, judged from every request's outcomes (see
 * `OutageBackoff`): how many requests may go out now, why delivery backs
 * off, and, each time it pauses, GWEN's answer to dead-letter overdue
 * deliveries with (see `DeliveryWorker`).
 */
export class GwenAvailability {
  readonly #backoff = new OutageBackoff();
  readonly #report: DeliveryReport;
  #unavailableBecause: string | undefined;
  /** GWEN's answer when delivery last paused, until the overdue deliveries are dead-lettered with it. */
  #expireWith: Outcome | undefined;

  constructor(report: DeliveryReport) {
    this.#report = report;
  }

  /** GWEN's last answer while delivery backs off, else undefined. */
  get unavailableBecause(): string | undefined {
    return this.#unavailableBecause;
  }

  /** How many of `free` request slots may be used at `now` (0 during a pause or a 429's `Retry-After`, 1 to probe). */
  permits(free: number, now: number): number {
    return this.#backoff.permits(free, now);
  }

  /** How long until the next probe may go out. */
  waitMs(now: number): number {
    return this.#backoff.waitMs(now);
  }

  /** A request went out. */
  sent(): void {
    this.#backoff.sent();
  }

  /** One request's outcomes: whether GWEN answered any, and the longest `Retry-After` it gave. */
  record(outcomes: readonly Outcome[]): void {
    const answers = readRequestAnswers(outcomes);
    const { unanswered } = answers;
    const change = this.#backoff.record(answers, Date.now());
    if (change) {
      this.#unavailableBecause =
        change.kind === "paused"
          ? (unanswered?.message ?? "GWEN leaves requests unanswered")
          : undefined;
      this.#report.outage(change, this.#unavailableBecause);
    }
    this.#expireWith = change?.kind === "paused" ? unanswered : undefined;
  }

  /** GWEN's answer to dead-letter overdue deliveries with, once after each pause begins. */
  takeExpiry(): Outcome | undefined {
    const outcome = this.#expireWith;
    this.#expireWith = undefined;
    return outcome;
  }
}
