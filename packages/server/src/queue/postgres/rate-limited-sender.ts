import type { GwenClient, Outcome } from "@gwenmap/gwen-adapter";
import type { GlobalRateLimiter } from "./global-rate-limiter.js";

/** What the delivery worker needs of the GWEN client. */
export type Sender = Pick<GwenClient, "send" | "sendBatch">;

/**
 * Makes every send wait for a token of the limiter that all instances share.
 * Sending never throws, so neither does this: when the bucket cannot be read
 * (database unreachable) or the wait is aborted (shutdown), the delivery is
 * answered `retry` without being sent, and the worker schedules it again.
 */
export function limitSends(client: Sender, limiter: GlobalRateLimiter): Sender {
  return {
    async send(action, payload, options = {}): Promise<Outcome> {
      const refused = await waitForToken(limiter, options.signal);
      return refused ?? client.send(action, payload, options);
    },
    // One request, one token: the limit counts requests to GWEN, however many deliveries each carries.
    async sendBatch(items, options = {}): Promise<Outcome[]> {
      const refused = await waitForToken(limiter, options.signal);
      return refused ? items.map(() => refused) : client.sendBatch(items, options);
    },
  };
}

/** Waits for a token; answers the `retry` outcome to give when none can be had. */
async function waitForToken(
  limiter: GlobalRateLimiter,
  signal: AbortSignal | undefined,
): Promise<Outcome | undefined> {
  try {
    await limiter.acquire(signal);
    return undefined;
  } catch (error) {
    const why = signal?.aborted
      ? "stopped while waiting for the global rate limit"
      : `the global rate limit could not be read from PostgreSQL (${(error as Error).message})`;
    return { kind: "retry", message: `not sent: ${why}`, durationMs: 0 };
  }
}
