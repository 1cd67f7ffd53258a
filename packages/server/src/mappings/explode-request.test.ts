import { describe, expect, it } from "vitest";
import type { StoredRequest } from "../queue/job-store.js";
import { explodeRequest } from "./explode-request.js";

const RECEIVED = Date.parse("2025-03-01T12:00:00.000Z");

function request(kind: StoredRequest["kind"], body: unknown, clientIp?: string): StoredRequest {
  return {
    ...(clientIp === undefined ? {} : { clientIp }),
    id: 1,
    requestId: "r-1",
    kind,
    receivedAt: RECEIVED,
    source: "0",
    events: 1,
    body: JSON.stringify(body),
  };
}

describe("explodeRequest", () => {
  it("stamps a single call with the endpoint's type, a stable messageId, receivedAt and timestamp", () => {
    const [first] = explodeRequest(request("track", { type: "identify", event: "E", userId: "u" }));
    expect(first).toEqual({
      index: 0,
      event: {
        type: "track",
        event: "E",
        userId: "u",
        messageId: "gwenmap-r-1-0",
        receivedAt: "2025-03-01T12:00:00.000Z",
        timestamp: "2025-03-01T12:00:00.000Z",
      },
      sent: { type: "identify", event: "E", userId: "u" },
    });
    expect(explodeRequest(request("track", { event: "E" }))).toEqual(
      explodeRequest(request("track", { event: "E" })),
    );
  });

  it("splits a batch by core's batch rules, each element with its own stable messageId", () => {
    const exploded = explodeRequest(
      request("batch", {
        batch: [{ type: "track", event: "A" }, 7],
        context: { ip: "9.9.9.9" },
        writeKey: "secret",
      }),
    );
    expect(exploded).toEqual([
      {
        index: 0,
        event: {
          type: "track",
          event: "A",
          context: { ip: "9.9.9.9" },
          messageId: "gwenmap-r-1-0",
          receivedAt: "2025-03-01T12:00:00.000Z",
          timestamp: "2025-03-01T12:00:00.000Z",
        },
        sent: { type: "track", event: "A" },
      },
      { index: 1, problem: "element 1 is a number, not an event object", value: 7 },
    ]);
  });

  it("gives a browser call the address its request came from as context.ip", () => {
    const call = { type: "track", event: "E", context: { library: { name: "analytics.js" } } };
    const [browser] = explodeRequest(request("track", call, "203.0.113.7"));
    expect(browser).toMatchObject({ event: { context: { ip: "203.0.113.7" } }, sent: call });
  });
});
