import jsonata from "jsonata";
import { afterEach, describe, expect, it, vi } from "vitest";
import { defaultEvaluationLimits } from "../evaluator.js";
import { compileExpression } from "./compile-expression.js";

/**
 * Where a page's content security policy refuses `new Function`, every
 * piece of generated code must have a closure that takes over: compiling
 * must not throw, and results and errors must stay jsonata's.
 */

const expressions = [
  '{ "id": userId, "n": $count(items), "up": $uppercase(name) }',
  "items.price",
  "order.items.sku",
  "order.missing.sku",
  "$sum(order.items.qty)",
  '{ "skus": [order.items.sku], "first": order.items[0].sku, "none": nothing }',
  "items{ $string(price): price }",
  "name.first",
  "name + 1",
];

const inputs: unknown[] = [
  {
    userId: "u",
    name: "a",
    items: [{ price: 1 }, { price: 3 }],
    order: { items: [{ sku: "a", qty: 2 }, { sku: "b", qty: 1 }, { qty: 4 }] },
  },
  { name: null, order: { items: { sku: "only", qty: 7 } } },
  { order: null, items: [] },
  "text",
];

async function outcome(run: () => unknown): Promise<unknown> {
  try {
    return { value: await run() };
  } catch (error) {
    const { code, position } = error as { code?: string; position?: number };
    return { code, position };
  }
}

const RealFunction = Function;

/** `new Function` as a content security policy answers it. A declaration: `new` refuses arrow functions. */
function refuse(): never {
  throw new EvalError("refused by the content security policy");
}

describe("generated code where new Function is refused", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("compiles to closures whose results and errors are jsonata's", async () => {
    const refused = vi.spyOn(globalThis, "Function").mockImplementation(refuse);
    const evaluators = expressions.map((expression) => {
      const result = compileExpression(jsonata(expression).ast(), defaultEvaluationLimits);
      if (!result.ok) throw new Error(`${expression}: ${result.reason}`);
      expect(result.generatedSource, expression).toBeUndefined();
      return result.evaluator;
    });
    // the refusal happened, for more than the whole-expression generator
    expect(refused.mock.calls.length).toBeGreaterThan(expressions.length);
    vi.restoreAllMocks();
    expect(globalThis.Function).toBe(RealFunction);
    let compared = 0;
    for (const [index, expression] of expressions.entries()) {
      for (const input of inputs) {
        const closures = await outcome(() => evaluators[index]!.evaluate(input));
        const reference = await outcome(() => jsonata(expression).evaluate(input));
        expect(
          JSON.parse(JSON.stringify(closures) ?? "null"),
          `${expression} on ${JSON.stringify(input)}`,
        ).toStrictEqual(JSON.parse(JSON.stringify(reference) ?? "null"));
        compared++;
      }
    }
    expect(compared).toBe(expressions.length * inputs.length);
  });
});
