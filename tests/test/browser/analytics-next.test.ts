import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DEFAULT_EMULATOR_API_KEY,
  type Emulator,
  type RecordedRequest,
  startEmulator,
} from "@gwenmap/gwen-adapter/emulator";
import type { Browser } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { bundleTestPage } from "../../support/browser/bundle-page.js";
import { launchChromium } from "../../support/browser/chromium.js";
import type { PageSetup } from "../../support/browser/page-api.js";
import {
  ELSEWHERE_PATH,
  PAGE_TITLE,
  type PageServer,
  startPageServer,
} from "../../support/browser/page-server.js";
import { openTestPage, type TestPage } from "../../support/browser/test-page.js";
import {
  eventually,
  type ServerProcess,
  SHIPPED_MAPPINGS,
  spawnServer,
  temporaryDataDir,
} from "../../support/server/spawn-server.js";

const WRITE_KEY = "browser-write-key";
const PLAYER = "5b0e4f2c-7a1d-4c3e-9f8a-2d6b1e0c4a7f";

/** Beside the shipped presets (which ignore page calls): page calls become GWEN events too. */
const PAGE_MAPPING = `/**
 * @action sendEvent
 * @trigger type = "page"
 */
{ "userId": userId, "type": "page", "data": { "category": category, "name": name, "properties": properties } }
`;
/** Sends a track call named "Echo" on whole, as the server stored it, to see every field the library sent. */
const ECHO_MAPPING = `/**
 * @action sendEvent
 * @trigger type = "track" and event = "Echo"
 */
{ "userId": userId, "type": "echo", "data": $ }
`;

let browser: Browser;
let pages: PageServer;
let mappingsDir: string;
let emulator: Emulator;
let data: Awaited<ReturnType<typeof temporaryDataDir>>;
let server: ServerProcess | undefined;
const opened: TestPage[] = [];

beforeAll(async () => {
  const [script, launched, mappings] = await Promise.all([
    bundleTestPage(),
    launchChromium(),
    mkdtemp(join(tmpdir(), "gwenmap-browser-mappings-")),
  ]);
  browser = launched;
  mappingsDir = mappings;
  await cp(SHIPPED_MAPPINGS, mappingsDir, { recursive: true });
  await writeFile(join(mappingsDir, "page-view.jsonata"), PAGE_MAPPING);
  await writeFile(join(mappingsDir, "echo.jsonata"), ECHO_MAPPING);
  pages = await startPageServer(script);
});

afterAll(async () => {
  await browser?.close();
  await pages?.close();
  if (mappingsDir) await rm(mappingsDir, { recursive: true, force: true });
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((page) => page.close()));
  await server?.stop("SIGKILL");
  server = undefined;
  await emulator?.close();
  await data?.remove();
});

/** The real server process, delivering to a fresh emulator over loopback. */
async function startServer(env: Record<string, string> = {}): Promise<ServerProcess> {
  emulator = await startEmulator();
  data = await temporaryDataDir();
  server = await spawnServer({
    GWENMAP_DATA_DIR: data.dir,
    GWENMAP_MAPPINGS: mappingsDir,
    GWENMAP_WRITE_KEYS: WRITE_KEY,
    GWEN_API_KEY: DEFAULT_EMULATOR_API_KEY,
    GWEN_ENDPOINT: emulator.url,
    GWENMAP_WATCH: "0",
    ...env,
  });
  return server;
}

/** The test page, from `origin` (the page server's, by default: never the gwenmap server's). */
async function openPage(origin = pages.url): Promise<TestPage> {
  const page = await openTestPage(browser, `${origin}/`);
  opened.push(page);
  return page;
}

function setup(running: ServerProcess, extra: Partial<PageSetup> = {}): PageSetup {
  return {
    writeKey: WRITE_KEY,
    apiHost: `${new URL(running.url).host}/v1`,
    protocol: "http",
    ...extra,
  };
}

async function delivered(count: number, what: string): Promise<RecordedRequest[]> {
  return eventually(
    () => (emulator.requests().length >= count ? emulator.requests() : undefined),
    what,
    20_000,
  );
}

function operations(requests: readonly RecordedRequest[]) {
  return requests.map(({ operationName, variables }) => ({ operationName, variables }));
}

