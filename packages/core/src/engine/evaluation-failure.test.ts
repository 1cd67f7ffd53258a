import { describe, expect, it } from "vitest";
import { createEvaluator } from "../evaluator/create-evaluator.js";
import { defaultEvaluationLimits } from "../evaluator/evaluator.js";
import type { Mapping } from "../mapping/mapping.js";
import { locateFailure } from "./evaluation-failure.js";

function mappingOf(expression: string): Mapping {
  return {
    name: "m",
    file: "m.jsonata",
    action: "sendEvent",
    trigger: "true",
    disabled: false,
    expression,
    triggerLocation: { file: "m.jsonata", line: 3, column: 13 },
    expressionLocation: { file: "m.jsonata", line: 4, column: 3 },
    triggerEvaluator: createEvaluator("true", defaultEvaluationLimits),
    evaluator: createEvaluator(expression, defaultEvaluationLimits),
  };
}

/** Where the error `expression` raises on `input` is located, as the text from there on. */
async function failingText(expression: string, input: unknown = {}): Promise<string | undefined> {
  const mapping = mappingOf(expression);
  try {
    await mapping.evaluator.evaluate(input);
  } catch (error) {
    const location = locateFailure(mapping, "expression", error as object);
    return location && expression.slice(location.offset);
  }
  throw new Error(`${expression} did not fail`);
}

describe("locateFailure", () => {
  it("places an operator's error at the operator", async () => {
    expect(await failingText('1 + "a"')).toBe('+ "a"');
    expect(await failingText('{ "n": count < "x" }', { count: 1 })).toBe('< "x" }');
  });

  it("places a function's error at its name", async () => {
    expect(await failingText('{ "n": $number("x") }')).toBe('$number("x") }');
    expect(await failingText("foo.bar.$uppercase(1)", { foo: { bar: 1 } })).toBe("$uppercase(1)");
  });

  it("places an error jsonata moves onto `and` or `or` at the operand on its right", async () => {
    expect(await failingText('true and\n  (1 > "x")')).toBe('(1 > "x")');
  });

  it("gives the file's line and column, across the expression's lines", () => {
    const mapping = mappingOf('(\n  $x := 1;\n  $x + "a"\n)');
    expect(locateFailure(mapping, "expression", { position: 19, token: "+" })).toEqual({
      part: "expression",
      offset: 18,
      file: "m.jsonata",
      line: 6,
      column: 6,
    });
    expect(locateFailure(mapping, "expression", { position: 17, token: "x" })).toMatchObject({
      offset: 15,
      line: 6,
      column: 3,
    });
    // on the expression's first line, columns count from where it starts in the file
    expect(locateFailure(mapping, "expression", { position: 1 })).toMatchObject({
      line: 4,
      column: 3,
    });
  });

  it("has no place for an error without a position (the time and depth limits)", () => {
    expect(
      locateFailure(mappingOf("1"), "expression", { code: "D1012" } as object),
    ).toBeUndefined();
  });
});
