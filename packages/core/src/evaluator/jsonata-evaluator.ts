import jsonata from "jsonata";
import type { EvaluationLimits, Evaluator } from "./evaluator.js";
import { freshCopy } from "./fresh-copy.js";
import { callSiteEraser } from "./jsonata-call-sites.js";

/**
 * jsonata's own interpreter behind the `Evaluator` interface, with its
 * guardrails (timeout, stack depth, sequence length) switched on.
 * `parsed` lets a caller that has already parsed the source (to read its AST)
 * avoid parsing it twice.
 */
export function createJsonataEvaluator(
  source: string,
  limits: EvaluationLimits,
  options: { parsed?: jsonata.Expression; fallbackReason?: string } = {},
): Evaluator {
  const expression = options.parsed ?? parseJsonata(source, limits);
  return {
    kind: "jsonata",
    ...(options.fallbackReason === undefined ? {} : { fallbackReason: options.fallbackReason }),
    evaluate: async (input, bindings) => {
      const eraser = await callSiteEraser();
      // with no await between: what earlier evaluations wrote does not place this one's errors
      eraser.forget();
      // jsonata writes into its input: it gets a copy, so that the caller's value stays as it was
      return expression.evaluate(freshCopy(input), bindings);
    },
  };
}

/** Parse `source` with gwenmap's limits; throws jsonata's error object on a syntax error. */
export function parseJsonata(source: string, limits: EvaluationLimits): jsonata.Expression {
  return jsonata(source, {
    timeout: limits.timeoutMs,
    stack: limits.maxDepth,
    sequence: limits.maxSequenceLength,
  });
}
