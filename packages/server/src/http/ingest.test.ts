import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  ADMIN_TOKEN,
  basic,
  deliveredUserIds,
  eventually,
  serversClosedAfterEach,
  type TestServer,
  USER_ID,
  WRITE_KEY,
} from "../testing/test-server.js";

const OTHER_USER = "9b2e7c1d-4a5f-4e8b-8c3d-1f6a2b9e0d47";

const start = serversClosedAfterEach();

function track(userId = USER_ID, extra: Record<string, unknown> = {}) {
  return { event: "Order Completed", userId, properties: { total: 12.5 }, ...extra };
}

async function failures(t: TestServer) {
  const answer = await t.get("/admin/dead-letters", { authorization: `Bearer ${ADMIN_TOKEN}` });
  return answer.json.items as Record<string, unknown>[];
}

describe("ingestion endpoints", () => {
  it("answers a track call as Segment does and delivers it to GWEN", async () => {
    const t = await start();
    const answer = await t.post("/v1/track", track());
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ success: true });
    const [request] = await eventually(
      () => (t.emulator.requests().length > 0 ? t.emulator.requests() : undefined),
      "the delivery",
    );
    expect(request).toMatchObject({
      operationName: "SendEvent",
      variables: { userId: USER_ID, type: "track", data: { total: 12.5 } },
    });
  });

  it("takes the write key from the body when there is no Basic header", async () => {
    const t = await start();
    const answer = await t.post(
      "/v1/identify",
      { userId: USER_ID, writeKey: "test-write-key", context: { ip: "203.0.113.7" } },
      { writeKey: null },
    );
    expect(answer.status).toBe(200);
    await eventually(
      () => t.emulator.requests().find((request) => request.operationName === "UserSession"),
      "the identify delivery",
    );
  });

  it("fills messageId, receivedAt and timestamp where the call has none", async () => {
    const t = await start({
      mappings: {
        stamps: `/**\n * @action sendEvent\n * @trigger type = "track"\n */\n{ "userId": userId, "type": event, "data": { "messageId": messageId, "receivedAt": receivedAt, "timestamp": timestamp } }`,
      },
    });
    const before = Date.now();
    await t.post("/v1/track", { event: "Played", userId: USER_ID });
    const [request] = await eventually(
      () => (t.emulator.requests().length > 0 ? t.emulator.requests() : undefined),
      "the delivery",
    );
    const data = request?.variables.data as Record<string, string>;
    expect(data.messageId).toMatch(/^gwenmap-[0-9a-f-]{36}-0$/);
    expect(Date.parse(data.receivedAt ?? "")).toBeGreaterThanOrEqual(before - 1);
    expect(data.timestamp).toBe(data.receivedAt);
  });

  it("refuses an unknown or missing write key with 401", async () => {
    const t = await start();
    const wrong = await t.post("/v1/track", track(), { writeKey: "not-a-key" });
    expect(wrong.status).toBe(401);
    expect(wrong.json).toMatchObject({ success: false, code: "E_UNAUTHORIZED" });
    expect(wrong.headers.get("www-authenticate")).toBe('Basic realm="gwenmap"');
    const missing = await t.post("/v1/batch", { batch: [track()] }, { writeKey: null });
    expect(missing.status).toBe(401);
    const wrongInBody = await t.post("/v1/track", track(OTHER_USER, { writeKey: "nope" }), {
      writeKey: null,
    });
    expect(wrongInBody.status).toBe(401);
  });

  it("answers malformed JSON with 400 saying where it broke", async () => {
    const t = await start();
    const answer = await t.post("/v1/track", '{\n  "event": "Played",\n  "userId": }');
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ success: false, code: "E_BAD_JSON" });
    expect(answer.json.message).toMatch(/line 3, column 13/);
  });

  it("answers 400 for JSON that is not a call, or a batch without a batch array", async () => {
    const t = await start();
    const array = await t.post("/v1/track", [track()]);
    expect(array.status).toBe(400);
    expect(array.json.message).toMatch(/must be a JSON object.*\/v1\/batch/);
    const noBatch = await t.post("/v1/batch", { events: [] });
    expect(noBatch.status).toBe(400);
    expect(noBatch.json.code).toBe("E_BAD_REQUEST");
  });

  it("answers 413 above 32 KB for one call and above 500 KB for a batch", async () => {
    const t = await start();
    const big = track(USER_ID, { properties: { text: "x".repeat(33 * 1024) } });
    const single = await t.post("/v1/track", big);
    expect(single.status).toBe(413);
    expect(single.json).toMatchObject({ success: false, code: "E_TOO_LARGE" });
    expect(single.json.message).toMatch(/32 KB/);
    const many = Array.from({ length: 20 }, () =>
      track(USER_ID, { properties: { text: "y".repeat(26 * 1024) } }),
    );
    const batch = await t.post("/v1/batch", { batch: many });
    expect(batch.status).toBe(413);
    expect(batch.json.message).toMatch(/500 KB/);
  });

  it("stores invalid events of a batch as rejections without failing the valid ones", async () => {
    const t = await start();
    const answer = await t.post("/v1/batch", {
      batch: [
        { type: "track", event: "Good", userId: USER_ID },
        { type: "track", event: "No user" },
        "not an event",
        { type: "track", event: "Bad uuid", userId: "nope" },
        { type: "track", event: "Huge", userId: OTHER_USER, properties: { t: "z".repeat(33_000) } },
        { type: "track", event: "Also good", userId: OTHER_USER },
      ],
    });
    expect(answer.status).toBe(200);
    await eventually(
      () => (t.emulator.requests().length >= 2 ? true : undefined),
      "the two valid deliveries",
    );
    const types = t.emulator.requests().map((request) => request.variables.type);
    expect(types).toEqual(["track", "track"]);
    const items = await eventually(async () => {
      const found = await failures(t);
      return found.length === 4 ? found : undefined;
    }, "four rejections");
    expect(items.map((item) => [item.state, (item.reason as { code: string }).code])).toEqual([
      ["rejected", "E_EVENT_INVALID"],
      ["rejected", "E_EVENT_INVALID"],
      ["rejected", "E_PAYLOAD_INVALID"],
      ["rejected", "E_EVENT_TOO_LARGE"],
    ]);
  });

  it("acknowledges a repeated messageId and delivers it once", async () => {
    const t = await start();
    const event = track(USER_ID, { messageId: "repeat-1" });
    expect((await t.post("/v1/track", event)).status).toBe(200);
    expect((await t.post("/v1/batch", { batch: [{ ...event, type: "track" }] })).status).toBe(200);
    expect((await t.post("/v1/track", track(OTHER_USER, { messageId: "other" }))).status).toBe(200);
    await eventually(
      () => (t.emulator.requests().length >= 2 ? true : undefined),
      "the deliveries",
    );
    const metrics = await eventually(async () => {
      const text = (await t.get("/metrics")).text;
      return /gwenmap_events_duplicate_total 1\b/.test(text) ? text : undefined;
    }, "the duplicate to be counted");
    expect(metrics).toMatch(/gwenmap_events_received_total\{endpoint="track"\} 2/);
    expect(deliveredUserIds(t)).toEqual([USER_ID, OTHER_USER]);
  });

  it("answers 503 with Retry-After once the queue holds GWENMAP_MAX_QUEUE_DEPTH events", async () => {
    const t = await start({ maxQueueDepth: 2, retryAfterSeconds: 9 });
    t.emulator.setApiKeys(["a-key-the-server-does-not-have"]);
    const batch = [track(), track(OTHER_USER)].map((call) => ({ ...call, type: "track" }));
    expect((await t.post("/v1/batch", { batch })).status).toBe(200);
    const refused = await t.post("/v1/track", track());
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("9");
    expect(refused.json).toMatchObject({ success: false, code: "E_QUEUE_FULL" });
  });

  it("answers 503 with Retry-After when the store cannot write, and takes small calls still", async () => {
    const t = await start({ maxStoreMb: 0.15 });
    const many = Array.from({ length: 15 }, () =>
      track(USER_ID, { properties: { text: "w".repeat(20 * 1024) } }),
    );
    const refused = await t.post("/v1/batch", { batch: many });
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("5");
    expect(refused.json).toMatchObject({ success: false, code: "E_STORE_UNAVAILABLE" });
    expect((await t.post("/v1/track", track())).status).toBe(200);
  });

  it("takes gzip-compressed bodies, as Segment's iOS library sends its batches", async () => {
    const t = await start();
    const send = (body: Buffer, encoding: string) =>
      fetch(`${t.server.url}/v1/batch`, {
        method: "POST",
        headers: {
          authorization: basic(WRITE_KEY),
          "content-type": "application/json",
          "content-encoding": encoding,
        },
        body,
      });
    const batch = JSON.stringify({ batch: [{ ...track(), type: "track" }] });
    const answer = await send(gzipSync(batch), "gzip");
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ success: true });
    await eventually(
      () => (t.emulator.requests().length > 0 ? true : undefined),
      "the delivery of the compressed call",
    );
    expect(t.emulator.requests()[0]?.variables).toMatchObject({ userId: USER_ID });

    const broken = await send(Buffer.from(batch), "gzip");
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({
      code: "E_BAD_REQUEST",
      message: expect.stringMatching(/not valid gzip data/),
    });
    const unknown = await send(Buffer.from(batch), "br");
    expect(unknown.status).toBe(415);
    expect(await unknown.json()).toMatchObject({ code: "E_UNSUPPORTED_ENCODING" });
    // The limits apply to the decompressed JSON: 600 KB of spaces compress to almost nothing.
    const inflated = await send(gzipSync(`${" ".repeat(600 * 1024)}${batch}`), "gzip");
    expect(inflated.status).toBe(413);
    // Refused by its Content-Length before it is read: the broken data must not take the server down.
    const oversized = await send(Buffer.alloc(600 * 1024, "x"), "gzip");
    expect(oversized.status).toBe(413);
    expect((await t.get("/healthz")).status).toBe(200);
  });

  it("answers unknown paths with 404 in the same shape", async () => {
    const t = await start();
    const answer = await t.post("/v1/nothing", {});
    expect(answer.status).toBe(404);
    expect(answer.json).toMatchObject({ success: false, code: "E_NOT_FOUND" });
  });
});
