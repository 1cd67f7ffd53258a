import { createServer } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_EMULATOR_API_KEY, type Emulator, startEmulator } from "../src/emulator/index.js";
import { buildRequest, GwenClient } from "../src/index.js";

const userId = "9f0c3b1e-6a4d-4e2b-8c7f-2d5e1a9b3c4d";
const event = { userId, type: "track", data: { total: 12.5 } };

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

describe("ok", () => {
  it("delivers a Send Event and GWEN records exactly the built variables", async () => {
    expect(await client.send("sendEvent", event)).toMatchObject({ kind: "ok", status: 200 });
    expect(emulator.requests()).toEqual([
      {
        operationName: "SendEvent",
        variables: buildRequest("sendEvent", event).variables,
        receivedAt: expect.any(String),
      },
    ]);
  });

  it("delivers an Identify User as a UserSession with the session object", async () => {
    const payload = { userId, ip: "203.0.113.7", userAgent: "Mozilla/5.0" };
    expect(await client.send("identifyUser", payload)).toMatchObject({ kind: "ok" });
    expect(emulator.requests()).toEqual([
      {
        operationName: "UserSession",
        variables: { userId, session: { ip: "203.0.113.7", userAgent: "Mozilla/5.0" } },
        receivedAt: expect.any(String),
      },
    ]);
  });

  it("confirms a working key with ValidateAPIKey", async () => {
    expect(await client.validateApiKey()).toEqual({ ok: true });
    expect(emulator.stats().validateApiKey).toBe(1);
  });

  it("reuses keep-alive connections for many sends", async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, () => client.send("sendEvent", event)),
    );
    expect(outcomes.every((outcome) => outcome.kind === "ok")).toBe(true);
    expect(emulator.requests()).toHaveLength(50);
  });
});

describe("retry", () => {
  it.each([503, 500, 502, 504, 408, 423])("retries HTTP %i", async (status) => {
    emulator.setFaults({ errorRate: 1, errorStatus: status });
    const outcome = await client.send("sendEvent", event);
    expect(outcome).toMatchObject({ kind: "retry", status });
    expect(outcome.kind === "retry" && outcome.message).toContain(`GWEN answered HTTP ${status}`);
    expect(emulator.requests()).toEqual([]);
  });

  it("retries 429 with the delay from Retry-After in seconds", async () => {
    emulator.setFaults({ rateLimitRate: 1, retryAfterSeconds: 3 });
    expect(await client.send("sendEvent", event)).toMatchObject({
      kind: "retry",
      status: 429,
      retryAfterMs: 3000,
    });
  });

  it("retries 429 with the delay from Retry-After as an HTTP date", async () => {
    emulator.setFaults({ rateLimitRate: 1, retryAfterSeconds: 30, retryAfterFormat: "date" });
    const outcome = await client.send("sendEvent", event);
    expect(outcome).toMatchObject({ kind: "retry", status: 429 });
    // An HTTP date has whole seconds, so up to one second is lost to rounding.
    const retryAfterMs = outcome.kind === "retry" ? (outcome.retryAfterMs ?? -1) : -1;
    expect(retryAfterMs).toBeGreaterThanOrEqual(28_000);
    expect(retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  it("retries what is over GWEN's hard rate limit with Retry-After: 1", async () => {
    emulator.setFaults({ maxRps: 2 });
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, () => client.send("sendEvent", event)),
    );
    const limited = outcomes.filter((outcome) => outcome.kind === "retry");
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]).toMatchObject({ status: 429, retryAfterMs: 1000 });
    expect(emulator.requests()).toHaveLength(outcomes.length - limited.length);
  });

  it("retries a connection dropped without an answer", async () => {
    emulator.setFaults({ dropRate: 1 });
    const outcome = await client.send("sendEvent", event);
    expect(outcome).toMatchObject({ kind: "retry" });
    expect(outcome).not.toHaveProperty("status");
    expect(outcome.kind === "retry" && outcome.message).toMatch(
      /closed before GWEN's answer was complete/,
    );
  });

  it("retries a connection reset halfway through the answer", async () => {
    emulator.setFaults({ resetRate: 1 });
    const outcome = await client.send("sendEvent", event);
    expect(outcome).toMatchObject({ kind: "retry" });
    expect(outcome.kind === "retry" && outcome.message).toMatch(
      /closed before GWEN's answer was complete/,
    );
    // GWEN took it before the reset: a retry makes the duplicate at-least-once allows.
    expect(emulator.requests()).toHaveLength(1);
    expect(emulator.stats().reset).toBe(1);
  });

  it("retries when nothing listens at the endpoint", async () => {
    const port = await freePort();
    const nowhere = new GwenClient({ apiKey: "k", endpoint: `http://127.0.0.1:${port}/graphql` });
    const outcome = await nowhere.send("sendEvent", event);
    await nowhere.close();
    expect(outcome).toMatchObject({ kind: "retry" });
    expect(outcome.kind === "retry" && outcome.message).toContain("ECONNREFUSED");
  });

  it("retries a send the caller aborted", async () => {
    emulator.setFaults({ stallRate: 1 });
    const controller = new AbortController();
    const sending = client.send("sendEvent", event, { signal: controller.signal });
    await waitFor(() => emulator.stats().stalled === 1);
    controller.abort();
    const outcome = await sending;
    expect(outcome).toMatchObject({ kind: "retry" });
    expect(outcome.kind === "retry" && outcome.message).toMatch(/aborted before GWEN answered/);
  });
});

