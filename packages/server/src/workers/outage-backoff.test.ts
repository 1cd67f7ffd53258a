import { describe, expect, it } from "vitest";
import { FIRST_PAUSE_MS, LONGEST_PAUSE_MS, OutageBackoff } from "./outage-backoff.js";

const unanswered = { answered: false };
const answered = { answered: true };
/** Requests GWEN leaves unanswered from the start before delivery pauses. */
const TO_PAUSE = 10;

/** Records `pattern` (`x` unanswered, `.` answered) `times` over; answers how often delivery paused. */
function pausesFor(backoff: OutageBackoff, pattern: string, times: number): number {
  let pauses = 0;
  for (let round = 0; round < times; round++)
    for (const request of pattern)
      if (backoff.record(request === "x" ? unanswered : answered, 0)?.kind === "paused")
        pauses += 1;
  return pauses;
}

describe("OutageBackoff", () => {
  it("keeps every slot while GWEN answers now and then", () => {
    const backoff = new OutageBackoff();
    expect(backoff.record(unanswered, 0)).toBeUndefined();
    expect(backoff.record(unanswered, 0)).toBeUndefined();
    expect(backoff.record(answered, 0)).toBeUndefined();
    expect(backoff.record(unanswered, 0)).toBeUndefined();
    expect(backoff.permits(16, 0)).toBe(16);
  });

  it("holds every request until a 429's Retry-After has passed, without pausing delivery", () => {
    const backoff = new OutageBackoff();
    expect(
      backoff.record({ answered: false, retryAfterMs: 1_000, rateLimitedMs: 1_000 }, 100),
    ).toBe(undefined);
    expect(backoff.permits(16, 100)).toBe(0);
    expect(backoff.waitMs(600)).toBe(500);
    // Answers to requests already in flight hold no longer than their own Retry-After.
    expect(backoff.record({ answered: false, rateLimitedMs: 1_000 }, 300)).toBeUndefined();
    expect(backoff.permits(16, 1_299)).toBe(0);
    expect(backoff.permits(16, 1_300)).toBe(16);
    expect(backoff.waitMs(1_300)).toBe(Number.POSITIVE_INFINITY);
    // A 503's Retry-After is the outage rule's (a share of failures is degraded, not down), and
    // an hour asked for is held as the longest pause.
    const unavailable = new OutageBackoff();
    expect(unavailable.record({ answered: false, retryAfterMs: 5_000 }, 0)).toBeUndefined();
    expect(unavailable.permits(16, 1)).toBe(16);
    unavailable.record({ answered: false, rateLimitedMs: 3_600_000 }, 0);
    expect(unavailable.waitMs(0)).toBe(LONGEST_PAUSE_MS);
  });

  it("keeps every slot while GWEN fails a share of its requests, even in runs", () => {
    // 40 to 50% of requests unanswered, in runs of up to four: degraded, not down.
    expect(pausesFor(new OutageBackoff(), "xxxx......", 100)).toBe(0);
    expect(pausesFor(new OutageBackoff(), "xxx.x.x...xx..", 100)).toBe(0);
    expect(pausesFor(new OutageBackoff(), "x.", 500)).toBe(0);
  });

  it("pauses once GWEN leaves most of the latest requests unanswered", () => {
    // Healthy, then down: the answered requests before the outage age out of the window.
    const backoff = new OutageBackoff();
    expect(pausesFor(backoff, ".", 50)).toBe(0);
    for (let request = 0; request < 15; request++)
      expect(backoff.record(unanswered, 0)).toBeUndefined();
    expect(backoff.record(unanswered, 0)).toEqual({ kind: "paused", pauseMs: FIRST_PAUSE_MS });
    // Nine in ten unanswered is down for practical purposes.
    const mostlyDown = new OutageBackoff();
    expect(pausesFor(mostlyDown, "xxxx.xxxx", 1)).toBe(0);
    expect(mostlyDown.record(unanswered, 0)).toEqual({ kind: "paused", pauseMs: FIRST_PAUSE_MS });
  });

  it("pauses after ten unanswered requests from the start, then lets one probe through", () => {
    const backoff = new OutageBackoff();
    for (let request = 0; request < TO_PAUSE - 1; request++)
      expect(backoff.record(unanswered, 0)).toBeUndefined();
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
    for (let request = 0; request < TO_PAUSE; request++) backoff.record(unanswered, 0);
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
    // A new outage is judged afresh and starts again from the first pause.
    for (let request = 0; request < TO_PAUSE - 1; request++) backoff.record(unanswered, now);
    expect(backoff.permits(4, now)).toBe(4);
    backoff.record(unanswered, now);
    expect(backoff.waitMs(now)).toBe(FIRST_PAUSE_MS);
  });

  it("waits at least GWEN's Retry-After, within the longest pause", () => {
    const backoff = new OutageBackoff();
    for (let request = 0; request < TO_PAUSE - 1; request++) backoff.record(unanswered, 0);
    expect(backoff.record({ answered: false, retryAfterMs: 5_000 }, 0)).toEqual({
      kind: "paused",
      pauseMs: 5_000,
    });
    expect(backoff.permits(1, 4_999)).toBe(0);
    expect(backoff.permits(1, 5_000)).toBe(1);
    const again = new OutageBackoff();
    for (let request = 0; request < TO_PAUSE; request++)
      again.record({ answered: false, retryAfterMs: 3_600_000 }, 0);
    expect(again.waitMs(0)).toBe(LONGEST_PAUSE_MS);
  });
});
