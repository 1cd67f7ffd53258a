import { describe, expect, it } from "vitest";
import { parseJson } from "./parse-json.js";

describe("parseJson", () => {
  it("returns the value of valid JSON", () => {
    expect(parseJson('{"a":[1,"x",null]}')).toEqual({ ok: true, value: { a: [1, "x", null] } });
  });

  it.each([
    {
      text: '{"a":1,}',
      line: 1,
      column: 8,
      message: "a property name (in double quotes) was expected",
    },
    { text: '{\n "a": 1\n "b": 2}', line: 3, column: 2, message: "a comma was expected" },
    { text: '{"a":', line: 1, column: 6, message: "a value was expected" },
    { text: "[1,2", line: 1, column: 5, message: "a closing ] was expected" },
    { text: '{"a":1} trailing', line: 1, column: 9, message: "unexpected character" },
    { text: "", line: 1, column: 1, message: "a value was expected" },
  ])(
    "locates the break in $text at line $line column $column",
    ({ text, line, column, message }) => {
      expect(parseJson(text)).toMatchObject({ ok: false, line, column, message });
    },
  );
});
