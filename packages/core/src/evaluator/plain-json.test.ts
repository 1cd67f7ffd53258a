import jsonata from "jsonata";
import { describe, expect, it } from "vitest";
import { toPlainJson, toPlainJsonWithin } from "./plain-json.js";

describe("toPlainJson", () => {
  it("drops undefined fields and items, and functions, at any depth", () => {
    const value = { a: 1, b: undefined, c: [1, undefined, () => 2, { d: undefined, e: "x" }] };
    expect(toPlainJson(value)).toStrictEqual({ a: 1, c: [1, { e: "x" }] });
  });

  it("turns jsonata's flagged sequences into ordinary arrays", async () => {
    const raw = (await jsonata("items.sku").evaluate({ items: [{ sku: "a" }, { sku: "b" }] })) as {
      sequence?: boolean;
    };
    expect(raw.sequence).toBe(true);
    const plain = toPlainJson(raw);
    expect(plain).toStrictEqual(["a", "b"]);
    expect(Object.keys(plain as object)).toEqual(["0", "1"]);
  });

  it("copies objects without Object.prototype into ordinary objects", () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1 });
    const plain = toPlainJson({ bare });
    expect(Object.getPrototypeOf((plain as { bare: object }).bare)).toBe(Object.prototype);
    expect(plain).toStrictEqual({ bare: { a: 1 } });
  });

  it("keeps a __proto__ key as data and never as a prototype", () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}}') as object;
    const withUndefined = { ...value, y: undefined };
    const plain = toPlainJson(withUndefined) as Record<string, unknown>;
    expect(Object.hasOwn(plain, "__proto__")).toBe(true);
    expect((plain as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.keys(plain)).toEqual(["__proto__"]);
  });

  it("shares parts that are plain already instead of copying them, leaving the input untouched", () => {
    const properties = { order: { id: "1", items: [{ sku: "a" }] } };
    const input = { properties, dropped: undefined };
    const plain = toPlainJson(input) as { properties: unknown };
    expect(plain).toStrictEqual({ properties: { order: { id: "1", items: [{ sku: "a" }] } } });
    expect(plain.properties).toBe(properties);
    expect(Object.keys(input)).toEqual(["properties", "dropped"]);
    expect(toPlainJson(properties)).toBe(properties);
  });
});

describe("toPlainJsonWithin", () => {
  it("counts what JSON.stringify would write, escapes aside", () => {
    const payload = {
      userId: "u-1",
      type: "Level Up",
      data: { n: 12, ok: true, none: null, list: [1, "a"], big: -1234567, empty: [], bare: {} },
    };
    const exact = JSON.stringify(payload).length;
    expect(toPlainJsonWithin(payload, exact, 10)).toEqual({
      ok: true,
      value: payload,
      chars: exact,
    });
    expect(toPlainJsonWithin(payload, exact - 1, 10)).toMatchObject({ ok: false, over: "chars" });
  });

  it("counts a fraction as the longest a number can be written", () => {
    // {"x":} is 6 characters, and the number counts as 24.
    expect(toPlainJsonWithin({ x: 0.5 }, 30, 10)).toMatchObject({ ok: true, chars: 30 });
    expect(toPlainJsonWithin({ x: 0.5 }, 29, 10)).toEqual({ ok: false, over: "chars", chars: 30 });
  });

  it("counts what it keeps, not what it drops", () => {
    const value = { a: 1, gone: undefined, f: () => 1, list: [1, undefined] };
    expect(toPlainJsonWithin(value, 100, 10)).toEqual({
      ok: true,
      value: { a: 1, list: [1] },
      chars: JSON.stringify({ a: 1, list: [1] }).length,
    });
  });

  it("stops measuring soon after the limit, however big the value", () => {
    const huge = Array.from({ length: 100_000 }, () => "x".repeat(100));
    const result = toPlainJsonWithin(huge, 1_000, 10);
    expect(result).toMatchObject({ ok: false, over: "chars" });
    const { chars } = result as { chars: number };
    expect(chars).toBeGreaterThan(1_000);
    expect(chars).toBeLessThan(1_200);
  });

  it("stops at the depth bound, however deep the value, without overflowing the stack", () => {
    let deep: unknown = "bottom";
    for (let level = 0; level < 1_000_000; level++) deep = level % 2 === 0 ? [deep] : { a: deep };
    expect(toPlainJsonWithin(deep, Number.POSITIVE_INFINITY, 1_000)).toEqual({
      ok: false,
      over: "depth",
      depth: 1_001,
    });
    let exact: unknown = "bottom";
    for (let level = 0; level < 1_000; level++) exact = [exact];
    expect(toPlainJsonWithin(exact, Number.POSITIVE_INFINITY, 1_000)).toMatchObject({ ok: true });
  });

  it("leaves a bound that was passed for the next walk to start afresh", () => {
    expect(toPlainJsonWithin([[[1]]], 100, 2)).toMatchObject({ ok: false, over: "depth" });
    expect(toPlainJsonWithin([[1]], 100, 2)).toMatchObject({ ok: true });
  });

  it("counts and copies only own keys when Object.prototype has been polluted", () => {
    const prototype = Object.prototype as Record<string, unknown>;
    prototype.polluted = "x";
    try {
      const value = { a: 1, f: () => 1 };
      expect(Object.keys(toPlainJson(value) as object)).toEqual(["a"]);
      expect(toPlainJsonWithin({ a: 1 }, 100, 10)).toMatchObject({ ok: true, chars: 7 });
    } finally {
      delete prototype.polluted;
    }
  });
});
