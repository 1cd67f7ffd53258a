import {
  DEFAULT_EMULATOR_API_KEY,
  type Emulator,
  startEmulator,
} from "@gwenmap/gwen-adapter/emulator";
import { Analytics } from "@segment/analytics-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  eventually,
  type ServerProcess,
  SHIPPED_MAPPINGS,
  spawnServer,
  temporaryDataDir,
} from "../../support/server/spawn-server.js";

const WRITE_KEY = "e2e-write-key";
const PLAYER = "5b0e4f2c-7a1d-4c3e-9f8a-2d6b1e0c4a7f";
const VISITOR = "c4d2e8f1-0b3a-4d5c-8e9f-7a6b5c4d3e2f";

let emulator: Emulator;
let data: Awaited<ReturnType<typeof temporaryDataDir>>;
let server: ServerProcess | undefined;

beforeEach(async () => {
  emulator = await startEmulator();
  data = await temporaryDataDir();
});

afterEach(async () => {
  await server?.stop("SIGKILL");
  server = undefined;
  await emulator.close();
  await data.remove();
});

describe("the server process with Segment's own Node.js library", () => {
  it("turns what @segment/analytics-node sends into the GWEN requests of Segment's presets", async () => {
    server = await spawnServer({
      GWENMAP_DATA_DIR: data.dir,
      GWENMAP_MAPPINGS: SHIPPED_MAPPINGS,
      GWENMAP_WRITE_KEYS: `other-key,${WRITE_KEY}`,
      GWEN_API_KEY: DEFAULT_EMULATOR_API_KEY,
      GWEN_ENDPOINT: emulator.url,
      GWENMAP_WATCH: "0",
    });
    const analytics = new Analytics({
      writeKey: WRITE_KEY,
      host: server.url,
      path: "/v1/batch",
      flushAt: 3,
      flushInterval: 100,
    });
    const failures: unknown[] = [];
    analytics.on("error", (error) => failures.push(error));
    analytics.identify({
      userId: PLAYER,
      traits: { name: "Ada" },
      context: { ip: "203.0.113.7", userAgent: "Mozilla/5.0 (X11; Linux x86_64)" },
    });
    analytics.track({
      userId: PLAYER,
      event: "Order Completed",
      properties: { total: 12.5, currency: "SEK", products: [{ sku: "A-1" }] },
    });
    analytics.track({ userId: VISITOR, event: "Level Up", properties: { level: 3 } });
    analytics.page({ userId: VISITOR, name: "Home" });
    analytics.track({ userId: VISITOR, event: "No Properties" });
    await analytics.closeAndFlush();
    expect(failures).toEqual([]);

    const requests = await eventually(
      () => (emulator.requests().length >= 4 ? emulator.requests() : undefined),
      "four GWEN requests",
    );
    const received = requests.map(({ operationName, variables }) => ({ operationName, variables }));
    expect(received).toHaveLength(4);
    expect(received).toEqual(
      expect.arrayContaining([
        {
          operationName: "UserSession",
          variables: {
            userId: PLAYER,
            session: { ip: "203.0.113.7", userAgent: "Mozilla/5.0 (X11; Linux x86_64)" },
          },
        },
        {
          operationName: "SendEvent",
          variables: {
            userId: PLAYER,
            type: "track",
            data: { total: 12.5, currency: "SEK", products: [{ sku: "A-1" }] },
          },
        },
        {
          operationName: "SendEvent",
          variables: { userId: VISITOR, type: "track", data: { level: 3 } },
        },
        { operationName: "SendEvent", variables: { userId: VISITOR, type: "track", data: {} } },
      ]),
    );
    expect(await server.stop("SIGTERM")).toBe(0);
  });

  it("refuses a client with a wrong write key, and delivers nothing of it", async () => {
    server = await spawnServer({
      GWENMAP_DATA_DIR: data.dir,
      GWENMAP_MAPPINGS: SHIPPED_MAPPINGS,
      GWENMAP_WRITE_KEYS: WRITE_KEY,
      GWEN_API_KEY: DEFAULT_EMULATOR_API_KEY,
      GWEN_ENDPOINT: emulator.url,
    });
    const analytics = new Analytics({
      writeKey: "not-the-key",
      host: server.url,
      flushAt: 1,
      maxRetries: 0,
    });
    const failures: unknown[] = [];
    analytics.on("error", (error) => failures.push(error));
    analytics.track({ userId: PLAYER, event: "Sneaky" });
    await analytics.closeAndFlush();
    expect(failures).toHaveLength(1);
    expect(String((failures[0] as { reason?: unknown }).reason ?? failures[0])).toMatch(/401/);
    expect(emulator.requests()).toEqual([]);
  });
});
