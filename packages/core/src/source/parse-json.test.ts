import { describe, expect, it } from "vitest";
import { parseJson } from "./parse-json.js";

describe("parseJson", () => {
  it("returns the value of valid JSON", () => {
    expect(parseJson('{"a":[1,"x",null]}')).toEqual({ ok: true, value: { a: [1, "x", null] } });
  });

  it.each([
    ['{"a":1,}', 1, 8, "a property name (in double quotes) was expected"],
    ['{\n "a": 1\n "b": 2}', 3, 2, "a comma was expected"],
    ['{"a":', 1, 6, "a value was expected"],
    ["[1,2", 1, 5, "a closing ] was expected"],
    ['{"a":1} trailing', 1, 9, "unexpected character"],
    ["", 1, 1, "a value was expected"],
  ])("locates the break in %j at line %i column %i", (text, line, column, message) => {
    expect(parseJson(text)).toMatchObject({ ok: false, line, column, message });
  });
});
