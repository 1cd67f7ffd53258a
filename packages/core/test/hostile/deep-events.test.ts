import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.js";
import type { MapResult } from "../../src/engine/map-result.js";
import { userId } from "../contracts.js";
import { mappingFile } from "../mapping-dir.js";
import { engineOf, expectWellFormed, shippedPresets } from "./hostile-engine.js";

/**
 * Events nested as deep as Segment's 32 KB allows (16,000 levels of arrays,
 * 5,000 of objects): every walk over event or payload data must survive
 * them, and every mapping must answer with a delivery or a rejection with a
 * code, never an exception.
 */

/** Segment's limit on one event. */
const MAX_EVENT_BYTES = 32 * 1024;

let engine: Engine;
let remove: () => Promise<void>;

beforeAll(async () => {
  ({ engine, remove } = await engineOf({
    ...shippedPresets(),
    // compiled: deep equality, descendants, wildcards, keys, spread, lookups through nested arrays
    "walks.jsonata": mappingFile(
      "sendEvent",
      "properties.deep or traits.deep",
      `{ "userId": userId, "type": "walks", "data": {
        "same": properties.deep = properties.twin,
        "descendants": $count(properties.**),
        "wildcard": $count(properties.deep.*),
        "keys": $count($keys(properties.deep)),
        "spread": $count($spread(properties.deep)),
        "truthy": $boolean(properties.deep),
        "leaves": $count(properties.deep.leaf),
        "distinct": $count($distinct([properties.deep, properties.twin]))
      } }`,
    ),
    // compiled: writes the event as JSON, which JavaScript does recursively
    "stringify.jsonata": mappingFile(
      "sendEvent",
      "true",
      `{ "userId": userId, "type": $substring($string($), 0, 20) }`,
    ),
    // jsonata's interpreter: its own recursive walks
    "fallback.jsonata": mappingFile(
      "sendEvent",
      "$contains(type, /track|identify/)",
      `{ "userId": userId, "type": "fallback", "data": { "n": $count(properties.**), "same": properties.deep = properties.twin } }`,
    ),
  }));
});

afterAll(() => remove());

type Kind = "object" | "array";

/** Characters one level adds around what it holds: `{"leaf":0,"a":}` or `[0,]`-like. */
function levelChars(kind: Kind, sibling: boolean): number {
  if (kind === "array") return sibling ? 4 : 2;
  return sibling ? 16 : 6;
}

/**
 * A value nested `depth` levels deep, the levels' kinds cycling through
 * `pattern`, built from the bottom up (no recursion), with a sibling scalar
 * at every `siblingEvery`-th level so that walks see more than a spine.
 */
function nested(pattern: readonly Kind[], depth: number, siblingEvery: number): unknown {
  let value: unknown = { leaf: "bottom" };
  for (let level = depth - 1; level >= 0; level--) {
    const kind = pattern[level % pattern.length]!;
    const sibling = siblingEvery > 0 && level % siblingEvery === 0;
    if (kind === "array") value = sibling ? [value, 0] : [value];
    else value = sibling ? { leaf: 0, a: value } : { a: value };
  }
  return value;
}

/** How deep `pattern` can go within `budget` characters. */
function depthWithin(pattern: readonly Kind[], budget: number, siblingEvery: number): number {
  let used = 0;
  let depth = 0;
  for (;;) {
    const kind = pattern[depth % pattern.length]!;
    const sibling = siblingEvery > 0 && depth % siblingEvery === 0;
    used += levelChars(kind, sibling);
    if (used > budget) return depth;
    depth++;
  }
}

interface DeepCase {
  readonly type: "track" | "identify";
  readonly field: "properties" | "traits" | "context" | "integrations";
  readonly pattern: readonly Kind[];
  readonly siblingEvery: number;
  /** A share of the deepest the pattern can go within 32 KB. */
  readonly share: number;
  /** An equal copy beside it (for deep equality), the two sharing the 32 KB. */
  readonly twin: boolean;
}

const deepCase: fc.Arbitrary<DeepCase> = fc.record({
  type: fc.constantFrom("track", "identify"),
  field: fc.constantFrom("properties", "traits", "context", "integrations"),
  pattern: fc.oneof(
    fc.constant<Kind[]>(["object"]),
    fc.constant<Kind[]>(["array"]),
    fc.array(fc.constantFrom<Kind>("object", "array"), { minLength: 1, maxLength: 6 }),
  ),
  siblingEvery: fc.integer({ min: 0, max: 50 }),
  share: fc.oneof(fc.constant(1), fc.double({ min: 0.01, max: 1, noNaN: true })),
  twin: fc.boolean(),
});

