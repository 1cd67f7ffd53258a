import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.js";
import { mappingFile } from "../mapping-dir.js";
import { engineOf, expectWellFormed, shippedPresets } from "./hostile-engine.js";

let engine: Engine;
let remove: () => Promise<void>;

beforeAll(async () => {
  // The shipped presets, plus a mapping that fires for every event and walks all of it.
  ({ engine, remove } = await engineOf({
    ...shippedPresets(),
    "walk-everything.jsonata": mappingFile(
      "sendEvent",
      "true",
      `{ "userId": userId, "type": $string(type) & ":" & $string($count($keys($))), "data": { "keys": $keys($), "text": $substring($string($), 0, 200), "props": properties ~> $each(function($v, $k) { $k }) } }`,
    ),
  }));
});

afterAll(() => remove());

const uuid = fc.uuid();
const anyText = fc.oneof(
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: "binary" }),
  fc.string(),
);
/** Segment-shaped calls with hostile values in every slot. */
const segmentCall = fc.record(
  {
    type: fc.oneof(
      fc.constantFrom("track", "identify", "page", "screen", "group", "alias"),
      anyText,
      fc.jsonValue(),
    ),
    event: fc.oneof(anyText, fc.jsonValue()),
    userId: fc.oneof(uuid, anyText, fc.integer(), fc.constant(null)),
    anonymousId: fc.oneof(uuid, anyText),
    messageId: fc.oneof(anyText, fc.integer()),
    properties: fc.oneof(fc.jsonValue(), fc.dictionary(anyText, fc.jsonValue())),
    traits: fc.jsonValue(),
    context: fc.oneof(
      fc.record({ ip: fc.oneof(fc.ipV4(), anyText), userAgent: anyText }),
      fc.jsonValue(),
    ),
    timestamp: fc.oneof(
      fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
      anyText,
    ),
  },
  { requiredKeys: [] },
);

/** JSON nested `depth` levels, built without recursion. */
function nested(depth: number, kind: "object" | "array"): unknown {
  let value: unknown = "bottom";
  for (let level = 0; level < depth; level++) value = kind === "object" ? { a: value } : [value];
  return value;
}

describe("the engine fed hostile events", () => {
  it("answers any JSON value with deliveries or rejections, never an exception", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        expectWellFormed(await engine.mapEvent(value));
      }),
      { numRuns: 300 },
    );
  });

  it("answers Segment-shaped calls with hostile fields, and maps the valid track calls", async () => {
    await fc.assert(
      fc.asyncProperty(segmentCall, async (call) => {
        const result = await engine.mapEvent(call);
        expectWellFormed(result);
        if (call.type === "track" && /^[0-9a-f-]{36}$/.test(String(call.userId))) {
          const sent = result.deliveries.find((delivery) => delivery.mapping === "send-event");
          expect(sent?.payload.userId ?? result.rejections[0]?.code).toBeDefined();
        }
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ["objects", "object"],
    ["arrays", "array"],
  ] as const)("survives properties nested 10,000 levels deep in %s", async (_name, kind) => {
    const event = {
      type: "track",
      event: "Deep",
      userId: "8d6f2a4e-3b1c-4f5e-9a7d-2c1b0e9f8a7d",
      properties: { deep: nested(10_000, kind) },
    };
    expectWellFormed(await engine.mapEvent(event));
  });

  it("maps huge strings and wide objects", async () => {
    const wide = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i]));
    const result = await engine.mapEvent({
      type: "track",
      event: "x".repeat(5_000_000),
      userId: "8d6f2a4e-3b1c-4f5e-9a7d-2c1b0e9f8a7d",
      properties: { text: "y".repeat(5_000_000), wide },
    });
    expectWellFormed(result);
    // send-event passes the 5 MB of properties on: too big a payload to store or send.
    const sendEvent = result.rejections.find((rejection) => rejection.mapping === "send-event");
    expect(sendEvent?.code).toBe("E_PAYLOAD_TOO_LARGE");
    expect(
      result.deliveries.find((delivery) => delivery.mapping === "walk-everything"),
    ).toBeDefined();
  });

  it("keeps unicode edge cases intact: lone surrogates, BOM, NUL, RTL marks, astral keys", async () => {
    const strange = [
      "\uD800",
      "\uDFFF",
      "\uFEFF",
      "\u0000",
      "\u202Eevil",
      "𝔘𝔫𝔦",
      "e\u0301",
      "\u2028",
    ];
    const properties = Object.fromEntries(strange.map((text, index) => [text, `${index}${text}`]));
    const result = await engine.mapEvent({
      type: "track",
      event: strange.join(""),
      userId: "8d6f2a4e-3b1c-4f5e-9a7d-2c1b0e9f8a7d",
      properties,
    });
    expectWellFormed(result);
    const sent = result.deliveries.find((delivery) => delivery.mapping === "send-event");
    expect(sent?.payload.data).toEqual(properties);
  });
});
