import type { Outcome } from "./outcome.js";

type SegmentEvent = Record<string, unknown>;

/**
 * A difference from Segment that gwenmap keeps on purpose (each is listed,
 * with its reason, in packages/core/README.md). For an event it `applies`
 * to, `event` and `outcome` bring gwenmap's side to what Segment does: the
 * event as Segment's runtime in effect reads it, and gwenmap's outcome as
 * Segment's would be. Everything else must still agree.
 */
export interface Divergence {
  readonly name: string;
  applies(event: SegmentEvent, segment: Outcome): boolean;
  readonly event?: (event: SegmentEvent) => SegmentEvent;
  readonly outcome?: (outcome: Outcome) => Outcome;
}

export const divergences: readonly Divergence[] = [
  {
    // Segment's runtime reads `event.context.personas` and throws on a null context.
    name: "a null context maps as a missing one; Segment's runtime throws a TypeError",
    applies: (event, segment) => event.context === null && segment.kind === "failed",
    outcome: () => ({ kind: "failed", message: "TypeError" }),
  },
  {
    // JSONata's `context.ip` looks into an array of contexts; Segment's `@path` does not.
    name: "a context that is an array is looked into by JSONata paths; Segment's @path does not",
    applies: (event) => Array.isArray(event.context),
    event: (event) => ({ ...event, context: {} }),
  },
  {
    // Segment's `get` stops at a falsy step and returns it: `$.context.ip` of `context: false` is false.
    name: "a context of false or 0 has no ip for gwenmap; Segment's @path reads the falsy context itself as the ip",
    applies: (event) => event.context === false || event.context === 0,
    event: (event) => ({ ...event, context: { ip: event.context, userAgent: event.context } }),
  },
  {
    // Segment's mapping runtime drops `__proto__` keys; gwenmap keeps them as the data they are.
    name: "a __proto__ key is kept as data; Segment drops it",
    applies: (event) => JSON.stringify(event).includes('"__proto__"'),
    outcome: withoutProtoKeys,
  },
];

function withoutProtoKeys(outcome: Outcome): Outcome {
  if (outcome.kind !== "sent") return outcome;
  return JSON.parse(JSON.stringify(outcome), (key, value) =>
    key === "__proto__" ? undefined : value,
  ) as Outcome;
}
