import { GwenClient } from "@gwenmap/gwen-adapter";
import {
  DEFAULT_EMULATOR_API_KEY,
  type Emulator,
  startEmulator,
} from "@gwenmap/gwen-adapter/emulator";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BatchSender } from "./batch-sender.js";
import { Semaphore } from "./semaphore.js";

let emulator: Emulator;
let client: GwenClient;

beforeAll(async () => {
  emulator = await startEmulator();
});

afterAll(async () => {
  await emulator.close();
});

beforeEach(() => {
  emulator.clear();
  emulator.resetStats();
  emulator.setFaults({});
  client = new GwenClient({ apiKey: DEFAULT_EMULATOR_API_KEY, endpoint: emulator.url });
});

afterEach(async () => {
  await client.destroy();
});

function item(index: number) {
  const userId = `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`;
  return { action: "sendEvent" as const, payload: { userId, type: "Level Completed", data: {} } };
}

/** Lets the sends made so far take their slots and leave. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function sender(concurrency: number, batchSize: number) {
  const slots = new Semaphore(concurrency);
  const stats = { requests: 0 };
  const batches = new BatchSender({
    client,
    batchSize,
    slots,
    signal: new AbortController().signal,
    stats,
  });
  return { batches, slots, stats };
}

describe("BatchSender", () => {
  it("sends a lone delivery at once, and gathers those that wait for a slot, up to the batch size", async () => {
    emulator.setFaults({ latencyMs: 150 });
    const { batches, stats } = sender(1, 20);
    const first = batches.send(item(0));
    await nextTurn();
    // The first request is in flight: these wait for its slot, then leave together.
    const waiting = Array.from({ length: 25 }, (_, index) => batches.send(item(index + 1)));
    const outcomes = await Promise.all([first, ...waiting]);
    expect(outcomes.map((outcome) => outcome?.kind)).toEqual(Array(26).fill("ok"));
    expect(stats.requests).toBe(3);
    expect(emulator.stats().requests).toBe(3);
    const delivered = emulator.requests().map((request) => request.variables.userId);
    expect(delivered).toEqual(Array.from({ length: 26 }, (_, index) => item(index).payload.userId));
    // The first request carried one delivery (not aliased), the second twenty (e0 to e19).
    expect(emulator.requests()[0]?.alias).toBeUndefined();
    expect(emulator.requests()[20]?.alias).toBe("e19");
  });

  it("answers each delivery of a batch with its own outcome", async () => {
    emulator.setFaults({ rejectUserIds: [item(2).payload.userId] });
    const { batches, stats } = sender(1, 10);
    const outcomes = await Promise.all([0, 1, 2, 3].map((index) => batches.send(item(index))));
    expect(outcomes.map((outcome) => outcome?.kind)).toEqual(["ok", "ok", "permanent", "ok"]);
    expect(stats.requests).toBe(1);
    expect(emulator.requests().map((request) => request.variables.userId)).toEqual(
      [0, 1, 3].map((index) => item(index).payload.userId),
    );
  });

  it("settles what still waits with no outcome once the slots close, and sends none of it", async () => {
    emulator.setFaults({ latencyMs: 100 });
    const { batches, slots, stats } = sender(1, 5);
    const first = batches.send(item(0));
    await nextTurn();
    const waiting = [1, 2, 3].map((index) => batches.send(item(index)));
    slots.close();
    expect(await Promise.all(waiting)).toEqual([undefined, undefined, undefined]);
    expect((await first)?.kind).toBe("ok");
    expect(await batches.send(item(4))).toBeUndefined();
    expect(stats.requests).toBe(1);
    expect(emulator.requests()).toHaveLength(1);
  });
});
