import { compileExpression } from "./compiled/compile-expression.js";
import type { EvaluationLimits, Evaluator } from "./evaluator.js";
import { createJsonataEvaluator, parseJsonata } from "./jsonata-evaluator.js";

/**
 * Compile `source` once: through gwenmap's compiled evaluator when it covers
 * the expression, else through jsonata's interpreter (the fallback), so every
 * valid JSONata expression works. Throws jsonata's error object (with `code`
 * and `position`) on a syntax error.
 */
export function createEvaluator(source: string, limits: EvaluationLimits): Evaluator {
  const parsed = parseJsonata(source, limits);
  let interpreter: Evaluator | undefined;
  const compiled = compileExpression(parsed.ast(), limits, {
    interpreter: () => {
      interpreter ??= createJsonataEvaluator(source, limits, { parsed });
      return interpreter;
    },
  });
  if (compiled.ok) return compiled.evaluator;
  return createJsonataEvaluator(source, limits, { parsed, fallbackReason: compiled.reason });
}