/** The event of a case: its deep value (and its twin), within 32 KB as JSON. */
function eventOf(deep: DeepCase): Record<string, unknown> {
  const base = {
    type: deep.type,
    event: "Deep",
    userId,
    messageId: "m-deep",
    [deep.field]: {},
  };
  // JSON.stringify cannot write the deep event (that is the point), so its size is counted
  const frame = JSON.stringify(base).length + '"deep":,"twin":'.length + 2 * 18;
  const budget = Math.floor((MAX_EVENT_BYTES - frame) / (deep.twin ? 2 : 1));
  const depth = Math.max(
    1,
    Math.floor(depthWithin(deep.pattern, budget, deep.siblingEvery) * deep.share),
  );
  const value = () => nested(deep.pattern, depth, deep.siblingEvery);
  return {
    ...base,
    [deep.field]: deep.twin ? { deep: value(), twin: value() } : { deep: value() },
  };
}

function rejectionOf(result: MapResult, mapping: string) {
  return result.rejections.find((rejection) => rejection.mapping === mapping);
}

describe("events nested as deep as 32 KB allows", () => {
  it("are answered with deliveries or rejections with a code, by every mapping", async () => {
    await fc.assert(
      fc.asyncProperty(deepCase, async (deep) => {
        const result = await engine.mapEvent(eventOf(deep));
        expectWellFormed(result);
        const answered = new Set([
          ...result.deliveries.map((delivery) => delivery.mapping),
          ...result.rejections.map((rejection) => rejection.mapping),
        ]);
        // the mappings that fire for every such event each answered
        expect(answered).toContain("stringify");
        expect(answered).toContain("fallback");
        if (deep.field === "properties") expect(answered).toContain("walks");
      }),
      { numRuns: 80 },
    );
  });

  it("an 18 KB event nested 3,000 levels under Send Event: a rejection with a code, not an exception", async () => {
    let deep: unknown = "bottom";
    for (let level = 0; level < 3_000; level++) deep = { a: deep };
    const event = {
      type: "track",
      event: "Deep",
      userId,
      messageId: "m-3000",
      properties: { deep },
    };
    const result = await engine.mapEvent(event);
    expectWellFormed(result);
    const sendEvent = rejectionOf(result, "send-event");
    expect(sendEvent?.code).toBe("E_PAYLOAD_TOO_DEEP");
    expect(sendEvent?.message).toMatch(/more than 1000 levels deep.*send-event.*m-3000/);
  });

  it("16,000 levels of arrays: compiled walks give what they give on 5 levels", async () => {
    const arrays = (depth: number) => {
      let value: unknown = { leaf: "bottom" };
      for (let level = 0; level < depth; level++) value = [value];
      return value;
    };
    const eventAt = (depth: number) => ({
      type: "track",
      event: "Deep",
      userId,
      properties: { deep: arrays(depth), twin: arrays(depth) },
    });
    const shallow = await engine.mapEvent(eventAt(5));
    const expected = shallow.deliveries.find((delivery) => delivery.mapping === "walks");
    expect(expected?.payload.data).toMatchObject({ same: true, truthy: true, leaves: 1 });
    const result = await engine.mapEvent(eventAt(16_000));
    expectWellFormed(result);
    const walks = result.deliveries.find((delivery) => delivery.mapping === "walks");
    expect(walks?.payload).toEqual(expected?.payload);
    expect(rejectionOf(result, "send-event")?.code).toBe("E_PAYLOAD_TOO_DEEP");
    expect(rejectionOf(result, "stringify")?.code).toBe("E_EVALUATION_DEPTH");
  });

  it("a payload within the depth bound is delivered whole", async () => {
    let deep: unknown = "bottom";
    for (let level = 0; level < 900; level++) deep = { a: deep };
    const result = await engine.mapEvent({
      type: "track",
      event: "Deep",
      userId,
      properties: { deep },
    });
    const sent = result.deliveries.find((delivery) => delivery.mapping === "send-event");
    expect(sent?.payload.data).toEqual({ deep });
  });
});
