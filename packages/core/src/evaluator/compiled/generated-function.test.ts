import jsonata from "jsonata";
import { describe, expect, it, vi } from "vitest";
import { defaultEvaluationLimits } from "../evaluator.js";
import { compileExpression } from "./compile-expression.js";
import { generatedFunction } from "./generated-function.js";

describe("generatedFunction", () => {
  it("gives every function it makes a source of its own, so V8 never shares one between compilations", () => {
    const body = '"use strict"; return a + 1;';
    const first = generatedFunction<(a: number) => number>("test", ["a"], body)!;
    const second = generatedFunction<(a: number) => number>("test", ["a"], body)!;
    expect(first(1)).toBe(2);
    expect(second(1)).toBe(2);
    expect(first.toString()).not.toBe(second.toString());
    expect(first.toString()).toMatch(/\/\/# sourceURL=gwenmap-test-\d+\.js/);
  });

  it("makes the same expression compiled twice into functions of different sources, with the same results", () => {
    const made = vi.spyOn(globalThis, "Function");
    const expression = '{ "id": userId, "skus": [items.sku], "up": $uppercase(name) }';
    const input = { userId: "u", name: "a", items: [{ sku: "x" }, { sku: "y" }] };
    const compile = () => {
      const result = compileExpression(jsonata(expression).ast(), defaultEvaluationLimits);
      if (!result.ok) throw new Error(result.reason);
      return result.evaluator;
    };
    const [once, twice] = [compile(), compile()];
    const sources = made.mock.calls.map((call) => String(call.at(-1)));
    made.mockRestore();
    const expressions = sources.filter((source) =>
      source.includes("sourceURL=gwenmap-expression-"),
    );
    expect(expressions).toHaveLength(2);
    expect(new Set(expressions).size).toBe(2);
    expect(once.evaluate(input)).toStrictEqual({ id: "u", skus: ["x", "y"], up: "A" });
    expect(twice.evaluate(input)).toStrictEqual(once.evaluate(input));
  });
});
