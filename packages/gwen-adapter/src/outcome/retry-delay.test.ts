import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Outcome } from "./outcome.js";
import { retryDelay } from "./retry-delay.js";

const retry: Outcome = { kind: "retry", status: 503, message: "busy", durationMs: 1 };

describe("retryDelay", () => {
  it("grows exponentially within the upper half of each step (equal jitter)", () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 10_000 };
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), (attempt) => {
        const ceiling = 100 * 2 ** (attempt - 1);
        const delay = retryDelay(retry, attempt, policy);
        return delay >= ceiling / 2 && delay <= ceiling;
      }),
    );
  });

  it("never exceeds maxDelayMs, however many attempts", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), (attempt) => {
        const delay = retryDelay(retry, attempt, { baseDelayMs: 1000, maxDelayMs: 30_000 });
        return Number.isFinite(delay) && delay <= 30_000 && delay >= 500;
      }),
    );
  });

  it("never waits less than GWEN's Retry-After, even beyond maxDelayMs", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 600_000 }),
        fc.integer({ min: 1, max: 20 }),
        (asked, attempt) => {
          const outcome: Outcome = { ...retry, retryAfterMs: asked } as Outcome;
          return retryDelay(outcome, attempt, { baseDelayMs: 10, maxDelayMs: 1000 }) >= asked;
        },
      ),
    );
  });

  it("treats attempt numbers below 1 as the first retry", () => {
    const delay = retryDelay(retry, 0, { baseDelayMs: 100, maxDelayMs: 1000 });
    expect(delay).toBeGreaterThanOrEqual(50);
    expect(delay).toBeLessThanOrEqual(100);
  });

  it("spreads retries of workers that failed together", () => {
    const delays = new Set(Array.from({ length: 50 }, () => retryDelay(retry, 5)));
    expect(delays.size).toBeGreaterThan(1);
  });
});
