import { type Emulator, startEmulator } from "@gwenmap/gwen-adapter/emulator";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuth, trackEvent } from "../../support/reliability/events.js";
import { rawExchange, slowClients } from "../../support/reliability/raw-http.js";
import { startReliabilityServer, WRITE_KEY } from "../../support/reliability/reliability-server.js";
import { recordResult } from "../../support/reliability/results.js";
import { tally } from "../../support/reliability/tally.js";
import {
  eventually,
  type ServerProcess,
  temporaryDataDir,
} from "../../support/server/spawn-server.js";

/** `GWENMAP_FUZZ_RUNS` raises the number of cases (`npm run fuzz`); CI runs the default. */
const RUNS = Number(process.env.GWENMAP_FUZZ_RUNS ?? 120);
const RUN_ID = 0x6001;
/** Connections that send their headers one byte every 50 ms while valid calls are sent. */
const SLOW_CLIENTS = 200;
/** Bodies above the batch limit (500 KB). */
const OVERSIZED = 500 * 1024;

let gwen: Emulator;
let server: ServerProcess;
let port: number;
let data: Awaited<ReturnType<typeof temporaryDataDir>>;
let validSent = 0;

beforeAll(async () => {
  gwen = await startEmulator();
  data = await temporaryDataDir();
  server = await startReliabilityServer(gwen, data.dir);
  port = Number(new URL(server.url).port);
});

afterAll(async () => {
  await server.stop("SIGKILL");
  await gwen.close();
  await data.remove();
});

/** A valid call between hostile ones: it must be acknowledged, and later delivered. */
async function sendValid(): Promise<void> {
  const response = await fetch(`${server.url}/v1/track`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: basicAuth(WRITE_KEY) },
    body: JSON.stringify(trackEvent(RUN_ID, validSent++)),
  });
  expect(response.status).toBe(200);
}

const endpoints = ["track", "identify", "page", "batch", "webhook", "alias", "nope"];
const contentTypes = [
  undefined,
  "application/json",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=xyz",
  "application/json; charset=utf-16",
  "application/octet-stream",
];
const bodies = fc.oneof(
  fc.string({ unit: "binary", maxLength: 2_000 }),
  fc.uint8Array({ maxLength: 4_000 }).map((bytes) => Buffer.from(bytes)),
  fc.jsonValue({ maxDepth: 6 }).map((value) => JSON.stringify(value) ?? "null"),
  fc
    .array(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })), { maxLength: 20 })
    .map((batch) => JSON.stringify({ batch })),
  fc.jsonValue().map((value) => `${JSON.stringify(value)}`.slice(0, -1)),
  fc.constant("x".repeat(600 * 1024)),
);

