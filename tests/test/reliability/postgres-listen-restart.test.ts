import { DEFAULT_EMULATOR_API_KEY, startEmulator } from "@gwenmap/gwen-adapter/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metricValue } from "../../support/reliability/metrics.js";
import {
  type PrivatePostgres,
  startPrivatePostgres,
} from "../../support/reliability/private-postgres.js";
import {
  eventually,
  type ServerProcess,
  SHIPPED_MAPPINGS,
  spawnServer,
  temporaryDataDir,
} from "../../support/server/spawn-server.js";

const WRITE_KEY = "listen-restart-write-key";
/** Half the workers' one-second poll: an event delivered within it was not found by polling's luck alone. */
const BOUND_MS = 500;

// This test restarts PostgreSQL: on a cluster of its own, never the shared one.
let cluster: PrivatePostgres;
let data: Awaited<ReturnType<typeof temporaryDataDir>>;
let emulator: Awaited<ReturnType<typeof startEmulator>>;
const receivedAt = new Map<string, number>();
const servers: ServerProcess[] = [];

beforeAll(async () => {
  cluster = await startPrivatePostgres({ maxConnections: 40 });
  data = await temporaryDataDir();
  emulator = await startEmulator({
    onRequest: (request) => receivedAt.set(String(request.variables.userId), Date.now()),
  });
});

afterAll(async () => {
  for (const server of servers) await server.stop("SIGKILL");
  await emulator?.close();
  await data?.remove();
  await cluster?.destroy();
});

async function start(apiKey: string): Promise<ServerProcess> {
  const url = new URL(cluster.url);
  url.searchParams.set("schema", "listen_restart");
  const server = await spawnServer({
    GWENMAP_QUEUE_URL: url.href,
    GWENMAP_DATA_DIR: data.dir,
    GWENMAP_MAPPINGS: SHIPPED_MAPPINGS,
    GWENMAP_WRITE_KEYS: WRITE_KEY,
    GWEN_API_KEY: apiKey,
    GWEN_ENDPOINT: emulator.url,
    GWENMAP_WATCH: "0",
  });
  servers.push(server);
  return server;
}

const wakeups = (server: ServerProcess) => metricValue(server.url, "gwenmap_queue_wakeups_total");

/** Posts one event for `userId` to `server` (retrying 503s while the queue recovers); answers when it was sent. */
async function post(server: ServerProcess, userId: string): Promise<number> {
  for (;;) {
    const sentAt = Date.now();
    const answer = await fetch(`${server.url}/v1/track`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Basic ${Buffer.from(`${WRITE_KEY}:`).toString("base64")}`,
      },
      body: JSON.stringify({ userId, event: "Level Completed" }),
    });
    if (answer.status === 200) return sentAt;
    expect(answer.status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("LISTEN/NOTIFY across a PostgreSQL restart", () => {
  it("the listening connection comes back by itself, and wakes the other instance again", async () => {
    // GWEN refuses the first instance's key: only the second delivers, woken by notifications.
    const taker = await start("refused-by-the-emulator");
    const deliverer = await start(DEFAULT_EMULATOR_API_KEY);
    await eventually(async () => {
      const health = (await (await fetch(`${taker.url}/healthz`)).json()) as { delivery: string };
      return health.delivery === "paused" ? true : undefined;
    }, "the first instance to pause its delivery");
    await post(taker, "00000000-0000-4000-8000-000000000001");
    await eventually(() => receivedAt.get("00000000-0000-4000-8000-000000000001"), "a first event");

    const beforeRestart = await wakeups(deliverer);
    cluster.stop();
    cluster.start();
    // The fault happened: the listening connection broke and the instance said so.
    const broken = await eventually(
      () =>
        deliverer.logs.find((entry) =>
          /listening for other instances' work stopped/.test(
            String((entry.err as { message?: string })?.message),
          ),
        ),
      "the listening connection to break",
    );
    expect(broken).toBeDefined();
    // Listening again, it wakes its workers once for what it may have missed.
    await eventually(
      async () => ((await wakeups(deliverer)) > beforeRestart ? true : undefined),
      "listening again",
      30_000,
    );

    const userId = "00000000-0000-4000-8000-000000000002";
    const before = await wakeups(deliverer);
    const sentAt = await post(taker, userId);
    const deliveredAt = await eventually(
      () => receivedAt.get(userId),
      "the event after the restart",
    );
    expect(await wakeups(deliverer)).toBeGreaterThan(before);
    expect(deliveredAt - sentAt).toBeLessThan(BOUND_MS);
    expect(deliverer.child.exitCode).toBeNull();
  }, 90_000);
});
