import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Emulator, startEmulator } from "@gwenmap/gwen-adapter/emulator";
import { describe, expect, it } from "vitest";
import { cleanupAfterEach } from "../../support/cleanup/cleanups.js";
import {
  type CapturedServer,
  spawnCapturedServer,
} from "../../support/reliability/captured-server.js";
import { basicAuth, batchBody, trackEvent } from "../../support/reliability/events.js";
import {
  eventually,
  SHIPPED_MAPPINGS,
  temporaryDataDir,
} from "../../support/server/spawn-server.js";

const GWEN_API_KEY = "gwen-K3y-7f1c9a-private";
const WRITE_KEYS = ["wk-alpha-S3cret-1", "wk-beta-S3cret-2"];
const ADMIN_TOKEN = "adm-T0ken-9e2b-private";
const SECRETS = [GWEN_API_KEY, ...WRITE_KEYS, ADMIN_TOKEN];
/** The forms a secret may leak in: as is, and inside an HTTP Basic header. */
const LEAK_FORMS = SECRETS.flatMap((secret) => [
  secret,
  Buffer.from(`${secret}:`).toString("base64").slice(0, 16),
]);

/** Stops what each test started, after it, even when it failed or timed out. */
const cleanup = cleanupAfterEach();

/** Everything the server said: its output and every answer it gave. */
class Transcript {
  readonly #parts: string[] = [];

  async call(url: string, init: RequestInit = {}): Promise<Response> {
    const response = await fetch(url, init);
    const body = await response.text();
    this.#parts.push(`${response.status} ${JSON.stringify([...response.headers])} ${body}`);
    return new Response(body, { status: response.status, headers: response.headers });
  }

  text(): string {
    return this.#parts.join("\n");
  }
}

function leaks(text: string): string[] {
  return LEAK_FORMS.flatMap((form) => {
    const at = text.indexOf(form);
    return at === -1 ? [] : [`${form}: …${text.slice(Math.max(0, at - 120), at + 60)}…`];
  });
}

describe("secrets in a whole server run (auth failures, dead letters, replays, a refused GWEN key)", () => {
  it("never appear in its output, answers, metrics, dead letters or queue file", async () => {
    const gwen: Emulator = await startEmulator({ apiKeys: [GWEN_API_KEY] });
    cleanup(() => gwen.close());
    const data = await temporaryDataDir();
    cleanup(() => data.remove());
    const server: CapturedServer = spawnCapturedServer({
      GWENMAP_DATA_DIR: data.dir,
      GWENMAP_MAPPINGS: SHIPPED_MAPPINGS,
      GWENMAP_WRITE_KEYS: WRITE_KEYS.join(","),
      GWENMAP_ADMIN_TOKEN: ADMIN_TOKEN,
      GWEN_API_KEY,
      GWEN_ENDPOINT: gwen.url,
      GWENMAP_WATCH: "0",
      GWENMAP_LOG_LEVEL: "trace",
      GWENMAP_RETRY_BASE_DELAY: "20ms",
      GWENMAP_RETRY_WINDOW: "1s",
    });
    cleanup(() => server.child.kill("SIGKILL"));
    const url = await server.url;
    const said = new Transcript();
    const json = (key: string | undefined, body: string): RequestInit => ({
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(key === undefined ? {} : { authorization: basicAuth(key) }),
      },
      body,
    });
    const admin = (token: string) => ({ authorization: `Bearer ${token}` });

    // Refused write keys: near misses of real ones, in the header and in the body.
    expect(
      (await said.call(`${url}/v1/batch`, json(`${WRITE_KEYS[0]}x`, batchBody(1, 0, 2)))).status,
    ).toBe(401);
    const inBody = JSON.stringify({ ...trackEvent(1, 0), writeKey: `${WRITE_KEYS[1]}x` });
    expect((await said.call(`${url}/v1/track`, json(undefined, inBody))).status).toBe(401);
    expect((await said.call(`${url}/v1/track`, json(WRITE_KEYS[0], "{ broken"))).status).toBe(400);
    // Accepted, with the key in the body as some clients send it.
    const withKey = JSON.stringify({ batch: [trackEvent(1, 1)], writeKey: WRITE_KEYS[1] });
    expect((await said.call(`${url}/v1/batch`, json(undefined, withKey))).status).toBe(200);
    expect(
      (await said.call(`${url}/v1/batch`, json(WRITE_KEYS[0], batchBody(1, 2, 10)))).status,
    ).toBe(200);
    await eventually(() => (gwen.requests().length >= 9 ? true : undefined), "first deliveries");

    // Dead letters: GWEN refuses with 400, and is down past the retry window.
    gwen.setFaults({ failNext: 3, errorStatus: 400 });
    await said.call(`${url}/v1/batch`, json(WRITE_KEYS[0], batchBody(1, 10, 13)));
    gwen.setFaults({ errorRate: 1, errorStatus: 503 });
    await said.call(`${url}/v1/batch`, json(WRITE_KEYS[1], batchBody(1, 13, 16)));
    await eventually(async () => {
      const list = await said.call(`${url}/admin/dead-letters`, { headers: admin(ADMIN_TOKEN) });
      return ((await list.json()) as { items: unknown[] }).items.length >= 6 ? true : undefined;
    }, "six dead letters");
    expect(
      (await said.call(`${url}/admin/dead-letters`, { headers: admin(`${ADMIN_TOKEN}x`) })).status,
    ).toBe(401);

    // GWEN refuses the API key: delivery pauses.
    gwen.setFaults({});
    gwen.setApiKeys(["rotated-elsewhere"]);
    const replay = {
      ...json(undefined, '{"all":true}'),
      headers: { ...admin(ADMIN_TOKEN), "content-type": "application/json" },
    };
    expect((await said.call(`${url}/admin/dead-letters/replay`, replay)).status).toBe(200);
    await eventually(
      () => (server.output().includes("GWEN refuses the API key") ? true : undefined),
      "the pause",
    );
    await said.call(`${url}/healthz`);
    await said.call(`${url}/readyz`);
    gwen.setApiKeys([GWEN_API_KEY]);
    await eventually(
      () => (gwen.requests().length >= 15 ? true : undefined),
      "replayed deliveries",
      30_000,
    );
    await said.call(`${url}/metrics`);
    await said.call(`${url}/admin/dead-letters`, { headers: admin(ADMIN_TOKEN) });

    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    const queue = readFileSync(join(data.dir, "queue.sqlite")).toString("latin1");
    expect(server.output()).toContain("dead-lettered");
    expect(leaks(server.output())).toEqual([]);
    expect(leaks(said.text())).toEqual([]);
    // The queue file keeps request bodies as received, so only the GWEN key is checked there.
    expect(queue.includes(GWEN_API_KEY)).toBe(false);
  }, 60_000);

  it("are not printed when the server refuses to start", async () => {
    const server = spawnCapturedServer({
      GWEN_API_KEY,
      GWENMAP_WRITE_KEYS: WRITE_KEYS.join(","),
      GWENMAP_ADMIN_TOKEN: ADMIN_TOKEN,
      GWENMAP_CONCURRENCY: "many",
    });
    await expect(server.url).rejects.toThrow(/GWENMAP_CONCURRENCY/);
    expect(await server.exited).toBe(1);
    expect(leaks(server.output())).toEqual([]);
  });
});
