import jsonata from "jsonata";
import { describe, expect, it } from "vitest";
import { failure, type Outcome } from "../../../../test/evaluation-outcome.js";
import { defaultEvaluationLimits } from "../../evaluator.js";
import { toPlainJson } from "../../plain-json.js";
import { compileExpression } from "../compile-expression.js";

function compiled(source: string) {
  const result = compileExpression(jsonata(source).ast(), defaultEvaluationLimits);
  if (!result.ok) throw new Error(result.reason);
  return result;
}

async function outcomes(source: string, input: unknown, bindings?: Record<string, unknown>) {
  const outcome = async (run: () => unknown): Promise<Outcome> => {
    try {
      return { value: toPlainJson(await run()) };
    } catch (error) {
      return failure(error);
    }
  };
  return {
    ours: await outcome(() => compiled(source).evaluator.evaluate(input, bindings)),
    jsonata: await outcome(() => jsonata(source).evaluate(input, bindings)),
  };
}

describe("a built-in's call site, written onto it only where a later error may read it", () => {
  it("is not written by a call whose literals leave no place for a function, so nothing can call back", () => {
    const { generatedSource } = compiled('$replace($lowercase(event), " ", "_")');
    expect(generatedSource).toContain("rt.replaceText(");
    expect(generatedSource).not.toContain("rt.markCall(");
  });

  it("is written by every call of a built-in that another call may make call back, and errors are placed as jsonata places them", async () => {
    // the error escapes the outer $replace, which jsonata places at the site last written on $replace: the inner call's
    const callback = 'function($m) { $replace("x", "x", "y") & $uppercase(1) }';
    const sources = [
      `$replace("abc", /b/, ${callback})`,
      `"abc" ~> $replace(/b/, ${callback})`,
      `($r := ${callback}; $replace(event, " ", "_") & $replace("abc", /b/, $r))`,
    ];
    for (const source of sources) {
      expect(compiled(source).generatedSource).toContain("rt.markCall(");
      const { ours, jsonata: theirs } = await outcomes(source, { event: "a b" });
      expect(theirs).toMatchObject({ code: "T0410", position: expect.any(Number) });
      expect(ours, source).toEqual(theirs);
    }
  });

  it("is written where a function may land where the built-in takes one once jsonata puts the context first", async () => {
    const source = '$replace(event, " ", "_") & $replace($f, "_", 1)';
    expect(compiled(source).generatedSource).toContain("rt.markCall(");
    const { ours, jsonata: theirs } = await outcomes(source, { event: "a b" });
    expect(ours).toEqual(theirs);
  });
});
