import { describe, expect, it } from "vitest";
import type { Outcome } from "../outcome/outcome.js";
import { FixedConcurrency } from "./fixed-concurrency.js";

const tooMany: Outcome = { kind: "retry", status: 429, message: "429", durationMs: 1 };

describe("FixedConcurrency", () => {
  it("holds its number whatever GWEN answers, and counts what is in flight", () => {
    const fixed = new FixedConcurrency(3);
    const started = [fixed.start(), fixed.start()];
    expect(fixed.available()).toBe(1);
    for (const startedAt of started) fixed.finish(startedAt, [tooMany]);
    fixed.cancel(fixed.start());
    expect(fixed).toMatchObject({ mode: "fixed", limit: 3, ceiling: 3, inFlight: 0 });
    expect(fixed.available()).toBe(3);
  });

  it("refuses a number that is not a whole number of at least 1", () => {
    expect(() => new FixedConcurrency(0)).toThrow(
      "concurrency must be a whole number of at least 1, not 0.",
    );
  });
});