describe("hostile HTTP requests against ingestion", () => {
  it("answers random bodies, content types, encodings and keys with 200 or 4xx, never 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          endpoint: fc.constantFrom(...endpoints),
          contentType: fc.constantFrom(...contentTypes),
          encoding: fc.constantFrom(undefined, "gzip", "deflate", "br", "zstd"),
          key: fc.constantFrom("right", "wrong", "none"),
          body: bodies,
        }),
        async ({ endpoint, contentType, encoding, key, body }) => {
          const headers: Record<string, string> = {};
          if (contentType) headers["content-type"] = contentType;
          if (encoding) headers["content-encoding"] = encoding;
          if (key !== "none")
            headers.authorization = basicAuth(key === "right" ? WRITE_KEY : "nope");
          const sent = fetch(`${server.url}/v1/${endpoint}`, { method: "POST", headers, body });
          const response = await sent.catch((error: unknown) => {
            // A body over the limit is refused (413) by its Content-Length before it is read, and the
            // connection closed: the client may then see EPIPE while still writing. Fine, if the server lives.
            if (body.length > OVERSIZED) return undefined;
            throw error;
          });
          if (response === undefined) {
            await sendValid();
            return;
          }
          const text = await response.text();
          expect(
            response.status === 200 || (response.status >= 400 && response.status < 500),
            text,
          ).toBe(true);
          if (response.status === 200) expect(text).toBe('{"success":true}');
          await sendValid();
        },
      ),
      { numRuns: RUNS },
    );
  }, 120_000);

  it("stays up after an oversized body sent as gzip that is not gzip (answered 413 unread)", async () => {
    const response = await fetch(`${server.url}/v1/track`, {
      method: "POST",
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
      body: "x".repeat(600 * 1024),
    });
    expect(response.status).toBe(413);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.child.exitCode).toBeNull();
    await sendValid();
  });

  it("answers an empty body without Content-Type with 400, not 500", async () => {
    for (const endpoint of ["track", "batch", "webhook"]) {
      const response = await fetch(`${server.url}/v1/${endpoint}`, {
        method: "POST",
        headers: { authorization: basicAuth(WRITE_KEY) },
        body: new Uint8Array(0),
      });
      expect(JSON.parse(await response.text())).toMatchObject({
        success: false,
        code: "E_BAD_JSON",
      });
      expect(response.status).toBe(400);
    }
  });

  it("survives truncated bodies, broken framing and oversized headers, and keeps serving", async () => {
    const cases: [string, Buffer | string, boolean][] = [
      [
        "body shorter than Content-Length",
        `POST /v1/track HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: ${basicAuth(WRITE_KEY)}\r\nContent-Length: 500\r\n\r\n{"type":"track","us`,
        true,
      ],
      [
        "broken chunked framing",
        `POST /v1/batch HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n`,
        false,
      ],
      [
        "both Content-Length and chunked",
        "POST /v1/track HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        false,
      ],
      [
        "a 40 KB header",
        `POST /v1/track HTTP/1.1\r\nHost: x\r\nX-Big: ${"b".repeat(40_000)}\r\nContent-Length: 2\r\n\r\n{}`,
        false,
      ],
      ["a garbage request line", "\u0000\u0001GARBAGE / HTTP/9.9\r\n\r\n", false],
      ["a header without a colon", "POST /v1/track HTTP/1.1\r\nHost x\r\n\r\n", false],
      [
        "a negative Content-Length",
        "POST /v1/track HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
        false,
      ],
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...cases),
        fc.nat({ max: 200 }),
        async ([what, bytes, halfClose], cut) => {
          const text = Buffer.from(bytes);
          const sent = halfClose ? text.subarray(0, Math.max(1, text.length - cut)) : text;
          const status = await rawExchange(port, sent, { halfClose });
          expect(status === 0 || (status >= 400 && status < 500), `${what}: ${status}`).toBe(true);
          await sendValid();
        },
      ),
      { numRuns: Math.max(20, Math.floor(RUNS / 4)) },
    );
  }, 60_000);

  it("keeps answering valid requests while slow clients hold connections open", async () => {
    const slow = slowClients(port, SLOW_CLIENTS, 50);
    let heldWhileSending = 0;
    try {
      await eventually(
        () => (slow.open() === SLOW_CLIENTS ? true : undefined),
        "every slow client connected",
      );
      for (let index = 0; index < 20; index++) await sendValid();
      heldWhileSending = slow.open();
    } finally {
      slow.stop();
    }
    // The fault happened: every slow client still held its connection once the valid calls were answered.
    expect(heldWhileSending, "slow connections open after the valid calls").toBe(SLOW_CLIENTS);
    expect(server.child.exitCode).toBeNull();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    await eventually(
      () => (tally(RUN_ID, validSent, [gwen]).lost === 0 ? true : undefined),
      "every valid call delivered",
    );
    const result = tally(RUN_ID, validSent, [gwen]);
    recordResult({
      scenario: `HTTP fuzz (${RUNS} random requests): valid calls between them and ${SLOW_CLIENTS} slow clients`,
      events: result.events,
      delivered: result.delivered,
      duplicates: result.duplicates,
      lost: result.lost,
      note: `${RUNS} random requests and ${Math.max(20, Math.floor(RUNS / 4))} broken ones, all 200 or 4xx`,
    });
    expect([result.lost, result.duplicates]).toEqual([0, 0]);
  });
});
