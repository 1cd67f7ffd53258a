import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createAjv } from "../validation/create-ajv.js";
import { acceptsSegmentEvent } from "./accepts-segment-event.js";
import { segmentEventSchema } from "./segment-event-schema.js";

const schemaAccepts = createAjv().compile(segmentEventSchema);

const anyValue = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constant(""),
  fc.string(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
  fc.dictionary(
    fc.constantFrom("traits", "ip", "page"),
    fc.oneof(fc.constant({}), fc.string(), fc.constant([])),
  ),
);

const identity = fc.oneof(fc.string({ minLength: 1 }), fc.integer());
const object = fc.oneof(fc.constant({}), fc.dictionary(fc.string(), fc.string()));

/** What each field looks like when right; the generator mixes these with wrong kinds of values. */
const rightValues = {
  type: fc.constantFrom("track", "identify", "page", "screen", "group", "alias"),
  event: fc.string({ minLength: 1 }),
  userId: identity,
  anonymousId: identity,
  previousId: identity,
  groupId: identity,
  messageId: fc.string(),
  name: fc.oneof(fc.string(), fc.constant(null)),
  properties: object,
  traits: object,
  context: fc.oneof(object, fc.record({ traits: fc.oneof(object, anyValue) })),
  integrations: object,
  timestamp: fc.string(),
  sentAt: fc.string(),
  receivedAt: fc.string(),
  originalTimestamp: fc.string(),
};

/** Events near the schema's edges: each field absent, right, or (less often) of a wrong kind. */
const events = fc.record(
  Object.fromEntries(
    Object.entries(rightValues).map(([name, right]) => [
      name,
      fc.oneof({ weight: 6, arbitrary: right }, { weight: 1, arbitrary: anyValue }),
    ]),
  ),
  { requiredKeys: ["type"] },
);

describe("acceptsSegmentEvent", () => {
  it("accepts exactly what the Segment event schema accepts", () => {
    let accepted = 0;
    fc.assert(
      fc.property(events, (event) => {
        expect(acceptsSegmentEvent(event)).toBe(schemaAccepts(event));
        accepted += schemaAccepts(event) ? 1 : 0;
      }),
      { numRuns: 5_000 },
    );
    // both sides of the boundary were explored
    expect(accepted).toBeGreaterThan(500);
    expect(accepted).toBeLessThan(4_500);
  });

  it("refuses what is not an object, as the schema does", () => {
    for (const value of [null, undefined, "track", 1, [], [{ type: "track" }]]) {
      expect(acceptsSegmentEvent(value)).toBe(false);
      expect(schemaAccepts(value)).toBe(false);
    }
  });

  it("accepts typical calls of every type", () => {
    const userId = "u1";
    for (const event of [
      { type: "track", event: "Order Completed", userId, properties: { revenue: 1 } },
      { type: "identify", anonymousId: 42, traits: { email: "a@b.c" }, context: { traits: {} } },
      { type: "page", userId, name: null },
      { type: "screen", userId, name: "Home" },
      { type: "group", userId, groupId: "g1" },
      { type: "alias", userId, previousId: "p1" },
    ]) {
      expect(acceptsSegmentEvent(event)).toBe(true);
    }
  });
});
