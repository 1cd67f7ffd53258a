import type { SegmentCallType } from "@gwenmap/core/browser";

/**
 * One Segment call of each type, to start from when the folder has no
 * fixture for what you are writing. Shaped as Segment's libraries send them.
 */
const userId = "8d6f2a4e-3b1c-4f5e-9a7d-2c1b0e9f8a7d";
const context = { ip: "203.0.113.7", userAgent: "Mozilla/5.0 (X11; Linux x86_64)" };

export const sampleEvents: Readonly<Record<SegmentCallType, Readonly<Record<string, unknown>>>> = {
  track: {
    type: "track",
    event: "Order Completed",
    userId,
    messageId: "sample-track-1",
    timestamp: "2024-05-01T12:00:00.000Z",
    properties: {
      order_id: "50314b8e",
      revenue: 129.95,
      currency: "eur",
      products: [{ sku: "SKU-1", quantity: 2 }],
    },
    context,
  },
  identify: {
    type: "identify",
    userId,
    messageId: "sample-identify-1",
    traits: { name: "Ada Lovelace", email: "ada@example.com", plan: "Pro" },
    context,
  },
  page: {
    type: "page",
    userId,
    messageId: "sample-page-1",
    name: "Pricing",
    category: "Docs",
    properties: { path: "/pricing", url: "https://example.com/pricing", title: "Pricing" },
    context,
  },
  screen: {
    type: "screen",
    userId,
    messageId: "sample-screen-1",
    name: "Level Map",
    properties: { world: 2 },
    context,
  },
  group: {
    type: "group",
    userId,
    messageId: "sample-group-1",
    groupId: "team-42",
    traits: { name: "Insert Coin", plan: "Enterprise", employees: 40 },
    context,
  },
  alias: {
    type: "alias",
    userId,
    previousId: "anonymous-7",
    messageId: "sample-alias-1",
    context,
  },
};