describe("permanent", () => {
  it.each([400, 404, 422, 501])("gives up on HTTP %i", async (status) => {
    emulator.setFaults({ errorRate: 1, errorStatus: status });
    expect(await client.send("sendEvent", event)).toMatchObject({ kind: "permanent", status });
  });

  it("gives up on GraphQL errors in a 200 answer, quoting GWEN", async () => {
    emulator.setFaults({ graphqlErrorRate: 1 });
    const outcome = await client.send("sendEvent", event);
    expect(outcome).toMatchObject({ kind: "permanent", status: 200 });
    expect(outcome.kind === "permanent" && outcome.message).toBe(
      "GWEN refused the request: GWEN could not process this operation (emulated GraphQL error) (EMULATED_FAULT)",
    );
  });

  it("gives up on a user id GWEN's UUID scalar refuses", async () => {
    const outcome = await client.send("sendEvent", { userId: "user-42", type: "track" });
    expect(outcome).toMatchObject({ kind: "permanent", status: 200 });
    expect(outcome.kind === "permanent" && outcome.message).toMatch(
      /Variable "\$userId" got invalid value "user-42"; UUID cannot represent/,
    );
    expect(emulator.requests()).toEqual([]);
  });

  it("gives up on an endpoint path that is not GWEN's", async () => {
    const wrongPath = new GwenClient({
      apiKey: DEFAULT_EMULATOR_API_KEY,
      endpoint: emulator.url.replace("/graphql", "/gql"),
    });
    const outcome = await wrongPath.send("sendEvent", event);
    await wrongPath.close();
    expect(outcome).toMatchObject({ kind: "permanent", status: 404 });
  });

  it("gives up on a payload that cannot be serialized, without sending it", async () => {
    const circular: Record<string, unknown> = { userId, type: "track" };
    circular.data = circular;
    const outcome = await client.send("sendEvent", circular);
    expect(outcome).toMatchObject({ kind: "permanent", durationMs: 0 });
    expect(outcome.kind === "permanent" && outcome.message).toMatch(/cannot be built.*circular/i);
    expect(emulator.stats().requests).toBe(0);
  });
});

describe("auth", () => {
  it("reports a wrong key as auth, for sends and for ValidateAPIKey", async () => {
    const wrongKey = new GwenClient({ apiKey: "not-the-key", endpoint: emulator.url });
    const outcome = await wrongKey.send("sendEvent", event);
    const validation = await wrongKey.validateApiKey();
    await wrongKey.close();
    expect(outcome).toMatchObject({ kind: "auth", status: 401 });
    expect(outcome.kind === "auth" && outcome.message).toMatch(/Invalid API key.*GWEN_API_KEY/);
    expect(validation).toMatchObject({ ok: false, outcome: { kind: "auth", status: 401 } });
    expect(emulator.requests()).toEqual([]);
  });

  it("reports HTTP 403 as auth", async () => {
    emulator.setFaults({ errorRate: 1, errorStatus: 403 });
    expect(await client.send("sendEvent", event)).toMatchObject({ kind: "auth", status: 403 });
  });

  it("works again once GWEN accepts the key again", async () => {
    emulator.setApiKeys(["rotated-key"]);
    expect(await client.send("sendEvent", event)).toMatchObject({ kind: "auth" });
    emulator.setApiKeys(["rotated-key", DEFAULT_EMULATOR_API_KEY]);
    expect(await client.send("sendEvent", event)).toMatchObject({ kind: "ok" });
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === "object" && address ? address.port : 0;
}

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
