import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { contracts, userId } from "../../test/contracts.js";
import { mappingDir, mappingFile } from "../../test/mapping-dir.js";
import { createEngine } from "../engine/create-engine.js";
import type { Engine } from "../engine/engine.js";
import type { MapResult } from "../engine/map-result.js";
import { defaultEvaluationLimits } from "../evaluator/evaluator.js";
import { loadMappings } from "../mapping/load-mappings.js";
import { payloadShapeOf } from "./payload-shape.js";

/**
 * `MapOptions.plainJsonBytes`: the caller says the event is plain JSON, so
 * the parts of it a payload holds as they are need not be walked again.
 * Everything else must be exactly as without it: what evaluation made is
 * still made plain, and the payload bounds still hold.
 */

async function engineFor(
  expressions: Record<string, string>,
  bounds: { maxPayloadChars?: number; maxPayloadDepth?: number } = {},
): Promise<Engine> {
  const files = Object.fromEntries(
    Object.entries(expressions).map(([name, expression]) => [
      `${name}.jsonata`,
      mappingFile("sendEvent", 'type = "track"', expression),
    ]),
  );
  const { dir, remove } = await mappingDir(files);
  const { mappings, errors } = await loadMappings(dir, { contracts });
  await remove();
  if (errors.length > 0) throw new Error(errors.map(String).join("\n"));
  return createEngine({ mappings, contracts, ...bounds });
}

/** The event as a front end has it: parsed from its JSON, with the JSON's size. */
function parsed(event: unknown): { event: unknown; bytes: number } {
  const text = JSON.stringify(event);
  return { event: JSON.parse(text), bytes: Buffer.byteLength(text) };
}

function track(properties: unknown): Record<string, unknown> {
  return { type: "track", event: "Order Completed", userId, messageId: "m-1", properties };
}

/** The engine's result for the event as it is, and for it said plain with its size. */
async function bothWays(engine: Engine, event: unknown): Promise<[MapResult, MapResult]> {
  const input = parsed(event);
  const walked = await engine.mapEvent(input.event);
  const trusted = await engine.mapEvent(input.event, { plainJsonBytes: input.bytes });
  return [walked, trusted];
}

const presetLike = '{ "userId": userId, "type": type, "data": properties }';

describe("the payload's shape", () => {
  it("names the fields that may be the event's own parts, and nothing else", () => {
    const shape = payloadShapeOf(
      `{ "userId": userId, "type": "x", "data": { "all": $, "p": properties, "n": properties.a.b,
         "f": properties[0], "s": $string(properties), "k": properties.items[] } }`,
      defaultEvaluationLimits,
    );
    expect(shape).toEqual(
      new Map<string, unknown>([
        ["userId", ["userId"]],
        [
          "data",
          new Map([
            ["all", []],
            ["p", ["properties"]],
            ["n", ["properties", "a", "b"]],
          ]),
        ],
      ]),
    );
    expect(payloadShapeOf('$merge([{"a": properties}])', defaultEvaluationLimits)).toBeUndefined();
  });
});

