import jsonata from "jsonata";
import { afterEach, describe, expect, it, vi } from "vitest";
import { defaultEvaluationLimits } from "../evaluator.js";
import { compileExpression } from "./compile-expression.js";

/**
 * A compiled expression answers the common call (no bindings, an input
 * that is not an array) through an entry made for it by `new Function`,
 * and every other call through the general evaluation: both must give the
 * same results and the same errors, and evaluation must work where
 * `new Function` is refused.
 */

const expressions = [
  '{ "id": userId, "n": $count(items), "up": $uppercase(name) }',
  "items[price > 1].price",
  "$$.name & $.name",
  "( $x := 2; items.price * $x )",
  "$sum(items.price) / 0",
  "name + 1",
  '$formatNumber(12.5, "#0.00")',
  "$count($)",
  "$[1].name",
  "name",
];

const inputs: unknown[] = [
  { userId: "u", name: "a", items: [{ price: 1 }, { price: 3 }] },
  [{ name: "x", items: [{ price: 2 }] }, { name: "y" }],
  "text",
  undefined,
];

function outcome(run: () => unknown): unknown {
  try {
    return { value: run() };
  } catch (error) {
    const { code, position, message } = error as {
      code?: string;
      position?: number;
      message?: string;
    };
    return { code, position, message };
  }
}

const RealFunction = Function;

/**
 * `new Function` refused, as a content security policy refuses it, for the
 * entry (other generated code has its own fallback, or none), with the
 * text of the entry told by its name. A declaration: `new` refuses arrow functions.
 */
function refuseEntry(...args: string[]): unknown {
  if (args.at(-1)?.includes("function entry(")) throw new EvalError("refused");
  return new RealFunction(...args);
}

function compiled(expression: string) {
  const result = compileExpression(jsonata(expression).ast(), defaultEvaluationLimits);
  if (!result.ok) throw new Error(result.reason);
  return result.evaluator;
}

describe("the common entry of a compiled expression", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("answers as the general evaluation does, errors included", () => {
    let failures = 0;
    for (const expression of expressions) {
      const evaluator = compiled(expression);
      for (const input of inputs) {
        const common = outcome(() => evaluator.evaluate(input));
        // bindings, even none, take the general way
        expect(common).toStrictEqual(outcome(() => evaluator.evaluate(input, {})));
        if ((common as { code?: string }).code !== undefined) failures++;
      }
    }
    // the comparison covered failures too
    expect(failures).toBeGreaterThan(3);
  });

  it("evaluates alike where new Function is refused for it", () => {
    const answers = expressions.map((expression) =>
      inputs.map((input) => outcome(() => compiled(expression).evaluate(input))),
    );
    const refused = vi.spyOn(globalThis, "Function").mockImplementation(refuseEntry);

    const closures = expressions.map((expression) =>
      inputs.map((input) => outcome(() => compiled(expression).evaluate(input))),
    );
    expect(refused.mock.calls.some((call) => String(call.at(-1)).includes("function entry("))).toBe(
      true,
    );
    expect(closures).toStrictEqual(answers);
  });
});