/** The server's count of stored events for one endpoint, from its /metrics. */
async function eventsReceived(running: ServerProcess, endpoint: string): Promise<number> {
  const text = await (await fetch(`${running.url}/metrics`)).text();
  const match = new RegExp(`gwenmap_events_received_total\\{endpoint="${endpoint}"\\} (\\d+)`).exec(
    text,
  );
  return Number(match?.[1] ?? 0);
}

describe("Segment's browser library (@segment/analytics-next) in Chromium", () => {
  it("identifies, tracks and pages from a page on another origin, without Segment's CDN", async () => {
    const running = await startServer();
    const page = await openPage();
    await page.call("load", setup(running));
    const identified = await page.call("identify", PLAYER, { name: "Ada" });
    const tracked = await page.call("track", "Level Up", { level: 3, badges: ["gold"] });
    const paged = await page.call("page", "Docs", "Pricing", { plan: "pro" });
    const echoed = await page.call("track", "Echo", { note: "åäö ✓" });
    for (const result of [identified, tracked, paged, echoed]) {
      expect(result.failed).toBeUndefined();
      expect(result.messageId).toMatch(/^ajs-next-/);
    }

    const requests = await delivered(5, "five GWEN requests");
    expect(requests).toHaveLength(5);
    const userAgent = await page.call("userAgent");
    const echo = requests.find((request) => request.variables.type === "echo");
    // Deliveries run concurrently: GWEN may see them in any order.
    expect(operations(requests.filter((request) => request !== echo))).toEqual(
      expect.arrayContaining([
        // The library sends no context.ip: the server fills it from the request's address, as Segment's does.
        {
          operationName: "UserSession",
          variables: { userId: PLAYER, session: { userAgent, ip: "127.0.0.1" } },
        },
        {
          operationName: "SendEvent",
          variables: { userId: PLAYER, type: "track", data: { level: 3, badges: ["gold"] } },
        },
        {
          operationName: "SendEvent",
          variables: {
            userId: PLAYER,
            type: "page",
            data: {
              category: "Docs",
              name: "Pricing",
              properties: {
                plan: "pro",
                category: "Docs",
                name: "Pricing",
                path: "/",
                referrer: "",
                search: "",
                title: PAGE_TITLE,
                url: `${pages.url}/`,
              },
            },
          },
        },
        {
          operationName: "SendEvent",
          variables: { userId: PLAYER, type: "track", data: { note: "åäö ✓" } },
        },
      ]),
    );
    // Every field the library sent arrives; the write key in its body is never passed on.
    const event = echo?.variables.data as Record<string, unknown>;
    expect(event).not.toHaveProperty("writeKey");
    expect(event).toMatchObject({
      type: "track",
      event: "Echo",
      userId: PLAYER,
      anonymousId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      messageId: echoed.messageId,
      properties: { note: "åäö ✓" },
      context: {
        library: { name: "analytics.js", version: expect.stringMatching(/^npm:next-1\./) },
        page: { path: "/", title: PAGE_TITLE, url: `${pages.url}/` },
        userAgent,
        ip: "127.0.0.1",
      },
      _metadata: { bundled: ["Segment.io"], unbundled: [] },
      timestamp: expect.any(String),
      sentAt: expect.any(String),
      receivedAt: expect.any(String),
    });

    // The short paths, text/plain with the write key in the body and as Basic; nothing to Segment.
    const sent = page.requests.filter((request) => request.url.startsWith(running.url));
    expect(sent.map((request) => new URL(request.url).pathname)).toEqual([
      "/v1/i",
      "/v1/t",
      "/v1/p",
      "/v1/t",
    ]);
    for (const request of sent) {
      expect(request.headers["content-type"]).toBe("text/plain");
      expect(JSON.parse(request.body ?? "")).toMatchObject({ writeKey: WRITE_KEY });
    }
    const elsewhere = page.requests.filter(
      (request) => !request.url.startsWith(running.url) && !request.url.startsWith(pages.url),
    );
    expect(elsewhere).toEqual([]);
    expect(page.consoleErrors).toEqual([]);
  });

  it("batches (deliveryStrategy batching) to /v1/b, and sends what is left when the page is left", async () => {
    const running = await startServer();
    const page = await openPage();
    await page.call("load", setup(running, { batching: { size: 3, timeout: 600_000 } }));
    const userAgent = await page.call("userAgent");
    // Together: the third fills the batch, and its promise settles once the batch is sent.
    await Promise.all([
      page.call("identify", PLAYER, { name: "Ada" }),
      page.call("track", "Batched 1", { n: 1 }),
      page.call("track", "Batched 2", { n: 2 }),
    ]);
    await delivered(3, "the batch's three deliveries");
    const batches = page.requests.filter((request) => request.url === `${running.url}/v1/b`);
    expect(batches).toHaveLength(1);
    const body = JSON.parse(batches[0]?.body ?? "") as { writeKey: string; batch: unknown[] };
    expect(body.writeKey).toBe(WRITE_KEY);
    expect(body.batch).toHaveLength(3);

    // One more stays in the library's buffer (size 3, ten minutes), until the page is left.
    // Its promise settles once it is in the buffer (the dispatcher only schedules a flush).
    expect((await page.call("track", "Left Behind", { n: 3 })).failed).toBeUndefined();
    await page.call(
      "beaconOnUnload",
      `${running.url}/v1/t`,
      JSON.stringify({
        type: "track",
        event: "Beacon",
        userId: PLAYER,
        properties: { via: "sendBeacon" },
        writeKey: WRITE_KEY,
      }),
    );
    expect(await eventsReceived(running, "batch")).toBe(3);
    expect(emulator.requests()).toHaveLength(3);
    await page.page.goto(`${pages.url}${ELSEWHERE_PATH}`);

    const requests = await delivered(5, "the left-behind call and the beacon");
    expect(requests).toHaveLength(5);
    const track = (data: Record<string, unknown>) => ({
      operationName: "SendEvent",
      variables: { userId: PLAYER, type: "track", data },
    });
    expect(operations(requests)).toEqual(
      expect.arrayContaining([
        // Every call of the batch gets the browser's address.
        {
          operationName: "UserSession",
          variables: { userId: PLAYER, session: { userAgent, ip: "127.0.0.1" } },
        },
        track({ n: 1 }),
        track({ n: 2 }),
        track({ n: 3 }),
        track({ via: "sendBeacon" }),
      ]),
    );
    // Sent as the page went (Playwright does not report those requests): a second batch, of
    // one, from the library's keepalive fetch on pagehide, and the beacon's single call.
    expect(await eventsReceived(running, "batch")).toBe(4);
    expect(await eventsReceived(running, "track")).toBe(1);
  });

  it("refuses a page from an origin GWENMAP_CORS_ORIGINS does not list, and takes one it lists", async () => {
    // The same page server under two names: two origins.
    const allowedOrigin = `http://localhost:${pages.port}`;
    const running = await startServer({ GWENMAP_CORS_ORIGINS: allowedOrigin });
    const refused = await openPage(pages.url);
    await refused.call("load", setup(running));
    void refused.call("identify", PLAYER, {});
    void refused.call("track", "From Elsewhere", { n: 1 });
    // A beacon is a simple request: no preflight, so the server itself must refuse it.
    const beacon = { type: "track", event: "Beacon", userId: PLAYER, writeKey: WRITE_KEY };
    expect(await refused.call("beacon", `${running.url}/v1/t`, JSON.stringify(beacon))).toBe(true);
    const refusals = () =>
      refused.answers
        .filter(({ status }) => status === 403)
        .map(({ type, method, url }) => `${type} ${method} ${new URL(url).pathname}`)
        .sort();
    await eventually(() => (refusals().length === 3 ? true : undefined), "three refusals");
    // The library's calls carry Authorization, so Chromium asks first: the preflights got the 403.
    expect(refusals()).toEqual([
      "Ping POST /v1/t",
      "Preflight OPTIONS /v1/i",
      "Preflight OPTIONS /v1/t",
    ]);

    const allowed = await openPage(allowedOrigin);
    await allowed.call("load", setup(running));
    expect((await allowed.call("identify", PLAYER, {})).failed).toBeUndefined();
    expect((await allowed.call("track", "From Home", { n: 2 })).failed).toBeUndefined();
    const requests = await delivered(2, "the allowed page's deliveries");
    expect(operations(requests)).toContainEqual({
      operationName: "SendEvent",
      variables: { userId: PLAYER, type: "track", data: { n: 2 } },
    });
    // Counted when stored: the refused page's calls never were.
    expect(await eventsReceived(running, "track")).toBe(1);
    expect(await eventsReceived(running, "identify")).toBe(1);
  });
});
