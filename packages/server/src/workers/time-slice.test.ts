import { describe, expect, it } from "vitest";
import { TimeSlice } from "./time-slice.js";

/** Whether a callback queued for the event loop ran while `work` was awaited. */
async function loopTurnDuring(work: () => Promise<void>): Promise<boolean> {
  let ran = false;
  const queued = setImmediate(() => {
    ran = true;
  });
  await work();
  clearImmediate(queued);
  return ran;
}

describe("TimeSlice", () => {
  it("gives the event loop a turn once its slice is used up", async () => {
    const slice = new TimeSlice(0);
    expect(await loopTurnDuring(() => slice.pause())).toBe(true);
  });

  it("keeps going without a turn while the slice lasts", async () => {
    const slice = new TimeSlice(60_000);
    expect(await loopTurnDuring(() => slice.pause())).toBe(false);
  });
});
