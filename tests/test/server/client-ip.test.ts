import { Analytics } from "@segment/analytics-node";
import { describe, expect, it } from "vitest";
import { basicAuth } from "../../support/reliability/events.js";
import { serverProcessEach } from "../../support/server/server-process-each.js";
import { eventually, type ServerProcess } from "../../support/server/spawn-server.js";

const WRITE_KEY = "ip-write-key";
const ADMIN_TOKEN = "ip-admin-token";
const PLAYER = "5b0e4f2c-7a1d-4c3e-9f8a-2d6b1e0c4a7f";
/** Segment's limit for one call, which the server's body limit enforces on the bytes sent. */
const LIMIT = 32 * 1024;

/** Every track call to GWEN with its label and the `context.ip` the server stored it with. */
const ECHO_IP = `/**
 * @action sendEvent
 * @trigger type = "track"
 */
{ "userId": userId, "type": "echo", "data": { "label": event, "ip": context.ip } }
`;
const BROWSER = { library: { name: "analytics.js", version: "npm:next-1.84.3" } };
const NODE = { library: { name: "@segment/analytics-node", version: "2.2.0" } };

const setup = serverProcessEach({ writeKeys: WRITE_KEY, mappings: { "echo-ip": ECHO_IP } });
let server: ServerProcess | undefined;

function start(env: Record<string, string> = {}): Promise<ServerProcess> {
  return setup.start({ GWENMAP_ADMIN_TOKEN: ADMIN_TOKEN, ...env });
}

