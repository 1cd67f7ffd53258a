import jsonata from "jsonata";
import { describe, expect, it } from "vitest";
import { toPlainJson } from "./plain-json.js";

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
