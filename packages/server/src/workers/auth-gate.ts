import type { ApiKeyValidation } from "@gwenmap/gwen-adapter";
import type { Logger } from "pino";
import type { ServerMetrics } from "../metrics/server-metrics.js";

export interface AuthGateOptions {
  /** Asks GWEN whether the API key works. */
  readonly validate: () => Promise<ApiKeyValidation>;
  readonly logger: Logger;
  readonly metrics: ServerMetrics;
  /** First wait before asking GWEN again (doubling up to `maxProbeMs`). */
  readonly probeMs: number;
  readonly maxProbeMs: number;
}

/**
 * Delivery stops while GWEN refuses the API key: sending more would only
 * collect refusals, and nothing may be dropped for it. The gate asks GWEN
 * again with a growing interval and opens when the key is accepted.
 */
export class AuthGate {
  readonly #options: AuthGateOptions;
  #reason: string | undefined;
  #waiters: (() => void)[] = [];
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(options: AuthGateOptions) {
    this.#options = options;
  }

  /** Why delivery is paused (GWEN's words), or undefined while it runs. */
  get pausedBecause(): string | undefined {
    return this.#reason;
  }

  /** Pauses delivery (once) and starts asking GWEN whether the key works again. */
  pause(reason: string): void {
    if (this.#reason !== undefined || this.#stopped) return;
    this.#reason = reason;
    this.#options.metrics.deliveryPaused.set(1);
    this.#options.logger.error(
      { reason },
      "GWEN refuses the API key: delivery is paused and nothing is dropped; set GWEN_API_KEY to a valid key (delivery resumes by itself once GWEN accepts it)",
    );
    this.#probe(this.#options.probeMs);
  }

  /** Resolves at once while open, else when GWEN accepts the key again or the gate stops. */
  whenOpen(): Promise<void> {
    if (this.#reason === undefined || this.#stopped) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#open();
  }

  #probe(delay: number): void {
    this.#timer = setTimeout(async () => {
      const validation = await this.#options.validate();
      if (this.#stopped) return;
      if (validation.ok) {
        this.#options.logger.info("GWEN accepts the API key again: delivery resumed");
        this.#open();
        return;
      }
      const { outcome } = validation;
      this.#options.logger.warn(
        { outcome: outcome.kind, reason: "message" in outcome ? outcome.message : undefined },
        "GWEN still refuses the API key: delivery stays paused",
      );
      this.#probe(Math.min(delay * 2, this.#options.maxProbeMs));
    }, delay);
  }

  #open(): void {
    this.#reason = undefined;
    this.#options.metrics.deliveryPaused.set(0);
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }
}
