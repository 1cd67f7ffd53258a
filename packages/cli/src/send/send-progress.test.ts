import { describe, expect, it } from "vitest";
import { defaultFailuresPath } from "./failures-file.js";
import { EtaEstimate, formatDuration, progressLine } from "./send-progress.js";

const stats = {
  events: 3000,
  sent: 2990,
  retried: 40,
  rejected: 0,
  failed: 0,
  pending: 10,
  waiting: 7,
};

describe("progressLine", () => {
  it("says, once the input is read, how many deliveries are pending and waiting to retry", () => {
    expect(progressLine({ read: 1, readAll: true, dryRun: false, etaMs: 4200, stats })).toBe(
      "████████████████████ 100% read | 10 deliveries pending, 7 waiting to retry | ETA 5 s | 3,000 events | 2,990 sent, 40 retried, 0 rejected, 0 failed",
    );
    expect(
      progressLine({ read: 0.5, readAll: false, dryRun: false, etaMs: undefined, stats }),
    ).toMatch(/^█{10}░{10} 50% read \| ETA unknown \| 3,000 events/);
  });
});

describe("formatDuration", () => {
  it("writes seconds, minutes and hours", () => {
    expect([0, 999, 59_000, 61_000, 3_725_000].map(formatDuration)).toEqual([
      "0 s",
      "1 s",
      "59 s",
      "1 min 01 s",
      "1 h 02 min",
    ]);
    expect(formatDuration(undefined)).toBe("unknown");
  });
});

describe("EtaEstimate", () => {
  it("after reading, divides what is pending by the recent rate, and waits for the last retry", () => {
    const eta = new EtaEstimate();
    const read = { read: 1, readAll: true, elapsedMs: 10_000 };
    eta.estimate(0, read, { sent: 0, failed: 0, pending: 100, retryUntil: 0 });
    // 50 settled in 1 s: 50 left take 1 s, unless a retry is due later
    expect(eta.estimate(1000, read, { sent: 50, failed: 0, pending: 50, retryUntil: 0 })).toBe(
      1000,
    );
    expect(eta.estimate(1000, read, { sent: 50, failed: 0, pending: 50, retryUntil: 4000 })).toBe(
      3000,
    );
    expect(eta.estimate(2000, read, { sent: 100, failed: 0, pending: 0, retryUntil: 0 })).toBe(0);
  });

  it("says nothing rather than something wrong before anything settled or was read", () => {
    const eta = new EtaEstimate();
    const reading = { read: 0, readAll: false, elapsedMs: 100 };
    expect(eta.estimate(0, reading, { sent: 0, failed: 0, pending: 0, retryUntil: 0 })).toBe(
      undefined,
    );
  });
});

describe("defaultFailuresPath", () => {
  it("puts failures beside the input, and counts up when the input is a failures file", () => {
    expect(defaultFailuresPath("data/events.ndjson")).toBe("data/events.failures.ndjson");
    expect(defaultFailuresPath("data/events.failures.ndjson")).toBe(
      "data/events.failures-2.ndjson",
    );
    expect(defaultFailuresPath("events.failures-2.ndjson")).toBe("events.failures-3.ndjson");
    expect(defaultFailuresPath("events.jsonl")).toBe("events.failures.ndjson");
  });
});
