import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_EMULATOR_API_KEY, type Emulator, startEmulator } from "../src/emulator/index.js";
import { type BatchItem, GwenClient, prepareVariables } from "../src/index.js";

const alice = "9f0c3b1e-6a4d-4e2b-8c7f-2d5e1a9b3c4d";
const bob = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const carol = "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9";

let emulator: Emulator;
let client: GwenClient;

beforeAll(async () => {
  emulator = await startEmulator();
  client = new GwenClient({ apiKey: DEFAULT_EMULATOR_API_KEY, endpoint: emulator.url });
});
afterEach(() => {
  emulator.setFaults({});
  emulator.setApiKeys([DEFAULT_EMULATOR_API_KEY]);
  emulator.clear();
  emulator.resetStats();
});
afterAll(async () => {
  await client.close();
  await emulator.close();
});

const track = (userId: string, type: string): BatchItem => ({
  action: "sendEvent",
  payload: { userId, type, data: { via: "batch" } },
});

describe("sendBatch", () => {
  it("sends prepared variables as they are, beside payloads, alone and in a batch", async () => {
    const identify = { userId: bob, ip: "203.0.113.7" };
    const prepared = {
      action: "identifyUser",
      variables: prepareVariables("identifyUser", identify),
    } as const;
    expect((await client.sendBatch([prepared])).map((outcome) => outcome.kind)).toEqual(["ok"]);
    const outcomes = await client.sendBatch([track(alice, "track"), prepared]);
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(["ok", "ok"]);
    expect(emulator.stats()).toMatchObject({ requests: 2, operations: 3 });
    expect(emulator.requests().map(({ variables }) => variables)).toEqual([
      { userId: bob, session: { ip: "203.0.113.7" } },
      { userId: alice, type: "track", data: { via: "batch" } },
      { userId: bob, session: { ip: "203.0.113.7" } },
    ]);
  });

  it("delivers every item in one request and records one operation per alias", async () => {
    const outcomes = await client.sendBatch([
      track(alice, "track"),
      { action: "identifyUser", payload: { userId: bob, ip: "203.0.113.7" } },
      track(carol, "page"),
    ]);
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(["ok", "ok", "ok"]);
    expect(emulator.stats()).toMatchObject({ requests: 1, operations: 3 });
    expect(
      emulator
        .requests()
        .map(({ operationName, variables, alias }) => ({ operationName, variables, alias })),
    ).toEqual([
      {
        operationName: "SendEvent",
        variables: { userId: alice, type: "track", data: { via: "batch" } },
        alias: "e0",
      },
      {
        operationName: "UserSession",
        variables: { userId: bob, session: { ip: "203.0.113.7" } },
        alias: "e1",
      },
      {
        operationName: "SendEvent",
        variables: { userId: carol, type: "page", data: { via: "batch" } },
        alias: "e2",
      },
    ]);
  });

  it("maps GWEN's per-alias errors back to their items, in order", async () => {
    emulator.setFaults({ rejectUserIds: [bob] });
    const outcomes = await client.sendBatch([
      track(alice, "a"),
      track(bob, "b"),
      track(carol, "c"),
    ]);
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(["ok", "permanent", "ok"]);
    expect(outcomes[1]).toMatchObject({
      status: 200,
      message: expect.stringContaining(`GWEN does not accept user ${bob}`),
    });
    expect(emulator.stats().requests).toBe(1);
    expect(emulator.requests().map((request) => request.variables.userId)).toEqual([alice, carol]);
  });

  it("resends the valid items when one item's variables sank the whole operation", async () => {
    const outcomes = await client.sendBatch([
      track(alice, "a"),
      track("not-a-uuid", "b"),
      { action: "identifyUser", payload: { userId: carol } },
    ]);
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(["ok", "permanent", "ok"]);
    expect(outcomes[1]).toMatchObject({ message: expect.stringContaining('"not-a-uuid"') });
    expect(emulator.stats().requests).toBe(2);
    expect(emulator.requests().map((request) => request.variables.userId)).toEqual([alice, carol]);
  });

  it("gives every item the transport outcome when the request itself fails", async () => {
    emulator.setFaults({ rateLimitRate: 1, retryAfterSeconds: 2 });
    const outcomes = await client.sendBatch([track(alice, "a"), track(bob, "b")]);
    expect(outcomes).toEqual([
      expect.objectContaining({ kind: "retry", status: 429, retryAfterMs: 2000 }),
      expect.objectContaining({ kind: "retry", status: 429, retryAfterMs: 2000 }),
    ]);
  });

  it("gives every item auth when the key is refused", async () => {
    emulator.setApiKeys(["another-key"]);
    const outcomes = await client.sendBatch([track(alice, "a"), track(bob, "b")]);
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(["auth", "auth"]);
  });

  it("fails only the item that cannot be serialized", async () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const outcomes = await client.sendBatch([
      track(alice, "a"),
      { action: "sendEvent", payload: { userId: bob, type: "b", data: circular } },
      track(carol, "c"),
    ]);
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(["ok", "permanent", "ok"]);
    expect(emulator.requests()).toHaveLength(2);
  });

  it("refuses a prepared item for an action it does not define, and sends the others", async () => {
    const stray = {
      action: "sendPoints",
      variables: prepareVariables("sendEvent", { userId: bob, type: "b" }),
    } as unknown as BatchItem;
    const outcomes = await client.sendBatch([track(alice, "a"), stray]);
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(["ok", "permanent"]);
    expect(outcomes[1]).toMatchObject({ message: expect.stringMatching(/no action "sendPoints"/) });
    expect(emulator.requests()).toHaveLength(1);
  });

  it("sends a batch of one as a plain request and answers nothing for an empty batch", async () => {
    expect(await client.sendBatch([])).toEqual([]);
    expect(await client.sendBatch([track(alice, "solo")])).toEqual([
      expect.objectContaining({ kind: "ok" }),
    ]);
    expect(emulator.requests()).toEqual([
      expect.objectContaining({
        operationName: "SendEvent",
        variables: expect.objectContaining({ type: "solo" }),
      }),
    ]);
    expect(emulator.requests()[0]).not.toHaveProperty("alias");
  });
});
