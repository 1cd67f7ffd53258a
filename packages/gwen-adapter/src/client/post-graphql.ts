import type { Pool } from "undici";
import { classifyNetworkError, type NetworkContext } from "../outcome/classify-network-error.js";
import type { HttpAnswer } from "../outcome/http-answer.js";
import type { Outcome } from "../outcome/outcome.js";
import type { RateLimiter } from "./rate-limiter.js";

/** Everything one HTTP exchange with GWEN needs. */
export interface Transport {
  readonly pool: Pool;
  /** Path and query of the endpoint on its origin. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly context: Omit<NetworkContext, "durationMs">;
  readonly limiter?: RateLimiter;
}

/** GWEN's complete answer, or the `retry` outcome of a failure below HTTP. */
export type Exchange = { answer: HttpAnswer } | { outcome: Outcome };

/**
 * POSTs one GraphQL body and reads the whole answer, so the connection goes
 * back to the pool clean. Never throws: network failures become outcomes.
 */
export async function postGraphQL(
  transport: Transport,
  body: string,
  signal?: AbortSignal,
): Promise<Exchange> {
  let started = performance.now();
  try {
    await transport.limiter?.acquire(signal);
    started = performance.now();
    const response = await transport.pool.request({
      path: transport.path,
      method: "POST",
      headers: transport.headers,
      body,
      ...(signal ? { signal } : {}),
    });
    const text = await response.body.text();
    const durationMs = elapsedSince(started);
    return {
      answer: { status: response.statusCode, headers: response.headers, body: text, durationMs },
    };
  } catch (error) {
    return {
      outcome: classifyNetworkError(error, {
        ...transport.context,
        durationMs: elapsedSince(started),
      }),
    };
  }
}

function elapsedSince(started: number): number {
  return Math.round(performance.now() - started);
}
