import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { IngestFirst, type IngestSignals } from "./ingest-first.js";

/**
 * An event loop as busy as `utilization` and a clock that moves only when
 * the test moves it, so that a slow machine cannot end a rest early.
 */
function signals(utilization: number): IngestSignals & { advance(ms: number): void } {
  let now = 0;
  return {
    utilization: () => utilization,
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
  };
}

describe("IngestFirst", () => {
  it("does not hold mapping back when no request has arrived", async () => {
    const priority = new IngestFirst(0.25);
    await expect(priority.rest(60_000)).resolves.toBeUndefined();
  });

  it("lets mapping go on once requests stop arriving, however long its rest was to be", async () => {
    const clock = signals(0.9);
    const priority = new IngestFirst(0.25, clock);
    priority.arrived();
    clock.advance(100);
    // At a quarter share a round of 60 s would rest 180 s; the last request was 100 ms ago.
    await expect(priority.rest(60_000)).resolves.toBeUndefined();
  });

  it("is quiet before any request and not right after one (mapping then overlaps nothing with ingestion)", () => {
    const priority = new IngestFirst(0.25);
    expect(priority.quiet()).toBe(true);
    priority.arrived();
    expect(priority.quiet()).toBe(false);
  });

  it("holds mapping back to its share while requests saturate the event loop", async () => {
    const clock = signals(0.9);
    const priority = new IngestFirst(0.1, clock);
    priority.arrived();
    let rested = false;
    // A round of 1 s at a tenth share rests 9 s of the clock, which does not move.
    const resting = priority.rest(1_000).then(() => {
      rested = true;
    });
    await sleep(300);
    expect(rested).toBe(false);
    // Requests stop arriving: the rest ends at its next look.
    clock.advance(1_000);
    await resting;
    expect(rested).toBe(true);
  });

  it("does not hold mapping back while requests leave the event loop time over", async () => {
    const priority = new IngestFirst(0.1, signals(0.2));
    priority.arrived();
    // Resting would take 9 minutes at this share, and the clock does not move; it goes on at once.
    await expect(priority.rest(60_000)).resolves.toBeUndefined();
  });
});
