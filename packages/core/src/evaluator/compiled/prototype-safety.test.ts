import jsonata from "jsonata";
import { afterEach, describe, expect, it } from "vitest";
import { createEvaluator } from "../create-evaluator.js";
import { defaultEvaluationLimits } from "../evaluator.js";
import { toPlainJson } from "../plain-json.js";

/**
 * Nothing reachable through a mapping's paths or `$lookup` comes from a
 * prototype, nothing an expression builds can pollute one, and input
 * objects are never modified.
 */

function evaluate(source: string, input: unknown): unknown {
  const evaluator = createEvaluator(source, defaultEvaluationLimits);
  expect(evaluator.kind).toBe("compiled");
  return toPlainJson(evaluator.evaluate(input));
}

async function throughJsonata(source: string, input: unknown): Promise<unknown> {
  return toPlainJson(await jsonata(source).evaluate(input));
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
    Object.freeze(value);
  }
  return value;
}

afterEach(() => {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty("polluted");
});

describe("prototype members", () => {
  const event = { type: "track", properties: { total: 1 } };

  it.each([
    "constructor",
    "__proto__",
    "prototype",
    "toString",
    "properties.constructor",
    "properties.__proto__",
    "properties.constructor.prototype",
    "$lookup($, 'constructor')",
    "$lookup(properties, '__proto__')",
    "$lookup(properties, 'hasOwnProperty')",
    "properties.`__proto__`.polluted",
    "$keys(properties.__proto__)",
    "$.constructor.name",
  ])("%s is undefined, as an own-property lookup says", async (source) => {
    expect(evaluate(source, event)).toBeUndefined();
    expect(await throughJsonata(source, event)).toBeUndefined();
  });

  it("finds own fields named like prototype members", async () => {
    const input = JSON.parse('{"__proto__": {"x": 1}, "constructor": "mine", "prototype": [1, 2]}');
    for (const source of ["__proto__.x", "constructor", "prototype", "$lookup($, '__proto__').x"]) {
      expect(evaluate(source, input)).toEqual(await throughJsonata(source, input));
    }
    expect(evaluate("__proto__.x", input)).toBe(1);
  });
});

describe("building objects", () => {
  it.each([
    '{"__proto__": {"polluted": true}}',
    '{"a": 1, "__proto__": {"polluted": true}}',
    '$merge([{"__proto__": {"polluted": true}}, {"b": 2}])',
    '[{"k": "__proto__", "v": {"polluted": true}}]{k: v}',
    '$spread({"__proto__": {"polluted": true}})',
    "$sift($, function($v) { true })",
  ])("%s pollutes nothing and matches jsonata", async (source) => {
    const input = JSON.parse('{"__proto__": {"polluted": true}}');
    expect(evaluate(source, input)).toEqual(await throughJsonata(source, input));
  });
});

describe("field names in generated code", () => {
  it.each([
    ['`a"b`', { 'a"b': 1 }, 1],
    ["`a\\b`", { "a\\b": 2 }, 2],
    ['`"]; globalThis.hacked = 1; //`', { '"]; globalThis.hacked = 1; //': 3 }, 3],
    ["`\u2028line`", { "\u2028line": 4 }, 4],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a JSONata name that looks like a JS placeholder
    ["`${1}`.`'`", { "${1}": { "'": 5 } }, 5],
  ] as const)("%s is read as data, never run", (source, input, expected) => {
    expect(evaluate(source, input)).toBe(expected);
    expect((globalThis as Record<string, unknown>).hacked).toBeUndefined();
  });

  it("builds objects whose keys look like code", () => {
    const source = '{"\\"]=1;globalThis.hacked=1;//": 1, "a\\u2028b": 2}';
    expect(evaluate(source, {})).toEqual({ '"]=1;globalThis.hacked=1;//': 1, "a\u2028b": 2 });
    expect((globalThis as Record<string, unknown>).hacked).toBeUndefined();
  });
});

describe("input objects", () => {
  it.each([
    "items[]",
    "items[0]",
    "items^(>price)",
    "items{sku: price}",
    "items.{ 'sku': sku }",
    "$sort(items, function($a, $b) { $a.price > $b.price })",
    "$reverse(items)",
    "$distinct(items.sku)",
    "nested.deep[]",
    "$append(items, nested.deep)",
    "$keys(items)",
    "[items, nested.deep][]",
    "$merge(items)",
    "**.price",
    "*.sku",
  ])("%s leaves a frozen input unchanged and matches jsonata", async (source) => {
    const input = deepFreeze({
      items: [
        { sku: "a", price: 2 },
        { sku: "b", price: 1 },
      ],
      nested: { deep: [[1, 2], [3]] },
    });
    const before = JSON.stringify(input);
    expect(evaluate(source, input)).toEqual(await throughJsonata(source, structuredClone(input)));
    expect(JSON.stringify(input)).toBe(before);
  });
});
