import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, type EmulatorFaults, startEmulator } from "../src/emulator/index.js";
import { GwenClient, type GwenClientOptions } from "../src/index.js";

const SECRET = "gwen-secret-7f3a9c1e-Do-Not-Leak";
const event = { userId: "9f0c3b1e-6a4d-4e2b-8c7f-2d5e1a9b3c4d", type: "track" };

/** A server that echoes the Authorization header back in every kind of answer GWEN could give. */
function startEchoServer(): Promise<Server> {
  const server = createServer((request, response) => {
    const key = request.headers.authorization ?? "";
    const mode = new URL(request.url ?? "/", "http://x").searchParams.get("mode");
    const errorBody = JSON.stringify({ errors: [{ message: `key ${key} is not valid here` }] });
    request.resume();
    request.on("end", () => {
      if (mode === "text") {
        response.writeHead(200, { "content-type": "text/html" });
        response.end(`<html>welcome ${key}</html>`);
        return;
      }
      const status = Number(mode ?? 200);
      response.writeHead(status, { "content-type": "application/json", "retry-after": "1" });
      response.end(errorBody);
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

let emulator: Emulator;
let echo: Server;

beforeAll(async () => {
  emulator = await startEmulator({ apiKeys: [SECRET] });
  echo = await startEchoServer();
});
afterAll(async () => {
  await emulator.close();
  await new Promise((resolve) => echo.close(resolve));
});

function leaks(value: unknown): boolean {
  const texts = [
    inspect(value, { showHidden: true, depth: Number.POSITIVE_INFINITY, getters: true }),
    String(value),
  ];
  try {
    texts.push(JSON.stringify(value) ?? "");
  } catch {
    // Circular values are covered by inspect.
  }
  if (value instanceof Error) texts.push(value.message, value.stack ?? "", String(value.cause));
  return texts.some((text) => text.includes(SECRET));
}

async function outcomesWith(options: Partial<GwenClientOptions>, faults: EmulatorFaults = {}) {
  emulator.setFaults(faults);
  const client = new GwenClient({ apiKey: SECRET, endpoint: emulator.url, ...options });
  const controller = new AbortController();
  const aborted = client.send("sendEvent", event, { signal: controller.signal });
  controller.abort();
  const results: unknown[] = [
    await client.send("sendEvent", event),
    await client.sendBatch([
      { action: "sendEvent", payload: event },
      { action: "identifyUser", payload: { userId: "bad" } },
    ]),
    await client.validateApiKey(),
    await aborted,
    client,
  ];
  await client.destroy();
  results.push(await client.send("sendEvent", event));
  return results;
}

describe("the API key never leaks", () => {
  const echoModes = ["200", "400", "401", "403", "429", "500", "501", "text"];

  it.each(echoModes)("from an answer that echoes the key (mode %s)", async (mode) => {
    const port = (echo.address() as AddressInfo).port;
    const results = await outcomesWith({
      endpoint: `http://127.0.0.1:${port}/graphql?mode=${mode}`,
    });
    const messages = results
      .flatMap((result) => [result])
      .map((result) => inspect(result, { depth: 9 }));
    expect(messages.join("\n")).toContain("[redacted]");
    for (const result of results) expect(leaks(result)).toBe(false);
  });

  it.each<[string, EmulatorFaults, Partial<GwenClientOptions>]>([
    ["a drop", { dropRate: 1 }, {}],
    ["a reset mid-response", { resetRate: 1 }, {}],
    ["a stall", { stallRate: 1 }, { headersTimeoutMs: 100 }],
    ["a slow body", { slowBodyRate: 1, slowBodyIntervalMs: 3000 }, { bodyTimeoutMs: 100 }],
    [
      "a 503 storm with retries",
      { errorRate: 1 },
      { retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 } },
    ],
    ["GraphQL errors", { graphqlErrorRate: 1 }, {}],
    ["a rate limit", { rateLimitRate: 1, retryAfterFormat: "date" }, {}],
  ])("from %s", async (_name, faults, options) => {
    const results = await outcomesWith(options, faults);
    expect(
      results.some(
        (result) => inspect(result).includes("retry") || inspect(result).includes("permanent"),
      ),
    ).toBe(true);
    for (const result of results) expect(leaks(result)).toBe(false);
  });

  it("from a refused key and from nothing listening", async () => {
    emulator.setApiKeys(["another-key"]);
    const refused = await outcomesWith({});
    emulator.setApiKeys([SECRET]);
    const nowhere = await outcomesWith({ endpoint: "http://127.0.0.1:1/graphql" });
    expect(refused[0]).toMatchObject({ kind: "auth" });
    expect(nowhere[0]).toMatchObject({ kind: "retry" });
    for (const result of [...refused, ...nowhere]) expect(leaks(result)).toBe(false);
  });

  it("from configuration errors thrown while the key is set", () => {
    const attempts: Partial<GwenClientOptions>[] = [
      { connections: 0 },
      { endpoint: "ftp://gwen/graphql" },
      { endpoint: `http://${SECRET}@ex ample/graphql` },
      { retry: { attempts: -1 } },
      { maxRequestsPerSecond: -5 },
      { apiKey: `${SECRET}\n` },
    ];
    for (const options of attempts) {
      let thrown: unknown;
      try {
        new GwenClient({ apiKey: SECRET, ...options });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(Error);
      expect(leaks(thrown)).toBe(false);
    }
  });

  it("from the client's own endpoint when the URL carried credentials", async () => {
    const client = new GwenClient({
      apiKey: "k",
      endpoint: `http://user:${SECRET}@127.0.0.1:1/graphql`,
    });
    expect(client.endpoint).toBe("http://127.0.0.1:1/graphql");
    expect(leaks(await client.send("sendEvent", event))).toBe(false);
    await client.close();
  });
});