async function post(path: string, body: string | object, headers: Record<string, string> = {}) {
  const response = await fetch(`${server?.url}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: basicAuth(WRITE_KEY),
      ...headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return response.status;
}

function track(label: string, context: object, extra: object = {}) {
  return { type: "track", event: label, userId: PLAYER, context, ...extra };
}

/** Waits for `count` deliveries and answers each label's `context.ip` (undefined: none). */
async function delivered(count: number): Promise<Record<string, unknown>> {
  const requests = await eventually(
    () => (setup.emulator.requests().length >= count ? setup.emulator.requests() : undefined),
    `${count} deliveries`,
  );
  const ips: Record<string, unknown> = {};
  for (const { variables } of requests) {
    const echoed = variables.data as { label: string; ip?: unknown };
    expect(ips, `${echoed.label} delivered twice`).not.toHaveProperty(echoed.label);
    ips[echoed.label] = echoed.ip;
  }
  return ips;
}

/** A browser call whose JSON is exactly `bytes` long, padded in a property. */
function callOfSize(label: string, bytes: number): string {
  const call = track(label, BROWSER, { properties: { pad: "" } });
  const pad = "x".repeat(bytes - Buffer.byteLength(JSON.stringify(call)));
  const text = JSON.stringify({ ...call, properties: { pad } });
  expect(Buffer.byteLength(text)).toBe(bytes);
  return text;
}

describe("context.ip from the request's address, as Segment's tracking API fills it", () => {
  it("fills it for browser calls only, keeps a sender's own, in every call of a batch, and ignores X-Forwarded-For", async () => {
    server = await start();
    const same = track("Twice", BROWSER, { messageId: "ip-dedupe-1" });
    expect(await post("/v1/track", same)).toBe(200);
    expect(await post("/v1/t", same)).toBe(200);
    expect(await post("/v1/track", track("Browser", BROWSER))).toBe(200);
    expect(await post("/v1/t", track("Own", { ...BROWSER, ip: "198.51.100.23" }))).toBe(200);
    expect(await post("/v1/track", track("Anonymized", { ...BROWSER, ip: "0.0.0.0" }))).toBe(200);
    expect(await post("/v1/track", track("Server", NODE))).toBe(200);
    expect(await post("/v1/track", track("Direct", { ...NODE, direct: true }))).toBe(200);
    expect(await post("/v1/track", track("Bare", {}))).toBe(200);
    expect(
      await post("/v1/track", track("Spoofed", BROWSER), { "x-forwarded-for": "203.0.113.66" }),
    ).toBe(200);
    // The batch's context names the library (as Segment's Swift library sends it): every call gets the address.
    const batch = {
      batch: [
        track("Batch 1", {}),
        track("Batch 2", { locale: "sv-SE" }),
        track("Batch 3", { ip: "192.0.2.44" }),
      ],
      context: { library: { name: "analytics-swift", version: "1.7.3" } },
    };
    expect(await post("/v1/batch", batch)).toBe(200);
    // Exactly 32 KB as sent, with nothing to fill but what the server adds: kept, not pushed over.
    expect(await post("/v1/track", callOfSize("Single 32 KB", LIMIT))).toBe(200);
    const big = `{"batch":[${callOfSize("Batched 32 KB", LIMIT)}]}`;
    expect(await post("/v1/batch", big)).toBe(200);
    expect(await post("/v1/track", callOfSize("Over", LIMIT + 1))).toBe(413);

    const ips = await delivered(13);
    expect(ips).toEqual({
      Twice: "127.0.0.1",
      Browser: "127.0.0.1",
      Own: "198.51.100.23",
      Anonymized: "0.0.0.0",
      // Segment leaves server-side libraries' calls alone: their address is the sender's server.
      Server: undefined,
      Direct: "127.0.0.1",
      Bare: undefined,
      // Not from a trusted proxy: the header is the client's word, not its address.
      Spoofed: "127.0.0.1",
      "Batch 1": "127.0.0.1",
      "Batch 2": "127.0.0.1",
      "Batch 3": "192.0.2.44",
      "Single 32 KB": "127.0.0.1",
      "Batched 32 KB": "127.0.0.1",
    });
    expect(setup.emulator.requests()).toHaveLength(13);
    const failures = await fetch(`${server.url}/admin/dead-letters`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(await failures.json()).toMatchObject({ items: [] });
  });

  it("leaves the calls of Segment's own Node.js library without an address, as Segment's docs say it does for server-side libraries", async () => {
    server = await start();
    const analytics = new Analytics({
      writeKey: WRITE_KEY,
      host: server.url,
      path: "/v1/batch",
      flushAt: 1,
      flushInterval: 50,
    });
    const failures: unknown[] = [];
    analytics.on("error", (error) => failures.push(error));
    analytics.track({ userId: PLAYER, event: "From analytics-node" });
    analytics.track({
      userId: PLAYER,
      event: "Direct from analytics-node",
      context: { direct: true },
    });
    await analytics.closeAndFlush({ timeout: 10_000 });
    expect(failures).toEqual([]);
    expect(await delivered(2)).toEqual({
      "From analytics-node": undefined,
      "Direct from analytics-node": "127.0.0.1",
    });
  });

  it("stores the event with the address it was given (a rejected event shows it)", async () => {
    server = await start();
    // Not a uuid: the Send Event payload is rejected, and kept with the event as stored.
    const call = track("Rejected", BROWSER, { userId: "player-7", messageId: "ip-stored-1" });
    expect(await post("/v1/t", call)).toBe(200);
    const items = await eventually(async () => {
      const answer = await fetch(`${server?.url}/admin/dead-letters`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      const page = (await answer.json()) as { items: { event: Record<string, unknown> }[] };
      return page.items.length > 0 ? page.items : undefined;
    }, "the rejection");
    expect(items).toHaveLength(1);
    expect(items[0]?.event).toMatchObject({
      messageId: "ip-stored-1",
      context: { ...BROWSER, ip: "127.0.0.1" },
    });
  });

  it("takes the client from X-Forwarded-For only when the request comes from a proxy GWENMAP_TRUST_PROXY lists", async () => {
    server = await start({ GWENMAP_TRUST_PROXY: "127.0.0.1" });
    const forwarded = (value: string) => ({ "x-forwarded-for": value });
    expect(await post("/v1/t", track("Forwarded", BROWSER), forwarded("203.0.113.50"))).toBe(200);
    // The leftmost entry is whatever the client wrote; the proxy appended the address it saw.
    expect(await post("/v1/t", track("Chain", BROWSER), forwarded("10.9.9.9, 203.0.113.51"))).toBe(
      200,
    );
    expect(await post("/v1/t", track("IPv6", BROWSER), forwarded("2001:db8::5"))).toBe(200);
    expect(await post("/v1/t", track("No header", BROWSER))).toBe(200);
    expect(await delivered(4)).toEqual({
      Forwarded: "203.0.113.50",
      Chain: "203.0.113.51",
      IPv6: "2001:db8::5",
      "No header": "127.0.0.1",
    });
  });

  it("refuses to start when GWENMAP_TRUST_PROXY would believe anyone's X-Forwarded-For", async () => {
    await expect(start({ GWENMAP_TRUST_PROXY: "true" })).rejects.toThrow(
      /GWENMAP_TRUST_PROXY: "true" would believe X-Forwarded-For/,
    );
    await expect(start({ GWENMAP_TRUST_PROXY: "10.0.0.0/40" })).rejects.toThrow(
      /"10\.0\.0\.0\/40" is not an IP address or CIDR range/,
    );
  });
});
