import type { EvaluatorKind } from "../evaluator/evaluator.js";
import type { Mapping } from "../mapping/mapping.js";

/** Which engine evaluates one part of a mapping, and why jsonata's when it is. */
export interface PartEvaluator {
  readonly kind: EvaluatorKind;
  /** Why the compiled evaluator declined, with the position in the part's source. */
  readonly fallbackReason?: string;
}

/** How a mapping is evaluated: `kind` is "compiled" only when its trigger and its expression both are. */
export interface MappingEvaluators {
  readonly kind: EvaluatorKind;
  readonly trigger: PartEvaluator;
  readonly expression: PartEvaluator;
}

/**
 * Which evaluator runs a mapping's trigger and expression (gwenmap's compiled
 * closures or jsonata's interpreter as the fallback), for front ends to
 * show (`gwenmap validate --verbose`) and count (the server's metrics).
 */
export function evaluatorsOf(mapping: Mapping): MappingEvaluators {
  const trigger = partOf(mapping.triggerEvaluator);
  const expression = partOf(mapping.evaluator);
  const kind =
    trigger.kind === "compiled" && expression.kind === "compiled" ? "compiled" : "jsonata";
  return { kind, trigger, expression };
}

function partOf(evaluator: Mapping["evaluator"]): PartEvaluator {
  return evaluator.fallbackReason === undefined
    ? { kind: evaluator.kind }
    : { kind: evaluator.kind, fallbackReason: evaluator.fallbackReason };
}
