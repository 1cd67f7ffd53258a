import { describe, expect, it } from "vitest";
import { FIRST_PAUSE_MS, LONGEST_PAUSE_MS, OutageBackoff } from "./outage-backoff.js";

const unanswered = { answered: false };
const answered = { answered: true };

describe("OutageBackoff", () => {
  it("keeps every slot while GWEN answers now and then", () => {
    const backoff = new OutageBackoff();
    expect(backoff.record(unanswered, 0)).toBeUndefined();
    expect(backoff.record(unanswered, 0)).toBeUndefined();
    expect(backoff.record(answered, 0)).toBeUndefined();
    expect(backoff.record(unanswered, 0)).toBeUndefined();
    expect(backoff.permits(16, 0)).toBe(16);
  });

  it("pauses after three unanswered requests in a row, then lets one probe through", () => {
    const backoff = new OutageBackoff();
    for (let request = 0; request < 2; request++) backoff.record(unanswered, 0);
    expect(backoff.record(unanswered, 100)).toEqual({ kind: "paused", pauseMs: FIRST_PAUSE_MS });
    expect(backoff.permits(16, 100)).toBe(0);
    expect(backoff.waitMs(600)).toBe(FIRST_PAUSE_MS - 500);
    // Requests that were already in flight report late: they neither extend the pause nor end it.
    expect(backoff.record(unanswered, 200)).toBeUndefined();
    expect(backoff.permits(16, 100 + FIRST_PAUSE_MS)).toBe(1);
    backoff.sent();
    expect(backoff.permits(16, 100 + FIRST_PAUSE_MS)).toBe(0);
  });

  it("doubles the pause for each probe GWEN leaves unanswered, up to the longest, and resumes on an answer", () => {
    const backoff = new OutageBackoff();
    for (let request = 0; request < 3; request++) backoff.record(unanswered, 0);
    const pauses: number[] = [];
    let now = 0;
    for (let probe = 0; probe < 8; probe++) {
      now += backoff.waitMs(now);
      expect(backoff.permits(4, now)).toBe(1);
      backoff.sent();
      const change = backoff.record(unanswered, now);
      if (change?.kind === "paused") pauses.push(change.pauseMs);
    }
    expect(pauses).toEqual([
      2_000,
      4_000,
      8_000,
      16_000,
      LONGEST_PAUSE_MS,
      LONGEST_PAUSE_MS,
      LONGEST_PAUSE_MS,
      LONGEST_PAUSE_MS,
    ]);
    now += backoff.waitMs(now);
    backoff.sent();
    expect(backoff.record(answered, now)).toEqual({ kind: "resumed" });
    expect(backoff.waitMs(now)).toBe(Number.POSITIVE_INFINITY);
    expect(backoff.permits(4, now)).toBe(4);
    // A new outage starts again from the first pause.
    for (let request = 0; request < 3; request++) backoff.record(unanswered, now);
    expect(backoff.waitMs(now)).toBe(FIRST_PAUSE_MS);
  });

  it("waits at least GWEN's Retry-After, within the longest pause", () => {
    const backoff = new OutageBackoff();
    backoff.record(unanswered, 0);
    backoff.record(unanswered, 0);
    expect(backoff.record({ answered: false, retryAfterMs: 5_000 }, 0)).toEqual({
      kind: "paused",
      pauseMs: 5_000,
    });
    expect(backoff.permits(1, 4_999)).toBe(0);
    expect(backoff.permits(1, 5_000)).toBe(1);
    const again = new OutageBackoff();
    for (let request = 0; request < 3; request++)
      again.record({ answered: false, retryAfterMs: 3_600_000 }, 0);
    expect(again.waitMs(0)).toBe(LONGEST_PAUSE_MS);
  });
});
