import { describe, expect, it } from "vitest";
import { stampEvent } from "./stamp-event.js";

const now = new Date("2026-11-28T12:00:00.000Z");

describe("stampEvent", () => {
  it("fills messageId, receivedAt and timestamp when missing, without changing the input", () => {
    const input = { type: "track", event: "x" };
    const stamped = stampEvent(input, { now });
    expect(stamped).toMatchObject({ receivedAt: now.toISOString(), timestamp: now.toISOString() });
    expect(stamped.messageId).toMatch(/^gwenmap-[0-9a-f-]{36}$/);
    expect(input).toEqual({ type: "track", event: "x" });
  });

  it("keeps what the client sent", () => {
    const event = {
      messageId: "m-1",
      receivedAt: "2026-01-01T00:00:00.000Z",
      timestamp: "2025-12-31T23:59:00.000Z",
    };
    expect(stampEvent(event, { now })).toEqual(event);
  });

  it("corrects the client's clock as Segment does: receivedAt - (sentAt - originalTimestamp)", () => {
    const stamped = stampEvent(
      { originalTimestamp: "2026-11-28T11:00:00.000Z", sentAt: "2026-11-28T11:00:10.000Z" },
      { now },
    );
    expect(stamped.timestamp).toBe("2026-11-28T11:59:50.000Z");
  });

  it("sets the type the endpoint implies", () => {
    expect(stampEvent({ type: "page" }, { now, type: "track" }).type).toBe("track");
  });
});
