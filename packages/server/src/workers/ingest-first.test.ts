import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { IngestFirst } from "./ingest-first.js";

const SATURATED = () => 0.9;
const TIME_OVER = () => 0.2;

/** Stores a request every 10 ms until stopped, as a burst would. */
function burst(priority: IngestFirst): () => void {
  priority.arrived();
  const timer = setInterval(() => priority.arrived(), 10);
  return () => clearInterval(timer);
}

describe("IngestFirst", () => {
  it("does not hold mapping back when no request has arrived", async () => {
    const priority = new IngestFirst(0.25);
    await expect(priority.rest(60_000)).resolves.toBeUndefined();
  });

  it("lets mapping go on once requests stop arriving, however long its rest was to be", async () => {
    const priority = new IngestFirst(0.25, SATURATED);
    priority.arrived();
    // At a quarter share a round of 60 s would rest 180 s; the test's timeout is 30 s.
    await expect(priority.rest(60_000)).resolves.toBeUndefined();
  });

  it("is quiet before any request and not right after one (mapping then overlaps nothing with ingestion)", () => {
    const priority = new IngestFirst(0.25);
    expect(priority.quiet()).toBe(true);
    priority.arrived();
    expect(priority.quiet()).toBe(false);
  });

  it("holds mapping back to its share while requests saturate the event loop", async () => {
    const priority = new IngestFirst(0.1, SATURATED);
    const stop = burst(priority);
    try {
      let rested = false;
      // A round of 1 s at a tenth share rests 9 s; 300 ms in, it must still be resting.
      const resting = priority.rest(1_000).then(() => {
        rested = true;
      });
      await sleep(300);
      expect(rested).toBe(false);
      stop();
      await resting;
    } finally {
      stop();
    }
  });

  it("does not hold mapping back while requests leave the event loop time over", async () => {
    const priority = new IngestFirst(0.1, TIME_OVER);
    const stop = burst(priority);
    try {
      // Resting would take 9 minutes at this share; it goes on at once instead.
      await expect(priority.rest(60_000)).resolves.toBeUndefined();
    } finally {
      stop();
    }
  });
});
