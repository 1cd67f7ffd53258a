import { afterEach, describe, expect, it } from "vitest";
import { type FaultRun, startFaultRun } from "../../support/reliability/fault-run.js";
import { metricValue } from "../../support/reliability/metrics.js";
import { deadLetters } from "../../support/reliability/reliability-server.js";
import { recordResult } from "../../support/reliability/results.js";
import { distinctUsers, tally } from "../../support/reliability/tally.js";
import { eventually } from "../../support/server/spawn-server.js";

let current: FaultRun | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

async function begin(...args: Parameters<typeof startFaultRun>): Promise<FaultRun> {
  current = await startFaultRun(...args);
  return current;
}

async function allDelivered(run: FaultRun, events: number): Promise<void> {
  await eventually(
    () => (distinctUsers([run.emulator]) >= events ? true : undefined),
    `${events} events at the emulator`,
    40_000,
  );
}

describe("GWEN's connection failing under the requests", () => {
  it("retries resets and dropped connections: a duplicate only for each answer lost after GWEN executed", async () => {
    const run = await begin({ resetRate: 0.3, dropRate: 0.1 });
    await run.send(0x3001, 200);
    await allDelivered(run, 200);
    // A reset answer is retried: wait until those retries are recorded too.
    await eventually(
      async () => ((await pendingDeliveries(run.server.url)) === 0 ? true : undefined),
      "no delivery pending",
    );
    const stats = run.emulator.stats();
    const result = tally(0x3001, 200, [run.emulator]);
    recordResult({
      scenario: "Connection resets mid-answer (30%) and dropped connections (10%)",
      ...counts(result),
      note: `${stats.reset} resets after GWEN executed (each one duplicate), ${stats.dropped} drops`,
    });
    expect(stats.reset).toBeGreaterThan(0);
    expect(stats.dropped).toBeGreaterThan(0);
    expect(result.lost).toBe(0);
    // A reset comes after GWEN executed the operation: its retry is the only duplicate allowed.
    expect(result.duplicates).toBe(stats.reset);
    expect(await deadLetters(run.server.url)).toEqual([]);
    // As long as the wait for every delivery allows: with 40% of requests failing, delivery backs off
    // now and then (three failures in a row), and a probe that fails doubles the pause.
  }, 60_000);

  it("gives up on stalled answers after the headers timeout and sends them again", async () => {
    const run = await begin({ stallRate: 0.1 });
    await run.send(0x3002, 60);
    await eventually(() => ((run.emulator.stats().stalled ?? 0) > 0 ? true : undefined), "a stall");
    // The stalled requests still wait for the client's timeout; their retries find GWEN answering.
    run.emulator.setFaults({});
    await allDelivered(run, 60);
    const stats = run.emulator.stats();
    const result = tally(0x3002, 60, [run.emulator]);
    recordResult({
      scenario: "Stalled answers (10%, no headers until the client's timeout)",
      ...counts(result),
      note: `${stats.stalled} stalled requests sent again`,
    });
    expect(stats.stalled, "stalled answers").toBeGreaterThan(0);
    expect([result.lost, result.duplicates]).toEqual([0, 0]);
    expect(await deadLetters(run.server.url)).toEqual([]);
  }, 60_000);

  it("waits for an answer that trickles one byte at a time, and records it once", async () => {
    const run = await begin({ slowBodyRate: 0.3, slowBodyIntervalMs: 15 });
    await run.send(0x3003, 60);
    await allDelivered(run, 60);
    // Each trickling answer is complete only when its last byte has arrived.
    await eventually(
      async () => ((await pendingDeliveries(run.server.url)) === 0 ? true : undefined),
      "no delivery pending",
    );
    const stats = run.emulator.stats();
    const result = tally(0x3003, 60, [run.emulator]);
    recordResult({
      scenario: "Answers trickling one byte per 15 ms (30%)",
      ...counts(result),
      note: `${stats.slowBody} slow answers read to the end`,
    });
    expect(stats.slowBody).toBeGreaterThan(0);
    expect([result.lost, result.duplicates]).toEqual([0, 0]);
    expect(await deadLetters(run.server.url)).toEqual([]);
  });
});

function pendingDeliveries(url: string): Promise<number> {
  return metricValue(url, 'gwenmap_queue_depth{stage="pending"}');
}

function counts(result: ReturnType<typeof tally>) {
  const { events, delivered, duplicates, lost } = result;
  return { events, delivered, duplicates, lost };
}
