import { describe, expect, it } from "vitest";
import { LOWEST_ROUND_TRIP_FOR_MS, PipeEstimate } from "./pipe-estimate.js";

describe("PipeEstimate", () => {
  it("is the best rate of the latest rounds times the lowest round trip (Little's law)", () => {
    const pipe = new PipeEstimate();
    expect(pipe.inFlight).toBeUndefined();
    pipe.add(100, 20, 0); // 5 per ms at the lowest round trip
    pipe.add(400, 40, 40); // 10 per ms: queueing doubled the round trip
    pipe.add(800, 80, 120); // still 10 per ms: more in flight only queued
    expect(pipe.inFlight).toBe(200);
  });

  it("keeps the lowest round trip until it is too old, then takes the one measured again", () => {
    const pipe = new PipeEstimate();
    pipe.add(100, 20, 0);
    pipe.add(400, 40, 1_000);
    expect(pipe.stale(LOWEST_ROUND_TRIP_FOR_MS)).toBe(false);
    expect(pipe.stale(LOWEST_ROUND_TRIP_FOR_MS + 1)).toBe(true);
    // GWEN moved further away: with half as many in flight the round trip is 30 ms now.
    pipe.measuredLowest(30, LOWEST_ROUND_TRIP_FOR_MS + 1);
    expect(pipe.stale(LOWEST_ROUND_TRIP_FOR_MS + 2)).toBe(false);
    expect(pipe.inFlight).toBe(300);
  });

  it("forgets the rates of all but the latest 16 rounds", () => {
    const pipe = new PipeEstimate();
    pipe.add(1_000, 10, 0); // 100 per ms, long ago
    for (let round = 1; round <= 16; round++) pipe.add(100, 10, round * 10);
    expect(pipe.inFlight).toBe(100);
  });
});
