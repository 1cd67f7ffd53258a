import { describe, expect, it } from "vitest";
import { validateFaults } from "./faults.js";

describe("validateFaults", () => {
  it("accepts every documented fault", () => {
    const faults = {
      latencyMs: 5,
      dropRate: 0,
      stallRate: 0.1,
      maxRps: 100,
      rateLimitRate: 1,
      retryAfterSeconds: 2,
      retryAfterFormat: "date",
      errorRate: 0.5,
      failNext: 3,
      errorStatus: 501,
      graphqlErrorRate: 0.2,
      rejectUserIds: ["a"],
      resetRate: 0.1,
      slowBodyRate: 0.1,
      slowBodyIntervalMs: 50,
    };
    expect(validateFaults(faults)).toEqual({ ok: true, faults });
  });

  it("lists every problem with its field", () => {
    const result = validateFaults({ errorRate: 2, dropRate: "x", errorStatus: 200, typo: 1 });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual([
      "errorRate: must be a number from 0 to 1, not 2",
      'dropRate: must be a number from 0 to 1, not "x"',
      "errorStatus: must be an HTTP status from 400 to 599, not 200",
      expect.stringMatching(/^typo: unknown fault \(known: latencyMs, /),
    ]);
  });

  it("refuses what is not an object", () => {
    expect(validateFaults([])).toEqual({ ok: false, errors: ["faults must be a JSON object"] });
  });
});
