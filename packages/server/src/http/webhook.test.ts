import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { eventually, serversClosedAfterEach, USER_ID } from "../testing/test-server.js";

const SECRET = "segment-shared-secret";
const OTHER_USER = "9b2e7c1d-4a5f-4e8b-8c3d-1f6a2b9e0d47";

const start = serversClosedAfterEach();

function sign(text: string, secret = SECRET): string {
  return createHmac("sha1", secret).update(text, "utf8").digest("hex");
}

const event = (userId: string) => ({
  type: "track",
  event: "Order Completed",
  userId,
  messageId: `webhook-${userId}`,
  properties: { total: 3 },
});

describe("POST /v1/webhook (Segment's Webhooks destination)", () => {
  it("takes one event signed over the body, and a batch signed over its first event", async () => {
    const t = await start({ webhookSecret: SECRET });
    const single = JSON.stringify(event(USER_ID));
    const one = await t.post("/v1/webhook", single, {
      writeKey: null,
      headers: { "x-signature": sign(single) },
    });
    expect(one.status).toBe(200);
    expect(one.json).toEqual({ success: true });
    const batch = [event(OTHER_USER), { ...event(OTHER_USER), messageId: "second" }];
    const many = await t.post("/v1/webhook", JSON.stringify(batch), {
      writeKey: null,
      headers: { "x-signature": sign(JSON.stringify(batch[0])) },
    });
    expect(many.status).toBe(200);
    await eventually(
      () => (t.emulator.requests().length === 3 ? true : undefined),
      "three deliveries",
    );
  });

  it("never gives Segment's events the webhook request's address: it is Segment's, not the user's", async () => {
    const t = await start({
      webhookSecret: SECRET,
      mappings: {
        echo: `/**\n * @action sendEvent\n * @trigger true\n */\n{ "userId": userId, "type": "echo", "data": { "context": context } }`,
      },
    });
    const browserEvent = { ...event(USER_ID), context: { library: { name: "analytics.js" } } };
    const body = JSON.stringify(browserEvent);
    const sent = await t.post("/v1/webhook", body, {
      writeKey: null,
      headers: { "x-signature": sign(body) },
    });
    expect(sent.status).toBe(200);
    const [delivered] = await eventually(
      () => (t.emulator.requests().length === 1 ? t.emulator.requests() : undefined),
      "the delivery",
    );
    expect(delivered?.variables.data).toEqual({ context: browserEvent.context });
  });

  it("refuses a wrong or missing signature with 401, and takes a write key instead", async () => {
    const t = await start({ webhookSecret: SECRET });
    const body = JSON.stringify(event(USER_ID));
    const wrong = await t.post("/v1/webhook", body, {
      writeKey: null,
      headers: { "x-signature": sign(body, "another-secret") },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.json).toMatchObject({ success: false, code: "E_BAD_SIGNATURE" });
    const missing = await t.post("/v1/webhook", body, { writeKey: null });
    expect(missing.status).toBe(401);
    expect(missing.json.message).toMatch(/No X-Signature header/);
    const withKey = await t.post("/v1/webhook", body);
    expect(withKey.status).toBe(200);
  });

  it("needs a write key when no shared secret is configured", async () => {
    const t = await start();
    const body = JSON.stringify(event(USER_ID));
    const signedOnly = await t.post("/v1/webhook", body, {
      writeKey: null,
      headers: { "x-signature": sign(body) },
    });
    expect(signedOnly.status).toBe(401);
    expect(signedOnly.json.code).toBe("E_UNAUTHORIZED");
    expect((await t.post("/v1/webhook", body)).status).toBe(200);
  });
});
