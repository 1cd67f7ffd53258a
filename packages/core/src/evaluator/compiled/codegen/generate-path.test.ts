import jsonata from "jsonata";
import { describe, expect, it } from "vitest";
import { failure, type Outcome } from "../../../../test/evaluation-outcome.js";
import { createEvaluator } from "../../create-evaluator.js";
import type { EvaluationLimits } from "../../evaluator.js";
import { toPlainJson } from "../../plain-json.js";
import { compileExpression } from "../compile-expression.js";
import { run } from "../run-state.js";

/**
 * A path across an array fills its results by index while the items'
 * values are scalars, and adds any other value as jsonata does: the items
 * here mix scalars with what takes the other way (missing fields, null,
 * arrays, objects, arrays of arrays), in every order.
 */

const limits: EvaluationLimits = { timeoutMs: 5_000, maxDepth: 200, maxSequenceLength: 100_000 };

const values: readonly unknown[] = [1, "a", null, [2, 3], [], { x: 4 }, [[5], 6], true, undefined];

/** Every ordered pair and triple of `values` as the `v` fields of `items` (undefined: no field). */
function inputs(): unknown[] {
  const item = (value: unknown) => (value === undefined ? { w: 0 } : { v: value });
  const all: unknown[] = [];
  for (const a of values)
    for (const b of values) {
      all.push({ items: [item(a), item(b)] });
      for (const c of values) all.push({ items: [item(a), item(b), item(c)] });
    }
  all.push({ items: [] }, { items: [1, "x", [1]] }, { items: [{ v: 1 }] });
  return all;
}

const expressions = [
  "items.v",
  "[items.v]",
  "$sum(items[$type(v) = 'number'].v)",
  "$sum(items.v)",
  "$count(items.v)",
  "{'a': items.v, 'b': [items.v]}",
  "items.v.x",
  "[items.v.x]",
];

async function reference(source: string, input: unknown): Promise<Outcome> {
  try {
    return { value: toPlainJson(await jsonata(source).evaluate(input)) };
  } catch (error) {
    return failure(error);
  }
}

function generated(source: string, input: unknown, custom = limits): Outcome {
  const evaluator = createEvaluator(source, custom);
  expect(evaluator.kind).toBe("compiled");
  try {
    return { value: toPlainJson(evaluator.evaluate(input)) };
  } catch (error) {
    return failure(error);
  }
}

describe("paths across arrays in generated code", () => {
  it("give what jsonata gives for any mix of item values", async () => {
    const cases = inputs();
    expect(cases.length).toBeGreaterThan(800);
    for (const source of expressions)
      for (const input of cases)
        expect(generated(source, input), `${source} over ${JSON.stringify(input)}`).toEqual(
          await reference(source, input),
        );
  });

  it("stop at the sequence length limit where the closure compiler stops", () => {
    const custom = { ...limits, maxSequenceLength: 3 };
    const closures = (source: string, input: unknown): Outcome => {
      const compiled = compileExpression(jsonata(source).ast(), custom, { generate: false });
      if (!compiled.ok) throw new Error(compiled.reason);
      try {
        return { value: toPlainJson(compiled.evaluator.evaluate(input)) };
      } catch (error) {
        return failure(error);
      }
    };
    const over = [
      { items: [{ v: 1 }, { v: 2 }, { v: 3 }] },
      { items: [{ v: 1 }, { v: 2 }, { v: 3 }, { v: 4 }] },
      { items: [{ v: 1 }, { v: [2, 3] }] },
      { items: [{ v: 1 }, { v: [2, 3] }, { v: 4 }] },
      { items: [{ v: [1, 2] }, { v: 3 }, { v: 4 }] },
      { items: [{ v: [] }, { v: 1 }, { v: 2 }, { v: 3 }] },
    ];
    const seen = new Set<unknown>();
    for (const source of ["items.v", "[items.v]", "$sum(items.v)"])
      for (const input of over) {
        const outcome = generated(source, input, custom);
        seen.add("code" in outcome ? outcome.code : "value");
        expect(outcome, `${source} over ${JSON.stringify(input)}`).toEqual(closures(source, input));
      }
    // both outcomes were met: some paths stayed within the limit, some did not
    expect([...seen].sort()).toEqual(["D2015", "value"]);
  });

  it("charge the time limit's units the closure compiler charges, summed or not", () => {
    // the units left once the path has run, read by a function from outside jsonata
    const evaluators = new Map<string, (input: unknown) => unknown>();
    const left = (source: string, input: unknown, generate: boolean) => {
      const key = `${generate} ${source}`;
      if (!evaluators.has(key)) {
        const compiled = compileExpression(jsonata(source).ast(), limits, { generate });
        if (!compiled.ok) throw new Error(compiled.reason);
        evaluators.set(key, (data) => compiled.evaluator.evaluate(data, { left: () => run.ticks }));
      }
      return evaluators.get(key)!(input);
    };
    const sums = new Set<unknown>();
    for (const input of inputs())
      for (const source of ["[$sum(items.v), $left()]", "[$sum(a.items.v), $left()]"]) {
        const wrapped = source.includes("a.items") ? { a: input } : input;
        let outcome: unknown;
        try {
          outcome = left(source, wrapped, true);
        } catch (error) {
          outcome = failure(error);
        }
        let expected: unknown;
        try {
          expected = left(source, wrapped, false);
        } catch (error) {
          expected = failure(error);
        }
        expect(outcome, `${source} over ${JSON.stringify(wrapped)}`).toEqual(expected);
        if (Array.isArray(outcome) && typeof outcome[0] === "number") sums.add(outcome[1]);
      }
    // sums of one, two and three numbers were made, each leaving a different number of units
    expect(sums.size).toBeGreaterThan(2);
  });

  it("read the input afresh once a function from outside jsonata has run, which may change it", async () => {
    // blocks run their expressions one after the other, in jsonata too (a constructor's entries start together)
    const read = (change: string) =>
      `($a := properties.a; $c := properties.b.c; $d := ${change}; [$a, $c, $d, properties.a, properties.b.c])`;
    const expressions = [read("$change()"), read("$uppercase('x')"), read("$map([1], $change)")];
    for (const source of expressions) {
      const results: unknown[] = [];
      for (const engine of ["jsonata", "generated"]) {
        const input = { properties: { a: 1, b: { c: 1 } } };
        const change = () => {
          input.properties = { a: 2, b: { c: 2 } };
          return "changed";
        };
        const bindings = { change, uppercase: change };
        if (engine === "jsonata") {
          results.push(toPlainJson(await jsonata(source).evaluate(input, bindings)));
          continue;
        }
        const evaluator = createEvaluator(source, limits);
        expect(evaluator.kind).toBe("compiled");
        results.push(toPlainJson(evaluator.evaluate(input, bindings)));
      }
      // the function did change what the path reads, in jsonata
      expect(results[0], source).toEqual([1, 1, "changed", 2, 2]);
      expect(results[1], source).toEqual(results[0]);
    }
  });
});
