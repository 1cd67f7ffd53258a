import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { eventSizeRejection, MAX_EVENT_BYTES } from "./event-size.js";
import { SEGMENT_CALL_TYPES, validateEvent } from "./validate-event.js";

const anything = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constant(""),
  fc.string(),
  fc.integer(),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.string(), { maxLength: 2 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
);

/** Events whose every field is anything, the call types often enough to matter. */
const events = fc.record(
  {
    type: fc.oneof(fc.constantFrom(...SEGMENT_CALL_TYPES), anything),
    event: anything,
    userId: anything,
    anonymousId: anything,
    properties: anything,
    traits: anything,
    context: anything,
    messageId: anything,
    timestamp: anything,
  },
  { requiredKeys: [] },
);

const present = (value: unknown) => value !== undefined && value !== null && value !== "";

describe("validateEvent", () => {
  it("refuses exactly what Segment refuses: no call type, no identity, a track without a name", () => {
    let accepted = 0;
    fc.assert(
      fc.property(events, (event) => {
        const expected =
          (SEGMENT_CALL_TYPES as readonly unknown[]).includes(event.type) &&
          (present(event.userId) || present(event.anonymousId)) &&
          (event.type !== "track" || present(event.event));
        const validation = validateEvent(event);
        expect(validation.ok).toBe(expected);
        if (!validation.ok) expect(validation.violations.length).toBeGreaterThan(0);
        accepted += expected ? 1 : 0;
      }),
      { numRuns: 3_000 },
    );
    // both sides of the boundary were explored
    expect(accepted).toBeGreaterThan(300);
    expect(accepted).toBeLessThan(2_700);
  });

  it("refuses what is not an object, saying what it was", () => {
    for (const [value, what] of [
      [null, "null"],
      ["track", "a string"],
      [1, "a number"],
      [[{ type: "track" }], "an array"],
    ] as const) {
      const validation = validateEvent(value);
      expect(validation).toMatchObject({
        ok: false,
        violations: [{ path: "", message: `The event must be a JSON object but it was ${what}.` }],
      });
    }
  });

  it("names the field and the allowed call types", () => {
    expect(validateEvent({ type: "Track", userId: "u" })).toMatchObject({
      ok: false,
      violations: [{ path: "/type", message: expect.stringContaining('but it was "Track"') }],
    });
    expect(validateEvent({ userId: "u" })).toMatchObject({
      ok: false,
      violations: [
        { path: "/type", message: expect.stringContaining("missing the required field 'type'") },
      ],
    });
  });

  it("accepts odd values Segment passes on", () => {
    for (const event of [
      { type: "track", event: 42, userId: 7, properties: ["a"], context: null },
      { type: "identify", anonymousId: { id: 1 }, traits: "x", context: [] },
      { type: "page", userId: "u", name: 3, timestamp: 1_700_000_000 },
      { type: "group", userId: "u" },
      { type: "alias", anonymousId: "a" },
    ]) {
      expect(validateEvent(event).ok).toBe(true);
    }
  });
});

describe("eventSizeRejection", () => {
  it("rejects an event over 32 KB, naming its messageId and size", () => {
    expect(eventSizeRejection(MAX_EVENT_BYTES)).toBeUndefined();
    expect(eventSizeRejection(MAX_EVENT_BYTES + 1, "m-1")).toEqual({
      code: "E_EVENT_TOO_LARGE",
      message: expect.stringMatching(/^event m-1 is 32769 bytes; Segment's limit/),
    });
  });
});
