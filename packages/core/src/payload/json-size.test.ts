import { describe, expect, it } from "vitest";
import { jsonSizeOver } from "./json-size.js";

describe("jsonSizeOver", () => {
  it("counts what JSON.stringify would write, escapes aside", () => {
    const payload = {
      userId: "u-1",
      type: "Level Up",
      data: { n: 12, ok: true, none: null, list: [1, "a"] },
    };
    const exact = JSON.stringify(payload).length;
    expect(jsonSizeOver(payload, exact)).toBeUndefined();
    expect(jsonSizeOver(payload, exact - 1)).toBe(exact);
  });

  it("counts a fraction as the longest a number can be written", () => {
    // {"x":} is 6 characters, and the number counts as 24.
    expect(jsonSizeOver({ x: 0.5 }, 30)).toBeUndefined();
    expect(jsonSizeOver({ x: 0.5 }, 29)).toBe(30);
  });

  it("leaves out what JSON leaves out", () => {
    expect(jsonSizeOver({ a: 1, gone: undefined }, 7)).toBeUndefined();
  });

  it("stops measuring soon after the limit, however big the value", () => {
    const huge = Array.from({ length: 100_000 }, () => "x".repeat(100));
    const size = jsonSizeOver(huge, 1_000);
    expect(size).toBeGreaterThan(1_000);
    expect(size).toBeLessThan(1_200);
  });
});
