import { describe, expect, it } from "vitest";
import { createEvaluator } from "../evaluator/create-evaluator.js";
import { defaultEvaluationLimits } from "../evaluator/evaluator.js";
import type { Mapping } from "../mapping/mapping.js";
import { evaluatorsOf } from "./evaluators-of.js";

function mappingOf(trigger: string, expression: string): Mapping {
  const location = { file: "m.jsonata", line: 1, column: 1 };
  return {
    name: "m",
    file: "m.jsonata",
    action: "sendEvent",
    trigger,
    disabled: false,
    expression,
    triggerLocation: location,
    expressionLocation: location,
    triggerEvaluator: createEvaluator(trigger, defaultEvaluationLimits),
    evaluator: createEvaluator(expression, defaultEvaluationLimits),
  };
}

describe("evaluatorsOf", () => {
  it("calls a mapping compiled when its trigger and expression both are", () => {
    expect(evaluatorsOf(mappingOf('type = "track"', '{"userId": userId}'))).toEqual({
      kind: "compiled",
      trigger: { kind: "compiled" },
      expression: { kind: "compiled" },
    });
  });

  it("says which part fell back to jsonata and why", () => {
    const evaluators = evaluatorsOf(
      mappingOf('type = "track"', '{"t": properties.products#$i[$i = 0].sku}'),
    );
    expect(evaluators.kind).toBe("jsonata");
    expect(evaluators.trigger).toEqual({ kind: "compiled" });
    expect(evaluators.expression.kind).toBe("jsonata");
    expect(evaluators.expression.fallbackReason).toMatch(/positional variable binding/);
  });

  it("counts a fallen-back trigger against the mapping", () => {
    const evaluators = evaluatorsOf(mappingOf("properties#$i[$i = 0]", '{"userId": userId}'));
    expect(evaluators.kind).toBe("jsonata");
    expect(evaluators.trigger.kind).toBe("jsonata");
    expect(evaluators.expression).toEqual({ kind: "compiled" });
  });
});
