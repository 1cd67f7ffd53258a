import jsonata from "jsonata";
import { describe, expect, it } from "vitest";
import { createEvaluator } from "../create-evaluator.js";
import type { EvaluationLimits } from "../evaluator.js";

/**
 * The compiled evaluator's guardrails raise jsonata's own errors, with the
 * same codes and messages, where jsonata with the same limits raises them.
 */

const limits: EvaluationLimits = { timeoutMs: 200, maxDepth: 200, maxSequenceLength: 100_000 };

function failureOf(source: string, input: unknown = {}, custom = limits) {
  const evaluator = createEvaluator(source, custom);
  expect(evaluator.kind).toBe("compiled");
  try {
    evaluator.evaluate(input);
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error(`${source} did not fail`);
}

async function jsonataFailureOf(source: string, input: unknown = {}, custom = limits) {
  const expression = jsonata(source, {
    timeout: custom.timeoutMs,
    stack: custom.maxDepth,
    sequence: custom.maxSequenceLength,
  });
  try {
    await expression.evaluate(input);
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error(`${source} did not fail in jsonata`);
}

describe("the depth limit (D1011)", () => {
  it("stops endless recursion", async () => {
    const source = "($f := function($n) { $n + $f($n + 1) }; $f(0))";
    const failure = failureOf(source);
    expect(failure.code).toBe("D1011");
    expect(failure.message).toBe((await jsonataFailureOf(source)).message);
  });

  it("lets recursion within the limit finish, where jsonata does", async () => {
    const source = "($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(20))";
    const evaluator = createEvaluator(source, limits);
    expect(evaluator.evaluate({})).toBe(20);
    expect(await jsonata(source, { stack: 200 }).evaluate({})).toBe(20);
  });

  it("counts depth as jsonata does, so both stop at the same recursion", async () => {
    const depthOf = async (limit: number) => {
      const custom = { ...limits, maxDepth: limit };
      const source = "($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(12))";
      const compiled = (() => {
        try {
          return createEvaluator(source, custom).evaluate({});
        } catch (error) {
          return (error as { code: string }).code;
        }
      })();
      const reference = await jsonata(source, { stack: limit })
        .evaluate({})
        .catch((error: { code: string }) => error.code);
      return [compiled, reference];
    };
    for (const limit of [40, 60, 70, 71, 72, 73, 80, 100]) {
      const [compiled, reference] = await depthOf(limit);
      expect(compiled, `limit ${limit}`).toBe(reference);
    }
  });
});

describe("the time limit (D1012)", () => {
  it("stops endless tail recursion, which uses no stack", async () => {
    const source = "($loop := function() { $loop() }; $loop())";
    const failure = failureOf(source, {}, { ...limits, timeoutMs: 50 });
    expect(failure.code).toBe("D1012");
    expect(failure.message).toBe(
      "Evaluation timeout after 50 milliseconds. Check for infinite loop",
    );
  });

  it("stops a slow loop over data", () => {
    const source = "$sum([1..20000].($sum([1..20000])))";
    const failure = failureOf(source, {}, { ...limits, timeoutMs: 50 });
    expect(failure.code).toBe("D1012");
  });
});

describe("the time limit holds for any amount of work per step", () => {
  // A step's work is charged by the size of the strings and arrays it takes and makes, so the
  // clock is read as often in a few heavy steps as in many light ones. The bound on the time
  // taken is generous (one step here costs a few milliseconds) so that a loaded machine cannot
  // fail it; before size was charged, the first expression ran for 29 s under a 1 s limit.
  const timeoutMs = 200;
  const slack = 1_000;
  it.each([
    [
      "little work per step: a tail-recursive loop",
      "($loop := function($n) { $loop($n + 1) }; $loop(0))",
    ],
    [
      "little work per step: a fold",
      "$sum([1..1000].$reduce([1..100000], function($a, $v) { $a + $v % 7 }, 0))",
    ],
    ["little work per step: nested paths", "$sum([1..3000].($sum([1..30000])))"],
    [
      "a lot per step: long strings made and measured",
      '$sum([1..900].($length($pad("", 1000000, "x"))))',
    ],
    ["a lot per step: long strings written", '$count([1..900].($string($pad("", 1000000, "x"))))'],
    [
      "a lot per step: long strings split",
      '$sum([1..2000].($count($split($pad("", 100000, "x,"), ","))))',
    ],
    [
      "a lot per step: long strings compared",
      '($s := $pad("", 1000000, "x"); $t := $pad("", 1000000, "x") & ""; $count([1..1000000][$s < $t]))',
    ],
    ["a lot per step: distinct values", "$sum([1..1000].($count($distinct([1..3000]))))"],
    ["a lot per step: sorting", "$sum([1..1000].($count($sort([1..20000]))))"],
  ])("%s", (_name, source) => {
    const started = Date.now();
    const failure = failureOf(source, {}, { ...limits, timeoutMs, maxSequenceLength: 1e7 });
    const elapsed = Date.now() - started;
    expect(failure.code).toBe("D1012");
    expect(elapsed).toBeLessThan(timeoutMs + slack);
  });
});

describe("the sequence limit (D2015)", () => {
  it("rejects a huge range", async () => {
    const source = "[1..1000000]";
    const failure = failureOf(source);
    expect(failure.code).toBe("D2015");
    expect(failure.message).toBe((await jsonataFailureOf(source)).message);
  });

  it("rejects a huge sequence built by a path", async () => {
    const source = "[1..1000].([1..1000])";
    // a generous clock, so that a busy machine cannot make jsonata time out before it reaches the limit
    const patient = { ...limits, timeoutMs: 30_000 };
    const failure = failureOf(source, {}, patient);
    expect(failure.code).toBe("D2015");
    expect(failure.message).toBe((await jsonataFailureOf(source, {}, patient)).message);
  });

  it("rejects a range beyond jsonata's own bound (D2014) whatever the limit", () => {
    const failure = failureOf("[1..20000000]", {}, { ...limits, maxSequenceLength: 1e9 });
    expect(failure.code).toBe("D2014");
  });
});
