import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_EMULATOR_API_KEY, type Emulator, startEmulator } from "../src/emulator/index.js";
import { GwenClient } from "../src/index.js";

const event = { userId: "9f0c3b1e-6a4d-4e2b-8c7f-2d5e1a9b3c4d", type: "track" };

let emulator: Emulator;
let client: GwenClient;

beforeAll(async () => {
  emulator = await startEmulator();
  client = new GwenClient({
    apiKey: DEFAULT_EMULATOR_API_KEY,
    endpoint: emulator.url,
    headersTimeoutMs: 200,
    bodyTimeoutMs: 200,
  });
});
afterEach(() => emulator.setFaults({}));
afterAll(async () => {
  await client.destroy();
  await emulator.close();
});

describe("timeouts", () => {
  it("retries when GWEN never starts answering (headers timeout)", async () => {
    emulator.setFaults({ stallRate: 1 });
    const outcome = await client.send("sendEvent", event);
    expect(outcome).toMatchObject({ kind: "retry" });
    expect(outcome.kind === "retry" && outcome.message).toMatch(
      /did not start answering within 200 ms \(UND_ERR_HEADERS_TIMEOUT\)/,
    );
  });

  it("retries when GWEN's answer trickles slower than the body timeout", async () => {
    // undici checks these timeouts on a coarse clock (about half a second), hence the wide margin.
    emulator.setFaults({ slowBodyRate: 1, slowBodyIntervalMs: 3000 });
    const outcome = await client.send("sendEvent", event);
    expect(outcome).toMatchObject({ kind: "retry" });
    expect(outcome.kind === "retry" && outcome.message).toMatch(
      /stopped sending its answer for more than 200 ms \(UND_ERR_BODY_TIMEOUT\)/,
    );
  });

  it("reads a slow body to the end when each pause is within the body timeout", async () => {
    emulator.setFaults({ slowBodyRate: 1, slowBodyIntervalMs: 1 });
    expect(await client.send("sendEvent", event)).toMatchObject({ kind: "ok" });
  });

  it("keeps working on fresh connections after timeouts", async () => {
    expect(await client.send("sendEvent", event)).toMatchObject({ kind: "ok" });
  });
});
