import { describe, expect, it } from "vitest";
import {
  ADMIN_TOKEN,
  basic,
  eventually,
  serversClosedAfterEach,
  type TestServer,
  USER_ID,
  WRITE_KEY,
} from "../testing/test-server.js";

const PAGE = "https://shop.example.com";
const OTHER_PAGE = "https://elsewhere.example.net";

const start = serversClosedAfterEach();

/** A call as @segment/analytics-next sends it: `text/plain`, the write key in the body (and as Basic). */
function browserPost(t: TestServer, path: string, body: unknown): Promise<Response> {
  return browserPostWith(t, { path, body });
}

/** The same, with headers of its own (another origin, another Authorization). */
function browserPostWith(
  t: TestServer,
  call: { path: string; body: unknown; headers?: Record<string, string> },
): Promise<Response> {
  const { path, body, headers = {} } = call;
  return fetch(`${t.server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "text/plain", origin: PAGE, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

function preflight(t: TestServer, path: string, origin = PAGE): Promise<Response> {
  return fetch(`${t.server.url}${path}`, {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization,content-type",
    },
  });
}

function call(type: string, extra: Record<string, unknown> = {}) {
  return { type, userId: USER_ID, writeKey: WRITE_KEY, ...extra };
}

describe("ingestion from Segment's browser library", () => {
  it("takes the short paths, and /v1/b, as the endpoints of their call type", async () => {
    const t = await start({
      mappings: {
        everything: `/**\n * @action sendEvent\n * @trigger true\n */\n{ "userId": userId, "type": type, "data": { "path": messageId } }`,
      },
    });
    // What each call type needs besides a user; no `type`: the path alone must say which call it is.
    const calls = {
      t: { event: "Played" },
      i: {},
      p: {},
      s: {},
      g: { groupId: "g-1" },
      a: { previousId: "old" },
    };
    for (const [path, fields] of Object.entries(calls)) {
      const answer = await browserPost(t, `/v1/${path}`, {
        userId: USER_ID,
        writeKey: WRITE_KEY,
        messageId: `/v1/${path}`,
        ...fields,
      });
      expect(answer.status).toBe(200);
      expect(await answer.json()).toEqual({ success: true });
    }
    const batch = await browserPost(t, "/v1/b", {
      writeKey: WRITE_KEY,
      sentAt: new Date().toISOString(),
      batch: [call("track", { event: "Batched", messageId: "/v1/b" })],
    });
    expect(batch.status).toBe(200);
    const requests = await eventually(
      () => (t.emulator.requests().length === 7 ? t.emulator.requests() : undefined),
      "seven deliveries",
    );
    const types = Object.fromEntries(
      requests.map(({ variables }) => [(variables.data as { path: string }).path, variables.type]),
    );
    expect(types).toEqual({
      "/v1/t": "track",
      "/v1/i": "identify",
      "/v1/p": "page",
      "/v1/s": "screen",
      "/v1/g": "group",
      "/v1/a": "alias",
      "/v1/b": "track",
    });
  });

  it("dedupes by messageId across the long and the short paths", async () => {
    const t = await start();
    const event = call("track", { event: "Once", messageId: "same-id" });
    expect((await browserPost(t, "/v1/t", event)).status).toBe(200);
    expect((await browserPost(t, "/v1/b", { batch: [event], writeKey: WRITE_KEY })).status).toBe(
      200,
    );
    expect((await t.post("/v1/track", { ...event, writeKey: undefined })).status).toBe(200);
    await eventually(async () => {
      const text = (await t.get("/metrics")).text;
      return /gwenmap_events_duplicate_total 2\b/.test(text) ? text : undefined;
    }, "two duplicates counted");
    expect(t.emulator.requests()).toHaveLength(1);
  });

  it("refuses on the short paths as on the long ones: bad JSON, not a call, too large, no key", async () => {
    const t = await start();
    const broken = await browserPost(t, "/v1/t", '{"type": "track",');
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ code: "E_BAD_JSON" });
    const array = await browserPost(t, "/v1/i", [call("identify")]);
    expect(array.status).toBe(400);
    expect(await array.json()).toMatchObject({
      message: expect.stringMatching(/body of \/v1\/i must be a JSON object/),
    });
    const noBatch = await browserPost(t, "/v1/b", { writeKey: WRITE_KEY, events: [] });
    expect(await noBatch.json()).toMatchObject({
      message: expect.stringMatching(/body of \/v1\/b must be .* "batch" array/),
    });
    const big = await browserPost(t, "/v1/t", call("track", { text: "x".repeat(33 * 1024) }));
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({
      message: expect.stringMatching(/32 KB, the limit of \/v1\/t/),
    });
    const noKey = await browserPost(t, "/v1/t", { type: "track", userId: USER_ID });
    expect(noKey.status).toBe(401);
    const wrongKey = await browserPostWith(t, {
      path: "/v1/t",
      body: call("track"),
      headers: { authorization: basic("not-a-key") },
    });
    expect(wrongKey.status).toBe(401);
    const failures = await t.get("/admin/dead-letters", { authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(failures.json.items).toEqual([]);
    expect(t.emulator.requests()).toEqual([]);
  });

  it("answers the library's telemetry (/v1/m) without storing it", async () => {
    const t = await start();
    const series = { series: [{ type: "Counter", metric: "analytics_js.invoke", value: 1 }] };
    const answer = await browserPost(t, "/v1/m", series);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("access-control-allow-origin")).toBe("*");
    expect((await t.get("/metrics")).text).not.toMatch(/gwenmap_events_received_total\{/);
  });
});

describe("CORS on the ingestion endpoints", () => {
  it("answers a preflight for any origin by default, without credentials", async () => {
    const t = await start();
    const answer = await preflight(t, "/v1/t");
    expect(answer.status).toBe(204);
    expect(answer.headers.get("access-control-allow-origin")).toBe("*");
    expect(answer.headers.get("access-control-allow-methods")).toBe("POST");
    expect(answer.headers.get("access-control-allow-headers")).toBe("authorization,content-type");
    expect(answer.headers.get("access-control-max-age")).toBe("7200");
    expect(answer.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("puts Access-Control-Allow-Origin on every answer, errors included", async () => {
    const t = await start();
    const answers = {
      stored: await browserPost(t, "/v1/t", call("track", { event: "Ok" })),
      badJson: await browserPost(t, "/v1/t", "{"),
      unauthorized: await browserPost(t, "/v1/t", { type: "track", userId: USER_ID }),
      wrongBasic: await browserPostWith(t, {
        path: "/v1/t",
        body: call("track"),
        headers: { authorization: basic("not-a-key") },
      }),
      tooLarge: await browserPost(t, "/v1/t", call("track", { text: "x".repeat(40_000) })),
      notFound: await browserPost(t, "/v1/x", call("track")),
    };
    const seen = Object.fromEntries(
      Object.entries(answers).map(([name, answer]) => [
        name,
        [answer.status, answer.headers.get("access-control-allow-origin")],
      ]),
    );
    expect(seen).toEqual({
      stored: [200, "*"],
      badJson: [400, "*"],
      unauthorized: [401, "*"],
      wrongBasic: [401, "*"],
      tooLarge: [413, "*"],
      notFound: [404, "*"],
    });
  });

  it("keeps CORS off the health and admin endpoints", async () => {
    const t = await start();
    const health = await t.get("/healthz", { origin: PAGE });
    expect(health.status).toBe(200);
    expect(health.headers.get("access-control-allow-origin")).toBeNull();
    const admin = await preflight(t, "/admin/dead-letters");
    expect(admin.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("with GWENMAP_CORS_ORIGINS, allows those origins and refuses others with 403, storing nothing", async () => {
    const t = await start({ corsOrigins: [PAGE, "http://localhost:5173"] });
    const allowed = await preflight(t, "/v1/t");
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe(PAGE);
    expect(allowed.headers.get("vary")).toMatch(/origin/i);
    const stored = await browserPost(t, "/v1/t", call("track", { event: "Allowed" }));
    expect(stored.status).toBe(200);
    expect(stored.headers.get("access-control-allow-origin")).toBe(PAGE);
    const refusedError = await browserPost(t, "/v1/t", "{");
    expect(refusedError.headers.get("access-control-allow-origin")).toBe(PAGE);

    const deniedPreflight = await preflight(t, "/v1/t", OTHER_PAGE);
    expect(deniedPreflight.status).toBe(403);
    expect(deniedPreflight.headers.get("access-control-allow-origin")).toBeNull();
    // A text/plain post needs no preflight (sendBeacon sends one so): the server itself must refuse it.
    const denied = await browserPostWith(t, {
      path: "/v1/t",
      body: call("track", { event: "Denied" }),
      headers: { origin: OTHER_PAGE },
    });
    expect(denied.status).toBe(403);
    expect(denied.headers.get("access-control-allow-origin")).toBeNull();
    expect(await denied.json()).toMatchObject({
      success: false,
      code: "E_ORIGIN_NOT_ALLOWED",
      message: expect.stringMatching(/elsewhere\.example\.net .*GWENMAP_CORS_ORIGINS/),
    });
    // Server-side clients send no Origin: CORS is not theirs.
    const serverSide = await t.post("/v1/track", { event: "Server", userId: USER_ID });
    expect(serverSide.status).toBe(200);
    expect(serverSide.headers.get("access-control-allow-origin")).toBeNull();

    await eventually(
      () => (t.emulator.requests().length === 2 ? true : undefined),
      "the two allowed deliveries",
    );
    const metrics = (await t.get("/metrics")).text;
    expect(metrics).toMatch(/gwenmap_events_received_total\{endpoint="track"\} 2\b/);
  });
});
