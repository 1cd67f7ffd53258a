import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { createEvaluator } from "../evaluator/create-evaluator.js";
import { defaultEvaluationLimits } from "../evaluator/evaluator.js";
import type { PayloadWalker, PlainEvent } from "../evaluator/plain-json.js";
import {
  plainJsonCharsWalked,
  toPlainJsonTrusting,
  toPlainJsonWithin,
} from "../evaluator/plain-json.js";
import { finishPayload } from "./finish-payload.js";
import {
  type BuiltObject,
  builtPayloadOf,
  type PayloadShape,
  payloadShapeOf,
} from "./payload-shape.js";
import { payloadWalkerFor } from "./payload-walker.js";

/**
 * A mapping's generated payload walker must give exactly what the generic
 * walk gives (the same value, the same count, the same refusals), or leave
 * the answer to it. Each test compares the two; some first show the walker
 * did answer, since a walker that always gave up would pass the comparison.
 */

const limits = defaultEvaluationLimits;

function walkerOf(expression: string): PayloadWalker {
  const built = builtPayloadOf(expression, limits);
  if (built === undefined) throw new Error(`no object constructor: ${expression}`);
  const walker = payloadWalkerFor(built);
  if (walker === undefined) throw new Error("new Function refused");
  return walker;
}

type Bounds = { maxChars: number; maxDepth: number };
/** A plain event and where the payload may hold its parts. */
type EventParts = PlainEvent & { shape: PayloadShape };

/** The walker's answer as the walk gives it: the payload itself, and its count. */
function toPlainJsonWalked(
  payload: unknown,
  walker: PayloadWalker,
  rules: { bounds: Bounds; parts?: EventParts | undefined },
) {
  const chars = plainJsonCharsWalked(payload, { bounds: rules.bounds, walker }, rules.parts);
  return chars === undefined ? undefined : { ok: true as const, value: payload, chars };
}

/** The walker's answer beside the walk's: equal, or no answer from the walker. */
function expectSameAsWalk(
  walker: PayloadWalker,
  payload: unknown,
  rules: { bounds: Bounds; parts?: EventParts | undefined },
): ReturnType<typeof toPlainJsonWalked> {
  const { bounds, parts } = rules;
  const walked = toPlainJsonWalked(payload, walker, rules);
  const generic =
    (parts && toPlainJsonTrusting(payload, { bounds, shape: parts.shape }, parts)) ??
    toPlainJsonWithin(payload, bounds.maxChars, bounds.maxDepth);
  if (walked !== undefined) {
    expect(walked).toStrictEqual(generic);
    // answered only for a payload kept as it is
    expect(walked.ok && walked.value).toBe(payload);
  }
  return walked;
}

const reshaping = `{
  "userId": userId,
  "type": $replace($lowercase(event), " ", "_"),
  "data": {
    "orderId": properties.order_id,
    "revenue": $round(properties.revenue, 2),
    "currency": $uppercase(properties.currency),
    "itemCount": $sum(properties.products.quantity),
    "skus": [properties.products.sku],
    "bigSpender": properties.revenue > 100 ? true : false,
    "coupon": properties.coupon ? properties.coupon : undefined,
    "first": properties.first_order = true,
    "none": null,
    "products": properties.products
  }
}`;

function order(properties: Record<string, unknown>): Record<string, unknown> {
  return { type: "track", event: "Order Completed", userId: "u-1", properties };
}

const products = [
  { sku: "a-1", quantity: 2 },
  { sku: "b-2", quantity: 1 },
];

const big = { maxChars: 1_000_000, maxDepth: 1_000 };

