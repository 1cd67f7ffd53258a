import { describe, expect, it } from "vitest";
import type { StoredRequest } from "../queue/job-store.js";
import { explodeRequest } from "./explode-request.js";

const RECEIVED = Date.parse("2025-03-01T12:00:00.000Z");

function request(kind: StoredRequest["kind"], body: unknown): StoredRequest {
  return {
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
    });
    expect(explodeRequest(request("track", { event: "E" }))).toEqual(
      explodeRequest(request("track", { event: "E" })),
    );
  });

  it("applies a batch's context, integrations and sentAt to each call, the call's own values winning", () => {
    const exploded = explodeRequest(
      request("batch", {
        batch: [
          { type: "track", event: "A", messageId: "a", context: { ip: "1.2.3.4" } },
          {
            type: "page",
            messageId: "b",
            sentAt: "2025-03-01T11:59:59.000Z",
            integrations: { X: false },
          },
        ],
        context: { ip: "9.9.9.9", library: { name: "analytics-node" } },
        integrations: { All: true },
        sentAt: "2025-03-01T11:59:58.000Z",
        writeKey: "secret",
      }),
    );
    expect(exploded).toMatchObject([
      {
        event: {
          messageId: "a",
          context: { ip: "1.2.3.4", library: { name: "analytics-node" } },
          integrations: { All: true },
          sentAt: "2025-03-01T11:59:58.000Z",
        },
      },
      {
        event: {
          messageId: "b",
          integrations: { All: true, X: false },
          sentAt: "2025-03-01T11:59:59.000Z",
        },
      },
    ]);
    expect(JSON.stringify(exploded)).not.toMatch(/secret/);
  });

  it("corrects timestamp for the client's clock from sentAt and originalTimestamp, as Segment does", () => {
    const [first] = explodeRequest(
      request("batch", {
        batch: [{ type: "track", event: "A", originalTimestamp: "2025-03-01T11:00:00.000Z" }],
        sentAt: "2025-03-01T11:30:00.000Z",
      }),
    );
    expect(first).toMatchObject({ event: { timestamp: "2025-03-01T11:30:00.000Z" } });
  });

  it("removes a writeKey from inside an event", () => {
    const [first] = explodeRequest(request("webhook", [{ type: "track", writeKey: "k" }]));
    expect(first && "event" in first ? first.event.writeKey : "absent").toBeUndefined();
  });

  it("reports elements of a batch that are not objects, keeping the others", () => {
    const exploded = explodeRequest(request("webhook", [1, null, { type: "track", event: "E" }]));
    expect(exploded).toMatchObject([
      { index: 0, problem: "element 0 is a number, not an event object", value: 1 },
      { index: 1, problem: "element 1 is null, not an event object", value: null },
      { index: 2, event: { type: "track", messageId: "gwenmap-r-1-2" } },
    ]);
  });
});
