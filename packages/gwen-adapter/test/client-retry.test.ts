import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_EMULATOR_API_KEY, type Emulator, startEmulator } from "../src/emulator/index.js";
import { GwenClient } from "../src/index.js";

const event = { userId: "9f0c3b1e-6a4d-4e2b-8c7f-2d5e1a9b3c4d", type: "track" };

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterEach(() => {
  emulator.setFaults({});
  emulator.resetStats();
  emulator.clear();
});
afterAll(() => emulator.close());

function clientWith(retry?: { attempts: number; baseDelayMs?: number; maxDelayMs?: number }) {
  return new GwenClient({
    apiKey: DEFAULT_EMULATOR_API_KEY,
    endpoint: emulator.url,
    ...(retry ? { retry } : {}),
  });
}

describe("in-process retry", () => {
  it("is off by default: one request, the retry outcome handed back", async () => {
    const client = clientWith();
    emulator.setFaults({ failNext: 1 });
    expect(await client.send("sendEvent", event)).toMatchObject({ kind: "retry", status: 503 });
    await client.close();
    expect(emulator.stats().requests).toBe(1);
  });

  it("rides out a short storm of 503s when asked to", async () => {
    const client = clientWith({ attempts: 3, baseDelayMs: 1, maxDelayMs: 5 });
    emulator.setFaults({ failNext: 2 });
    expect(await client.send("sendEvent", event)).toMatchObject({ kind: "ok" });
    await client.close();
    expect(emulator.stats()).toMatchObject({ requests: 3, httpErrors: 2, ok: 1 });
    expect(emulator.requests()).toHaveLength(1);
  });

  it("stops after the allowed attempts", async () => {
    const client = clientWith({ attempts: 2, baseDelayMs: 1, maxDelayMs: 5 });
    emulator.setFaults({ errorRate: 1 });
    expect(await client.send("sendEvent", event)).toMatchObject({ kind: "retry", status: 503 });
    await client.close();
    expect(emulator.stats().requests).toBe(3);
  });

  it("hands a long Retry-After back to the caller instead of waiting in-process", async () => {
    const client = clientWith({ attempts: 5, baseDelayMs: 1, maxDelayMs: 100 });
    emulator.setFaults({ rateLimitRate: 1, retryAfterSeconds: 30 });
    expect(await client.send("sendEvent", event)).toMatchObject({
      kind: "retry",
      retryAfterMs: 30_000,
    });
    await client.close();
    expect(emulator.stats().requests).toBe(1);
  });

  it("never retries permanent or auth outcomes", async () => {
    const client = clientWith({ attempts: 3, baseDelayMs: 1, maxDelayMs: 5 });
    emulator.setFaults({ graphqlErrorRate: 1 });
    expect(await client.send("sendEvent", event)).toMatchObject({ kind: "permanent" });
    emulator.setFaults({ errorRate: 1, errorStatus: 401 });
    expect(await client.send("sendEvent", event)).toMatchObject({ kind: "auth" });
    await client.close();
    expect(emulator.stats().requests).toBe(2);
  });

  it("retries a whole batch that failed in transport", async () => {
    const client = clientWith({ attempts: 2, baseDelayMs: 1, maxDelayMs: 5 });
    emulator.setFaults({ failNext: 1 });
    const outcomes = await client.sendBatch([
      { action: "sendEvent", payload: event },
      { action: "sendEvent", payload: { ...event, type: "page" } },
    ]);
    await client.close();
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(["ok", "ok"]);
    expect(emulator.stats().requests).toBe(2);
  });
});
