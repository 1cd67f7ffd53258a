import { describe, expect, it } from "vitest";
import {
  ADMIN_TOKEN,
  apiKeyChecked,
  eventually,
  serversClosedAfterEach,
  type TestServer,
  USER_ID,
} from "../testing/test-server.js";

const ANONYMOUS_ID = "0d5e1a2b-3c4d-4e5f-8a9b-7c6d5e4f3a2b";
const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` };

const mapping = (userId: string, type = "event") =>
  `/**\n * @action sendEvent\n * @trigger type = "track"\n */\n{ "userId": ${userId}, "type": ${type} }`;

const start = serversClosedAfterEach();

async function failures(t: TestServer, query = "") {
  const answer = await t.get(`/admin/dead-letters${query}`, ADMIN);
  return answer.json.items as Record<string, unknown>[];
}

async function waitForFailures(t: TestServer, count: number) {
  return eventually(async () => {
    const items = await failures(t);
    return items.length === count ? items : undefined;
  }, `${count} dead letters`);
}

function replay(t: TestServer, selector: unknown) {
  return t.post("/admin/dead-letters/replay", selector, { writeKey: null, headers: ADMIN });
}

const trackCall = { type: "track", event: "Level Up", userId: USER_ID, anonymousId: ANONYMOUS_ID };

describe("dead letters and replay", () => {
  it("keeps events a mapping rejects, and delivers them after a mapping fix and a replay", async () => {
    const t = await start({ mappings: { "send-event": mapping("properties.player") } });
    await t.post("/v1/batch", { batch: [trackCall, { ...trackCall, event: "Quest Done" }] });
    const items = await waitForFailures(t, 2);
    expect(items[0]).toMatchObject({
      state: "rejected",
      mapping: "send-event",
      action: "sendEvent",
      reason: { code: "E_PAYLOAD_INVALID" },
      event: { event: "Level Up", userId: USER_ID },
    });
    await t.writeMapping("send-event", mapping("userId"));
    expect(await t.server.reload()).toMatchObject({ ok: true });
    const answer = await replay(t, { mapping: "send-event" });
    expect(answer.json).toEqual({ replayed: 2 });
    await eventually(
      () => (t.emulator.requests().length === 2 ? true : undefined),
      "the replayed deliveries",
    );
    expect(t.emulator.requests().map((request) => request.variables)).toEqual([
      { userId: USER_ID, type: "Level Up", data: {} },
      { userId: USER_ID, type: "Quest Done", data: {} },
    ]);
    expect(await failures(t)).toEqual([]);
  });

  it("dead-letters what GWEN refuses, and replays only that mapping's delivery after a fix", async () => {
    const t = await start({
      mappings: { "send-event": mapping("userId", '"track"'), scores: mapping("anonymousId") },
      emulatorOptions: { faults: { rejectUserIds: [ANONYMOUS_ID] } },
    });
    await t.post("/v1/track", trackCall);
    const [dead] = await waitForFailures(t, 1);
    expect(dead).toMatchObject({
      state: "dead",
      mapping: "scores",
      attempts: 1,
      reason: { code: "E_DELIVERY_PERMANENT", outcome: "permanent" },
    });
    expect(t.emulator.requests()).toHaveLength(1);
    await t.writeMapping("scores", mapping("userId"));
    await t.server.reload();
    expect((await replay(t, { ids: [dead?.id] })).json).toEqual({ replayed: 1 });
    await eventually(
      () => (t.emulator.requests().length === 2 ? true : undefined),
      "the replayed delivery",
    );
    expect(t.emulator.requests().map((request) => request.variables.type)).toEqual([
      "track",
      "Level Up",
    ]);
  });

  it("dead-letters a delivery still failing when the retry window ends, and delivers it on replay", async () => {
    const t = await start({
      retryWindowMs: 300,
      emulatorOptions: { faults: { errorRate: 1, errorStatus: 503 } },
    });
    await t.post("/v1/track", trackCall);
    const [dead] = await waitForFailures(t, 1);
    expect(dead).toMatchObject({
      state: "dead",
      reason: { code: "E_DELIVERY_RETRY_WINDOW", outcome: "retry", status: 503 },
    });
    expect(dead?.attempts).toBeGreaterThan(1);
    t.emulator.setFaults({});
    expect((await replay(t, { all: true, state: "dead" })).json).toEqual({ replayed: 1 });
    await eventually(
      () => (t.emulator.requests().length === 1 ? true : undefined),
      "the replayed delivery",
    );
  });

  it("retries a delivery GWEN answers 503 to, and delivers it once", async () => {
    const t = await start();
    await apiKeyChecked(t);
    t.emulator.setFaults({ failNext: 2 });
    await t.post("/v1/track", trackCall);
    await eventually(() => (t.emulator.requests().length === 1 ? true : undefined), "the delivery");
    const metrics = (await t.get("/metrics")).text;
    expect(metrics).toMatch(/gwenmap_deliveries_total\{mapping="send-event",outcome="retry"\} 2/);
    expect(metrics).toMatch(/gwenmap_deliveries_total\{mapping="send-event",outcome="ok"\} 1/);
    expect(await failures(t)).toEqual([]);
  });

  it("filters the list by state and mapping, and checks what it is given", async () => {
    const t = await start({ mappings: { "send-event": mapping("properties.player") } });
    await t.post("/v1/track", trackCall);
    await waitForFailures(t, 1);
    expect(await failures(t, "?state=dead")).toEqual([]);
    expect(await failures(t, "?state=rejected&mapping=send-event")).toHaveLength(1);
    const bad = await t.get("/admin/dead-letters?state=gone", ADMIN);
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/state must be "dead" or "rejected"/);
    const vague = await replay(t, {});
    expect(vague.status).toBe(400);
    expect(vague.json.message).toMatch(/Say what to replay/);
  });

  it("guards the admin endpoints with the admin token", async () => {
    const t = await start();
    const missing = await t.get("/admin/dead-letters");
    expect(missing.status).toBe(401);
    expect(missing.json.code).toBe("E_ADMIN_UNAUTHORIZED");
    const wrong = await t.get("/admin/dead-letters", { authorization: "Bearer guess" });
    expect(wrong.status).toBe(401);
    const writeKeyIsNotEnough = await t.post("/admin/dead-letters/replay", { all: true });
    expect(writeKeyIsNotEnough.status).toBe(401);
    await t.restart({ adminToken: undefined });
    const off = await t.get("/admin/dead-letters", ADMIN);
    expect(off.status).toBe(404);
    expect(off.json.code).toBe("E_ADMIN_DISABLED");
  });
});
