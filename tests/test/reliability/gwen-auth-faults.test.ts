import { DEFAULT_EMULATOR_API_KEY } from "@gwenmap/gwen-adapter/emulator";
import { afterEach, describe, expect, it } from "vitest";
import { type FaultRun, startFaultRun } from "../../support/reliability/fault-run.js";
import { deadLetters } from "../../support/reliability/reliability-server.js";
import { recordResult } from "../../support/reliability/results.js";
import { distinctUsers, tally } from "../../support/reliability/tally.js";
import { eventually } from "../../support/server/spawn-server.js";

let run: FaultRun | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
});

async function health(url: string): Promise<{ delivery: string; pausedBecause?: string }> {
  return (await fetch(`${url}/healthz`)).json() as Promise<{ delivery: string }>;
}

describe("GWEN refusing the API key in the middle of a run", () => {
  it("pauses delivery without dropping anything, and resumes once the key is accepted again", async () => {
    run = await startFaultRun({});
    const { emulator, server } = run;
    await run.send(0x4001, 100);
    await eventually(() => (distinctUsers([emulator]) >= 100 ? true : undefined), "first 100");

    emulator.setApiKeys(["a-rotated-key"]);
    await run.send(0x4002, 100);
    const paused = await eventually(async () => {
      const answer = await health(server.url);
      return answer.delivery === "paused" ? answer : undefined;
    }, "delivery paused");
    expect(paused.pausedBecause).toContain("401");
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
    const refusedAtPause = emulator.stats().unauthorized ?? 0;
    // Requests in flight when it paused are answered within the first 1.5 s; over the next 1.5 s
    // a paused server retries nothing (its key checks are 5 s apart: one at most).
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const refusedOnceSettled = emulator.stats().unauthorized ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const refusedWhilePaused = emulator.stats().unauthorized ?? 0;
    expect(tally(0x4002, 100, [emulator]).delivered).toBe(0);
    expect(await deadLetters(server.url)).toEqual([]);

    emulator.setApiKeys([DEFAULT_EMULATOR_API_KEY]);
    await eventually(
      () => (distinctUsers([emulator]) >= 200 ? true : undefined),
      "the rest",
      40_000,
    );
    expect((await health(server.url)).delivery).toBe("running");
    const result = tally(0x4002, 100, [emulator]);
    recordResult({
      scenario: "API key refused mid-run, then accepted again",
      events: 200,
      delivered: result.delivered + 100,
      duplicates: result.duplicates + tally(0x4001, 100, [emulator]).duplicates,
      lost: result.lost,
      note: `delivery paused after ${refusedWhilePaused} refused requests; nothing dead-lettered`,
    });
    // The fault happened (GWEN refused), and each of the 100 events was refused at most once,
    // however many were in flight: a paused server sends only its key checks.
    expect(refusedAtPause).toBeGreaterThan(0);
    expect(refusedWhilePaused).toBeLessThanOrEqual(100 + 2);
    expect(refusedWhilePaused - refusedOnceSettled, "refused while paused").toBeLessThanOrEqual(1);
    expect([result.lost, result.duplicates]).toEqual([0, 0]);
    expect(await deadLetters(server.url)).toEqual([]);
  }, 60_000);
});
