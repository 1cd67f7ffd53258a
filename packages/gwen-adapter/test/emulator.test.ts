import { request } from "undici";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  DEFAULT_EMULATOR_API_KEY,
  type Emulator,
  type RecordedRequest,
  startEmulator,
} from "../src/emulator/index.js";
import { buildRequest, EmulatorError, GwenClient } from "../src/index.js";

const userId = "9f0c3b1e-6a4d-4e2b-8c7f-2d5e1a9b3c4d";
const sendEvent = buildRequest("sendEvent", { userId, type: "track", data: { a: 1 } });

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterEach(() => {
  emulator.setFaults({});
  emulator.setApiKeys([DEFAULT_EMULATOR_API_KEY]);
  emulator.clear();
  emulator.resetStats();
});
afterAll(() => emulator.close());

/** A JSON answer, read loosely: each test asserts the parts it cares about. */
// biome-ignore lint/suspicious/noExplicitAny: answers are arbitrary JSON checked by expect().
type Json = any;

async function post(
  body: unknown,
  headers: Record<string, string> = {},
  url = emulator.url,
): Promise<{ status: number; json: Json }> {
  const response = await request(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: DEFAULT_EMULATOR_API_KEY,
      ...headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.body.text();
  return { status: response.statusCode, json: text ? JSON.parse(text) : undefined };
}

async function call(method: "GET" | "POST" | "DELETE", path: string, body?: unknown) {
  const response = await request(emulator.url.replace("/graphql", `/_emulator/${path}`), {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.body.text();
  return { status: response.statusCode, json: text ? JSON.parse(text) : undefined };
}

describe("the GraphQL endpoint", () => {
  it("answers GWEN's mutations and query with their result types", async () => {
    expect(await post(sendEvent)).toEqual({ status: 200, json: { data: { event: true } } });
    const session = await post(buildRequest("identifyUser", { userId, ip: "203.0.113.7" }));
    expect(session.json.data.userSession.timestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await post({ query: "query ValidateAPIKey { validateApiKey }" })).toEqual({
      status: 200,
      json: { data: { validateApiKey: true } },
    });
  });

  it("answers a missing or wrong key with 401 and an UNAUTHENTICATED GraphQL error", async () => {
    for (const authorization of ["", "wrong"]) {
      const answer = await post(sendEvent, { authorization });
      expect(answer.status).toBe(401);
      expect(answer.json.errors[0].extensions.code).toBe("UNAUTHENTICATED");
      expect(JSON.stringify(answer.json)).not.toContain(DEFAULT_EMULATOR_API_KEY);
    }
    expect(emulator.stats()).toMatchObject({ unauthorized: 2, operations: 0 });
  });

  it.each([
    ["not JSON", "{", 400],
    ["a JSON array", "[]", 400],
    ["without a query", JSON.stringify({ variables: {} }), 400],
    [
      "with variables that are not an object",
      JSON.stringify({ query: "{ validateApiKey }", variables: [1] }),
      400,
    ],
  ])("answers a body %s with HTTP %s", async (_name, body, status) => {
    const answer = await post(body);
    expect(answer.status).toBe(status);
    expect(answer.json.errors[0].message).toMatch(/^Bad GraphQL request: /);
  });

  it("answers 415 when the body is not sent as JSON, 405 for GET and 404 elsewhere", async () => {
    expect((await post(sendEvent, { "content-type": "text/plain" })).status).toBe(415);
    expect((await request(emulator.url)).statusCode).toBe(405);
    expect((await post(sendEvent, {}, emulator.url.replace("/graphql", "/other"))).status).toBe(
      404,
    );
  });

  it("answers invalid documents as GraphQL servers do: 200 with errors", async () => {
    const syntax = await post({ query: "mutation {" });
    expect(syntax.status).toBe(200);
    expect(syntax.json.errors[0].message).toMatch(/^Syntax Error/);
    const unknown = await post({ query: "{ validateApiKeys }" });
    expect(unknown.json.errors[0].message).toMatch(/Cannot query field "validateApiKeys"/);
    expect(emulator.stats().graphqlErrors).toBe(2);
  });

  it.each([
    ["an uppercase uuid", "9F0C3B1E-6A4D-4E2B-8C7F-2D5E1A9B3C4D", true],
    ["a urn", `urn:uuid:${userId}`, false],
    ["a uuid without dashes", userId.replaceAll("-", ""), false],
    ["a braced uuid", `{${userId}}`, false],
    ["a number", 42, false],
  ])("UUID accepts %s: %s", async (_name, value, accepted) => {
    const answer = await post({
      ...sendEvent,
      variables: { ...sendEvent.variables, userId: value },
    });
    expect(answer.json.errors === undefined).toBe(accepted);
    if (!accepted) expect(answer.json.errors[0].message).toMatch(/UUID cannot represent/);
  });

  it.each([
    ["an array", [1], false],
    ["a string", "x", false],
    ["a number", 1, false],
    ["an object", { nested: { ok: true } }, true],
  ])("JSONObject accepts %s: %s", async (_name, data, accepted) => {
    const answer = await post({ ...sendEvent, variables: { ...sendEvent.variables, data } });
    expect(answer.json.errors === undefined).toBe(accepted);
  });

  it("accepts JSONObject and UUID literals written in the document", async () => {
    const query = `mutation { event(userId: "${userId}", type: "inline", data: { a: [1, "b"] }) }`;
    expect((await post({ query })).json).toEqual({ data: { event: true } });
    expect(emulator.requests()[0]?.variables).toEqual({
      userId,
      type: "inline",
      data: { a: [1, "b"] },
    });
  });
});

describe("recording and control routes", () => {
  it("serves, counts and clears the accepted operations over HTTP", async () => {
    await post(sendEvent);
    await post({ query: "query ValidateAPIKey { validateApiKey }" });
    const listed = await call("GET", "requests");
    expect(listed.json).toEqual([
      {
        operationName: "SendEvent",
        variables: sendEvent.variables,
        receivedAt: expect.any(String),
      },
    ]);
    expect(Date.parse((listed.json as RecordedRequest[])[0]?.receivedAt ?? "")).not.toBeNaN();
    expect((await call("GET", "stats")).json).toMatchObject({
      requests: 2,
      ok: 2,
      operations: 1,
      validateApiKey: 1,
    });
    expect((await call("DELETE", "requests")).status).toBe(204);
    expect((await call("GET", "requests")).json).toEqual([]);
    expect((await call("DELETE", "stats")).status).toBe(204);
    expect((await call("GET", "stats")).json.requests).toBe(0);
  });

  it("replaces faults with POST /_emulator/faults and refuses invalid ones", async () => {
    expect(await call("POST", "faults", { errorRate: 1, errorStatus: 500 })).toEqual({
      status: 200,
      json: { errorRate: 1, errorStatus: 500 },
    });
    expect((await post(sendEvent)).status).toBe(500);
    const refused = await call("POST", "faults", { errorRate: 7 });
    expect(refused.status).toBe(400);
    expect(refused.json.error).toMatch(/errorRate: must be a number from 0 to 1/);
    expect((await call("GET", "faults")).json).toEqual({ errorRate: 1, errorStatus: 500 });
    await call("POST", "faults", {});
    expect((await post(sendEvent)).status).toBe(200);
  });

  it("counts failNext down to a storm's end", async () => {
    emulator.setFaults({ failNext: 2 });
    const statuses = [];
    for (let index = 0; index < 3; index++) statuses.push((await post(sendEvent)).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect(emulator.faults()).toEqual({ failNext: 0 });
  });

  it("switches the accepted keys with POST /_emulator/api-keys", async () => {
    expect((await call("POST", "api-keys", { apiKeys: ["new-key"] })).status).toBe(200);
    expect((await post(sendEvent)).status).toBe(401);
    expect((await post(sendEvent, { authorization: "new-key" })).status).toBe(200);
    expect((await call("POST", "api-keys", { apiKeys: "new-key" })).status).toBe(400);
  });

  it("answers 404 for an unknown control route", async () => {
    expect((await call("GET", "nothing")).status).toBe(404);
  });
});

describe("startEmulator", () => {
  it("takes keys and faults at start and reports operations to onRequest", async () => {
    const seen: RecordedRequest[] = [];
    const custom = await startEmulator({
      apiKeys: ["k1"],
      faults: { rejectUserIds: [userId] },
      record: false,
      onRequest: (recorded) => seen.push(recorded),
    });
    const client = new GwenClient({ apiKey: "k1", endpoint: custom.url });
    const other = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    expect((await client.send("sendEvent", { userId, type: "t" })).kind).toBe("permanent");
    expect((await client.send("sendEvent", { userId: other, type: "t" })).kind).toBe("ok");
    await client.close();
    await custom.close();
    expect(custom.requests()).toEqual([]);
    expect(custom.stats().operations).toBe(1);
    expect(seen.map((recorded) => recorded.variables.userId)).toEqual([other]);
  });

  it("keeps only the latest recordLimit operations, counting them all", async () => {
    const bounded = await startEmulator({ recordLimit: 3 });
    const client = new GwenClient({ apiKey: DEFAULT_EMULATOR_API_KEY, endpoint: bounded.url });
    for (let index = 0; index < 8; index++) {
      expect((await client.send("sendEvent", { userId, type: `t${index}` })).kind).toBe("ok");
    }
    await client.close();
    await bounded.close();
    expect(bounded.stats().operations).toBe(8);
    expect(bounded.requests().map((recorded) => recorded.variables.type)).toEqual([
      "t5",
      "t6",
      "t7",
    ]);
  });

  it("refuses invalid faults and a port in use with EmulatorError", async () => {
    await expect(startEmulator({ faults: { dropRate: -1 } })).rejects.toMatchObject({
      code: "E_INVALID_FAULTS",
    });
    await expect(startEmulator({ port: emulator.port })).rejects.toThrowError(EmulatorError);
    await expect(startEmulator({ port: emulator.port })).rejects.toMatchObject({
      code: "E_EMULATOR_START",
    });
    expect(() => emulator.setFaults({ latencyMs: -5 })).toThrowError(/latencyMs/);
  });

  it("closes while a client waits on a stalled request, which then gets a retry outcome", async () => {
    const stalling = await startEmulator({ faults: { stallRate: 1 } });
    const client = new GwenClient({ apiKey: DEFAULT_EMULATOR_API_KEY, endpoint: stalling.url });
    const sending = client.send("sendEvent", { userId, type: "t" });
    while (stalling.stats().stalled === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await stalling.close();
    expect(await sending).toMatchObject({ kind: "retry" });
    await client.close();
  });

  it("adds latency and still answers", async () => {
    emulator.setFaults({ latencyMs: 20 });
    expect((await post(sendEvent)).status).toBe(200);
  });
});
