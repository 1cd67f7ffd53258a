/**
 * The Segment spec (segment.com/docs/connections/spec/) as a JSON Schema:
 * what every call needs, and which fields must be objects. Unknown fields are
 * allowed, as Segment allows them.
 */
const identity = {
  anyOf: [{ type: "string", minLength: 1 }, { type: "number" }],
};

const objectField = { type: "object" };

/** Calls of `type` must carry `field`. */
function requiredFor(type: string, field: string) {
  // biome-ignore lint/suspicious/noThenProperty: `then` is JSON Schema's keyword here, not a promise.
  return { if: { properties: { type: { const: type } } }, then: { required: [field] } } as const;
}

export const segmentEventSchema = {
  $id: "https://gwenmap.dev/schemas/segment-event.json",
  title: "Segment event",
  type: "object",
  required: ["type"],
  properties: {
    type: { title: "Event type", enum: ["track", "identify", "page", "screen", "group", "alias"] },
    event: { title: "Event name", type: "string", minLength: 1 },
    userId: { title: "User ID", ...identity },
    anonymousId: { title: "Anonymous ID", ...identity },
    previousId: { title: "Previous ID", ...identity },
    groupId: { title: "Group ID", ...identity },
    messageId: { title: "Message ID", type: "string" },
    name: { title: "Name", type: ["string", "null"] },
    properties: { title: "Properties", ...objectField },
    traits: { title: "Traits", ...objectField },
    context: {
      title: "Context",
      type: "object",
      properties: { traits: { title: "Context traits", ...objectField } },
    },
    integrations: { title: "Integrations", ...objectField },
    timestamp: { title: "Timestamp", type: "string" },
    sentAt: { title: "Sent at", type: "string" },
    receivedAt: { title: "Received at", type: "string" },
    originalTimestamp: { title: "Original timestamp", type: "string" },
  },
  anyOf: [{ required: ["userId"] }, { required: ["anonymousId"] }],
  allOf: [
    requiredFor("track", "event"),
    requiredFor("group", "groupId"),
    requiredFor("alias", "previousId"),
  ],
} as const;
