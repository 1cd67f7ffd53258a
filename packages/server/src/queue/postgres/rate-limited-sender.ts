import type { GwenClient, Outcome } from "@gwenmap/gwen-adapter";
import type { GlobalRateLimiter } from "./global-rate-limiter.js";

/** What the delivery worker needs of the GWEN client. */
export type Sender = Pick<GwenClient, "sendBatch">;

/**
 * Makes every request wait for a token of the limiter that all instances
 * share: one token per request, however many deliveries it carries (the limit
 * counts requests to GWEN). Sending never throws, so neither does this: when
 * the bucket cannot be read (database unreachable) or the wait is aborted
 * (shutdown), every delivery is answered `retry` without being sent, and the
 * worker schedules them again.
 */
export function limitSends(client: Sender, limiter: GlobalRateLimiter): Sender {
  return {
    async sendBatch(items, options = {}): Promise<Outcome[]> {
      try {
        await limiter.acquire(options.signal);
      } catch (error) {
        const why = options.signal?.aborted
          ? "stopped while waiting for the global rate limit"
          : `the global rate limit could not be read from PostgreSQL (${(error as Error).message})`;
        const refused: Outcome = { kind: "retry", message: `not sent: ${why}`, durationMs: 0 };
        return items.map(() => refused);
      }
      return client.sendBatch(items, options);
    },
  };
}
