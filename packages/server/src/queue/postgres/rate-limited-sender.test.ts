import { randomUUID } from "node:crypto";
import { GwenClient } from "@gwenmap/gwen-adapter";
import {
  DEFAULT_EMULATOR_API_KEY,
  type Emulator,
  startEmulator,
} from "@gwenmap/gwen-adapter/emulator";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PostgresJobStore } from "./postgres-job-store.js";
import { limitSends } from "./rate-limited-sender.js";
import { createTestSchema, openTestStore, type TestSchema } from "./test-postgres-url.js";

describe("sends held to the global rate limit", () => {
  let schema: TestSchema;
  let store: PostgresJobStore;
  let emulator: Emulator;
  let client: GwenClient;

  beforeEach(async () => {
    schema = createTestSchema();
    store = await openTestStore(schema);
    emulator = await startEmulator();
    client = new GwenClient({ apiKey: DEFAULT_EMULATOR_API_KEY, endpoint: emulator.url });
  });
  afterEach(async () => {
    await client.close();
    await emulator.close();
    await store.close();
    await schema.drop();
  });

  it("lets a batch through on one token (the limit counts requests), and answers retry for each delivery when the wait is given up", async () => {
    const limited = limitSends(client, store.rateLimiter(1));
    const items = Array.from({ length: 5 }, () => ({
      action: "sendEvent" as const,
      payload: { userId: randomUUID(), type: "track", data: {} },
    }));
    expect((await limited.sendBatch(items)).map((outcome) => outcome.kind)).toEqual(
      items.map(() => "ok"),
    );
    const controller = new AbortController();
    const waiting = limited.sendBatch(items, { signal: controller.signal });
    controller.abort(new Error("shutting down"));
    const outcomes = await waiting;
    expect(outcomes).toEqual(
      items.map(() => ({
        kind: "retry",
        message: "not sent: stopped while waiting for the global rate limit",
        durationMs: 0,
      })),
    );
    expect(emulator.stats().operations).toBe(5);
  });
});