describe("plainJsonBytes", () => {
  it("leaves the event's own parts unwalked: a value the claim would not cover stays as it is", async () => {
    const engine = await engineFor({ preset: presetLike });
    const properties = { total: 1, nested: { list: [1, 2] } };
    const event = track(properties);
    const trusted = await engine.mapEvent(event, { plainJsonBytes: 100 });
    const payload = trusted.deliveries[0]!.payload as { data: unknown };
    expect(payload.data).toBe(properties);
    // not plain JSON, so a false claim: taken on trust (the walk would drop it)
    const lied = { total: 1, later: undefined as unknown };
    const kept = await engine.mapEvent(track(lied), { plainJsonBytes: 100 });
    expect(Object.hasOwn((kept.deliveries[0]!.payload as { data: object }).data, "later")).toBe(
      true,
    );
    const walked = await engine.mapEvent(track(lied));
    expect(Object.hasOwn((walked.deliveries[0]!.payload as { data: object }).data, "later")).toBe(
      false,
    );
  });

  it("still makes plain what evaluation made: functions, sequences, undefined fields", async () => {
    const engine = await engineFor({
      made: `{ "userId": userId, "type": "x", "data": { "f": function($x) { $x },
        "skus": properties.items.sku, "gone": nothing, "p": properties,
        "wrapped": { "items": properties.items, "fn": $uppercase } } }`,
    });
    const event = track({ items: [{ sku: "a" }, { sku: "b" }] });
    const [walked, trusted] = await bothWays(engine, event);
    expect(trusted).toStrictEqual(walked);
    const data = (trusted.deliveries[0]!.payload as { data: Record<string, unknown> }).data;
    expect(Object.keys(data)).toEqual(["skus", "p", "wrapped"]);
    const skus = data.skus as unknown[] & { sequence?: boolean };
    expect(skus).toStrictEqual(["a", "b"]);
    expect(skus.sequence).toBeUndefined();
    expect(Object.keys(data.wrapped as object)).toEqual(["items"]);
  });

  it("refuses a payload too large, whether evaluation made it or the event's part is", async () => {
    const engine = await engineFor(
      {
        made: '{ "userId": userId, "type": "x", "data": { "big": $pad("", 5000, "x") } }',
        preset: presetLike,
      },
      // a depth bound the event's size proves, so that the size bound decides
      { maxPayloadChars: 4000, maxPayloadDepth: 10_000 },
    );
    for (const size of [100, 3900, 4100]) {
      const [walked, trusted] = await bothWays(engine, track({ text: "y".repeat(size) }));
      expect(trusted).toStrictEqual(walked);
      const codes = trusted.rejections.map((rejection) => rejection.code);
      expect(codes).toEqual(
        size > 3900 ? ["E_PAYLOAD_TOO_LARGE", "E_PAYLOAD_TOO_LARGE"] : ["E_PAYLOAD_TOO_LARGE"],
      );
    }
  });

  it("refuses a payload too deep when the event's part nests too deep", async () => {
    const engine = await engineFor(
      { preset: presetLike, twice: '{ "userId": userId, "type": "x", "data": [[properties]] }' },
      { maxPayloadDepth: 100 },
    );
    for (const levels of [10, 97, 98, 99, 150, 3000]) {
      let properties: unknown = [];
      for (let level = 1; level < levels; level++) properties = [properties];
      const [walked, trusted] = await bothWays(engine, track(properties));
      expect(trusted).toStrictEqual(walked);
      const deep = trusted.rejections.filter(
        (rejection) => rejection.code === "E_PAYLOAD_TOO_DEEP",
      );
      expect(deep.length).toBe(levels + 2 > 100 ? (levels + 1 > 100 ? 2 : 1) : 0);
    }
  });

  it("gives what the walk gives, for any JSON event and small bounds", async () => {
    const expressions = {
      preset: presetLike,
      parts:
        '{ "userId": userId, "type": "x", "data": { "p": properties, "q": properties.a, "r": properties.a.b, "all": $, "made": [properties.a, "s"] } }',
    };
    // the first takes the event's parts on trust for most events; the second's depth bound is below what their size proves
    const engines = [
      await engineFor(expressions, { maxPayloadChars: 3000 }),
      await engineFor(expressions, { maxPayloadChars: 2000, maxPayloadDepth: 12 }),
    ];
    const properties = fc.oneof(
      fc.jsonValue({ maxDepth: 14 }),
      fc.record({ a: fc.jsonValue({ maxDepth: 14 }) }),
      fc.record({ a: fc.record({ b: fc.jsonValue({ maxDepth: 14 }) }) }),
    );
    await fc.assert(
      fc.asyncProperty(properties, async (value) => {
        for (const engine of engines) {
          const [walked, trusted] = await bothWays(engine, track(value));
          expect(trusted).toStrictEqual(walked);
        }
      }),
      { numRuns: 300 },
    );
  });
});