describe("the payload walker", () => {
  it("answers for what the reshaping mapping builds, exactly as the walk counts it", () => {
    const walker = walkerOf(reshaping);
    const evaluator = createEvaluator(reshaping, limits);
    const events = [
      order({ order_id: "o-1", revenue: 120.456, currency: "sek", coupon: "x", products }),
      order({ order_id: 7, revenue: -3, currency: "eur", first_order: true, products: [] }),
      order({ order_id: null, revenue: 1e21, currency: "ÿ", products: [products[0]] }),
      order({}),
    ];
    for (const event of events) {
      const payload = evaluator.evaluate(event);
      const walked = expectSameAsWalk(walker, payload, { bounds: big });
      expect(walked?.ok).toBe(true);
    }
  });

  it("refuses too large and too deep payloads as the walk does, leaving the count to it", () => {
    const walker = walkerOf(reshaping);
    const evaluator = createEvaluator(reshaping, limits);
    const payload = evaluator.evaluate(
      order({ order_id: "o".repeat(500), revenue: 1, currency: "x", products }),
    );
    const exact = toPlainJsonWithin(payload, big.maxChars, big.maxDepth);
    expect(exact.ok).toBe(true);
    const chars = exact.ok ? exact.chars : 0;
    // the exact bound answers; one less is too large, and left to the walk, which says where it stopped
    expect(
      toPlainJsonWalked(payload, walker, { bounds: { maxChars: chars, maxDepth: 10 } }),
    ).toEqual(exact);
    expect(
      toPlainJsonWalked(payload, walker, { bounds: { maxChars: chars - 1, maxDepth: 10 } }),
    ).toBeUndefined();
    for (const maxDepth of [1, 2, 3, 4]) {
      const generic = toPlainJsonWithin(payload, big.maxChars, maxDepth);
      const walked = toPlainJsonWalked(payload, walker, {
        bounds: { maxChars: big.maxChars, maxDepth },
      });
      // data.products' objects are the deepest: level 4
      expect(generic.ok).toBe(maxDepth >= 4);
      if (walked !== undefined) expect(walked).toStrictEqual(generic);
      else expect(generic.ok).toBe(false);
    }
  });

  it("counts arrays evaluation made, and their depth, as the walk does", () => {
    const walker = walkerOf('{ "a": $x(), "b": { "c": $y() } }');
    const payloads = [
      { a: [] },
      { a: ["s", 1, true, null] },
      { a: [{ k: 1 }] },
      { a: [[1, [2]]] },
      { b: { c: [[], {}] } },
      { b: { c: [1] } },
    ];
    let answered = 0;
    for (const payload of payloads) {
      for (const maxDepth of [1, 2, 3, 4, 5]) {
        const walked = expectSameAsWalk(walker, payload, { bounds: { maxChars: 100, maxDepth } });
        const generic = toPlainJsonWithin(payload, 100, maxDepth);
        expect(walked === undefined).toBe(!generic.ok);
        if (walked !== undefined) answered++;
      }
    }
    expect(answered).toBe(18);
  });

  it("leaves to the walk what the walk would copy or drop", () => {
    // fields that may be the event's parts (paths), and fields evaluation makes
    const walkers = [
      walkerOf('{ "a": x, "b": { "c": y } }'),
      walkerOf('{ "a": $x(), "b": { "c": $y() } }'),
    ];
    const fn = () => 1;
    const flagged = Object.assign([1, 2], { sequence: true });
    const noPrototype = Object.assign(Object.create(null), { c: 1 });
    const cases: unknown[] = [
      { a: fn },
      { a: 1, b: { c: fn } },
      { a: flagged },
      { a: [1, undefined] },
      { a: undefined },
      { b: { c: undefined } },
      { b: noPrototype },
      Object.assign(Object.create(null), { a: 1 }),
      { a: { inner: fn } },
    ];
    for (const walker of walkers) {
      for (const payload of cases) {
        const generic = toPlainJsonWithin(payload, big.maxChars, big.maxDepth);
        expect(generic.ok && generic.value).not.toBe(payload);
        expect(toPlainJsonWalked(payload, walker, { bounds: big })).toBeUndefined();
      }
    }
  });

  it("reads only the object's own fields, as the walk does", () => {
    const walker = walkerOf('{ "constructor": x, "toString": y, "a": z }');
    const payload = { a: 1 };
    const walked = expectSameAsWalk(walker, payload, { bounds: big });
    expect(walked).toBeUndefined();
    const own = { constructor: "c", toString: 2, a: 1 };
    expect(expectSameAsWalk(walker, own, { bounds: big })?.ok).toBe(true);
  });

  describe("with a polluted Object.prototype", () => {
    afterEach(() => {
      delete (Object.prototype as Record<string, unknown>).a;
    });

    it("does not count an inherited field", () => {
      const walker = walkerOf('{ "a": x, "b": y }');
      (Object.prototype as Record<string, unknown>).a = "inherited";
      const payload = { b: 1 };
      expect(toPlainJsonWithin(payload, big.maxChars, big.maxDepth)).toEqual({
        ok: true,
        value: payload,
        chars: 7,
      });
      expectSameAsWalk(walker, payload, { bounds: big });
    });
  });

  it("trusts the event's parts as toPlainJsonTrusting does", () => {
    const expression = '{ "userId": userId, "type": type, "data": properties }';
    const walker = walkerOf(expression);
    const shape = payloadShapeOf(expression, limits)!;
    const properties = { total: 1, nested: { list: [1, 2] } };
    const event = { type: "track", userId: "u", properties };
    const payload = { userId: "u", type: "track", data: properties };
    const bytes = JSON.stringify(event).length;
    const parts = { event, bytes, shape };
    const walked = expectSameAsWalk(walker, payload, { bounds: big, parts });
    expect(walked?.ok).toBe(true);
    // too large as the event's size bounds it, though not as the walk counts it: the walk decides
    expect(
      toPlainJsonWalked(payload, walker, {
        bounds: { maxChars: 8 * bytes, maxDepth: 1_000 },
        parts,
      }),
    ).toBeUndefined();
    // not the event's own part: walked, not trusted
    const copy = { userId: "u", type: "track", data: { ...properties } };
    expect(expectSameAsWalk(walker, copy, { bounds: big, parts })?.ok).toBe(true);
  });

  it("gives what the walk gives for any values in its fields, and any bounds", () => {
    const walker = walkerOf('{ "a": $x(), "b": { "c": y, "d": { "e": $z() } }, "f": properties }');
    const leaf = fc.oneof(
      { arbitrary: fc.jsonValue({ maxDepth: 4 }), weight: 12 },
      fc.constant(undefined),
      fc.constant(() => 1),
      fc.constant(Object.assign(["s"], { sequence: true })),
      fc.constant(Number.NaN),
      fc.constant(-0),
      fc.double(),
      fc.string({ unit: "binary" }),
    );
    const object = (fields: Record<string, fc.Arbitrary<unknown>>) =>
      fc.record(fields, { requiredKeys: [] });
    // where a constructor stands, its object (whose keys are its literal keys), or whatever else may come
    const notAnObject = leaf.filter(
      (value) => value === null || typeof value !== "object" || Array.isArray(value),
    );
    const built = (fields: Record<string, fc.Arbitrary<unknown>>) =>
      fc.oneof({ arbitrary: object(fields), weight: 6 }, notAnObject);
    const payload = built({
      a: leaf,
      b: built({ c: leaf, d: built({ e: leaf }) }),
      f: leaf,
    });
    const bounds = fc.record({
      maxChars: fc.oneof(fc.integer({ min: 0, max: 400 }), {
        arbitrary: fc.constant(big.maxChars),
        weight: 2,
      }),
      maxDepth: fc.oneof(fc.integer({ min: 0, max: 8 }), {
        arbitrary: fc.constant(big.maxDepth),
        weight: 2,
      }),
    });
    let answered = 0;
    fc.assert(
      fc.property(payload, bounds, fc.boolean(), (value, limits, trusting) => {
        const event = { properties: (value as { f?: unknown } | undefined)?.f };
        const parts = trusting
          ? {
              event,
              bytes: 300,
              shape: payloadShapeOf('{ "f": properties }', defaultEvaluationLimits)!,
            }
          : undefined;
        if (expectSameAsWalk(walker, value, { bounds: limits, parts }) !== undefined) answered++;
      }),
      { numRuns: 2_000 },
    );
    // the comparison proves something only if the walker answered often
    expect(answered).toBeGreaterThan(100);
  });

  it("finishes a payload as without it, Segment's empty-field rule first", () => {
    const walker = walkerOf('{ "a": x, "b": $y(), "n": $z(), "d": { "e": $e(), "f": f } }');
    // "n" may be null; "a" and "b" are dropped when null or empty
    const schema = { type: "object", properties: { n: { type: ["string", "null"] } } };
    const rules = { schema, bounds: big };
    const payloads = [
      { a: "", b: 1 },
      { a: "x", b: null },
      { a: "x", n: null },
      { a: "x", n: "" },
      { a: "x", d: { e: "", f: null } },
      { a: "x", b: () => 1 },
    ];
    for (const payload of payloads) {
      expect(finishPayload(payload, { ...rules, walker })).toStrictEqual(
        finishPayload(payload, rules),
      );
    }
    const kept = payloads[4]!;
    const finished = finishPayload(kept, { ...rules, walker });
    expect(finished.ok && finished.payload).toBe(kept);
  });

  it("keeps field names out of its code", () => {
    const names = [
      'a"b',
      "back\\slash",
      "line\u2028separator",
      "`; globalThis.pwned = 1; `",
      '"]; globalThis.pwned = 1; ["',
      "*/ globalThis.pwned = 1; /*",
      "\n globalThis.pwned = 1 //",
      "lone\ud800surrogate",
      "constructor",
      "c",
      "w.fail()",
    ];
    const built: BuiltObject = new Map<string, BuiltObject | "value">(
      names.map((name) => [name, new Map([[name, "value"]])]),
    );
    const walker = payloadWalkerFor(built)!;
    const payload = Object.fromEntries(names.map((name) => [name, { [name]: name }]));
    expect(expectSameAsWalk(walker, payload, { bounds: big })?.ok).toBe(true);
    expect((globalThis as { pwned?: unknown }).pwned).toBeUndefined();
  });
});
