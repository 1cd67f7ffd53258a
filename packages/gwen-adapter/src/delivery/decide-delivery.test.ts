import { describe, expect, it } from "vitest";
import type { Outcome } from "../outcome/outcome.js";
import { type DeliveryProgress, decideDelivery, retryWindowEnd } from "./decide-delivery.js";

const NOW = 1_000_000;
const policy = { retryWindowMs: 300_000, baseDelayMs: 1_000, maxDelayMs: 10_000 };
const third: DeliveryProgress = { attempts: 3, windowStart: NOW - 5_000, now: NOW };
const unavailable = (retryAfterMs?: number): Outcome => ({
  kind: "retry",
  status: 503,
  message: "GWEN answered HTTP 503",
  durationMs: 3,
  ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
});

describe("decideDelivery", () => {
  it("is done with a delivered delivery", () => {
    const ok: Outcome = { kind: "ok", status: 200, durationMs: 2 };
    expect(decideDelivery(ok, third, policy)).toEqual({ next: "delivered" });
  });

  it("schedules the next attempt after a growing, jittered backoff, counting the attempts made", () => {
    const step = decideDelivery(unavailable(), third, policy);
    expect(step).toMatchObject({
      next: "retry",
      failure: { code: "E_DELIVERY_RETRY", outcome: "retry", status: 503 },
    });
    const wait = step.next === "retry" ? step.at - NOW : -1;
    // After the third attempt the backoff is base * 2^2 = 4 s, jittered into its upper half.
    expect(wait).toBeGreaterThanOrEqual(2_000);
    expect(wait).toBeLessThanOrEqual(4_000);
  });

  it("waits at least as long as GWEN's Retry-After, beyond the largest backoff", () => {
    expect(decideDelivery(unavailable(30_000), third, policy)).toMatchObject({
      next: "retry",
      at: NOW + 30_000,
    });
  });

  it("gives up when the next attempt would fall after the window, saying when and after how many", () => {
    const late = { ...third, windowStart: NOW - 299_000 };
    expect(decideDelivery(unavailable(5_000), late, policy)).toEqual({
      next: "dead",
      failure: {
        code: "E_DELIVERY_RETRY_WINDOW",
        message:
          "still failing when the retry window (5 min) ran out after 3 attempts: GWEN answered HTTP 503",
        outcome: "retry",
        status: 503,
      },
    });
  });

  it("names a window that is no whole number of seconds in milliseconds", () => {
    const step = decideDelivery(
      unavailable(),
      { attempts: 1, windowStart: NOW, now: NOW },
      {
        retryWindowMs: 0,
      },
    );
    expect(step.next === "dead" && step.failure.message).toMatch(/retry window \(0 ms\)/);
  });

  it("gives up on a permanent failure at once, keeping GWEN's words", () => {
    const refused: Outcome = { kind: "permanent", status: 400, message: "bad", durationMs: 1 };
    expect(decideDelivery(refused, third, policy)).toEqual({
      next: "dead",
      failure: { code: "E_DELIVERY_PERMANENT", message: "bad", outcome: "permanent", status: 400 },
    });
  });

  it("pauses when GWEN refuses the API key", () => {
    const auth: Outcome = { kind: "auth", message: "key refused", durationMs: 1 };
    expect(decideDelivery(auth, third, policy)).toEqual({
      next: "pause",
      failure: { code: "E_DELIVERY_AUTH", message: "key refused", outcome: "auth" },
    });
  });

  it("ends the window its length after it started", () => {
    expect(retryWindowEnd(NOW, policy)).toBe(NOW + 300_000);
  });
});
