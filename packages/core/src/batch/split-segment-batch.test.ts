import { describe, expect, it } from "vitest";
import { isSegmentBatch, splitSegmentBatch } from "./split-segment-batch.js";

const now = new Date("2025-03-01T12:00:00.000Z");

describe("isSegmentBatch", () => {
  it("is a body with a batch array that is not itself a call", () => {
    expect(isSegmentBatch({ batch: [] })).toBe(true);
    expect(isSegmentBatch({ batch: [{}], context: {} })).toBe(true);
    expect(isSegmentBatch({ type: "track", batch: [] })).toBe(false);
    expect(isSegmentBatch({ batch: {} })).toBe(false);
    expect(isSegmentBatch([{ batch: [] }])).toBe(false);
  });
});

describe("splitSegmentBatch", () => {
  it("applies the batch's context, integrations and sentAt to each call, the call's own values winning", () => {
    const body = {
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
    };
    const before = JSON.stringify(body);
    const elements = splitSegmentBatch(body, { now });
    expect(elements).toMatchObject([
      {
        index: 0,
        event: {
          messageId: "a",
          context: { ip: "1.2.3.4", library: { name: "analytics-node" } },
          integrations: { All: true },
          sentAt: "2025-03-01T11:59:58.000Z",
          receivedAt: now.toISOString(),
        },
      },
      {
        index: 1,
        event: {
          messageId: "b",
          integrations: { All: true, X: false },
          sentAt: "2025-03-01T11:59:59.000Z",
        },
      },
    ]);
    expect(JSON.stringify(elements)).not.toMatch(/secret/);
    expect(JSON.stringify(body)).toBe(before);
  });

  it("fills messageId (by messageIdFor, else a random one), receivedAt and a clock-corrected timestamp", () => {
    const [first, second] = splitSegmentBatch(
      {
        batch: [
          { type: "track", event: "A", originalTimestamp: "2025-03-01T11:00:00.000Z" },
          { type: "track" },
        ],
        sentAt: "2025-03-01T11:30:00.000Z",
      },
      { now, messageIdFor: (index) => `m-${index}` },
    );
    expect(first).toMatchObject({
      event: { messageId: "m-0", timestamp: "2025-03-01T11:30:00.000Z" },
    });
    // without an originalTimestamp, the time it was received
    expect(second).toMatchObject({ event: { messageId: "m-1", timestamp: now.toISOString() } });
    const [random] = splitSegmentBatch({ batch: [{ type: "track" }] }, { now });
    expect(random).toMatchObject({
      event: { messageId: expect.stringMatching(/^gwenmap-[0-9a-f-]{36}$/) },
    });
  });

  it("removes a writeKey from inside a call and sets the endpoint's type", () => {
    const [first] = splitSegmentBatch(
      { batch: [{ type: "page", writeKey: "k" }] },
      { now, type: "track" },
    );
    expect(first).toMatchObject({ event: { type: "track" } });
    expect(first && "event" in first ? first.event.writeKey : "absent").toBeUndefined();
  });

  it("reports elements that are not objects, keeping the others", () => {
    expect(splitSegmentBatch({ batch: [1, null, [], { type: "track" }] }, { now })).toMatchObject([
      { index: 0, problem: "element 0 is a number, not an event object", value: 1 },
      { index: 1, problem: "element 1 is null, not an event object", value: null },
      { index: 2, problem: "element 2 is an array, not an event object", value: [] },
      { index: 3, event: { type: "track" } },
    ]);
  });

  describe("context.ip from the request's address (clientIp)", () => {
    const clientIp = "203.0.113.7";
    const ipOf = (element: unknown): unknown =>
      (element as { event: { context?: { ip?: unknown } } }).event.context?.ip;

    it("fills it for device libraries and context.direct, keeps a sender's own value", () => {
      const elements = splitSegmentBatch(
        {
          batch: [
            { type: "track", context: { library: { name: "analytics.js" } } },
            { type: "track", context: { library: { name: "analytics-swift" }, ip: null } },
            { type: "track", context: { direct: true, ip: "" } },
            { type: "track", context: { library: { name: "analytics.js" }, ip: "0.0.0.0" } },
            { type: "track", context: { library: { name: "analytics.js" }, ip: "198.51.100.1" } },
          ],
        },
        { now, clientIp },
      );
      expect(elements.map(ipOf)).toEqual([clientIp, clientIp, clientIp, "0.0.0.0", "198.51.100.1"]);
    });

    it("leaves server-side libraries, calls without a library and a context that is not an object alone", () => {
      const elements = splitSegmentBatch(
        {
          batch: [
            { type: "track", context: { library: { name: "@segment/analytics-node" } } },
            { type: "track", context: {} },
            { type: "track", context: { direct: "true" } },
            { type: "track" },
            { type: "track", context: "analytics.js" },
          ],
        },
        { now, clientIp },
      );
      expect(elements.map(ipOf)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    });

    it("applies after the batch's context is merged in, to every call, and changes nothing the client sent", () => {
      const body = {
        batch: [{ type: "track" }, { type: "identify", context: { locale: "sv-SE" } }],
        context: { library: { name: "analytics-swift", version: "1.7.3" } },
      };
      const before = JSON.stringify(body);
      const elements = splitSegmentBatch(body, { now, clientIp });
      expect(elements.map(ipOf)).toEqual([clientIp, clientIp]);
      expect(elements[1]).toMatchObject({ event: { context: { locale: "sv-SE", ip: clientIp } } });
      expect(JSON.stringify(body)).toBe(before);
      expect(elements.map((element) => ("sent" in element ? element.sent : undefined))).toEqual(
        body.batch,
      );
    });

    it("is not filled without a clientIp (the CLI reads events without a request)", () => {
      const [first] = splitSegmentBatch(
        { batch: [{ type: "track", context: { library: { name: "analytics.js" } } }] },
        { now },
      );
      expect(ipOf(first)).toBeUndefined();
    });
  });
});
