import { describe, expect, it } from "vitest";
import { unwrapRecord } from "./failure-record.js";

describe("unwrapRecord", () => {
  const event = { type: "track", event: "Order Completed", userId: "u" };

  it("passes a Segment event through, even one with an `event` field", () => {
    expect(unwrapRecord(event)).toEqual({ ok: true, event });
  });

  it("takes a failure record's event and limits it to the listed mappings", () => {
    const record = {
      event,
      mappings: ["send-event"],
      line: 3,
      failure: { code: "E_AUTH", message: "m" },
    };
    expect(unwrapRecord(record)).toEqual({ ok: true, event, only: new Set(["send-event"]) });
  });

  it("re-sends through every mapping when a record lists none", () => {
    const record = { event, line: 3, failure: { code: "E_EVENT_INVALID", message: "m" } };
    expect(unwrapRecord(record)).toEqual({ ok: true, event });
  });

  it("parses a record's text again, which may have been fixed by hand", () => {
    const failure = { code: "E_NOT_JSON", message: "m" };
    expect(unwrapRecord({ text: '{"type":"page"}', line: 1, failure })).toEqual({
      ok: true,
      event: { type: "page" },
    });
    expect(unwrapRecord({ text: "{oops", line: 1, failure })).toMatchObject({
      ok: false,
      text: "{oops",
    });
  });
});
