import type { EvaluationLimits, Evaluator } from "../evaluator.js";
import { type AstNode, Declined } from "./ast.js";
import { type CompileContext, compileNode } from "./compile-node.js";
import { Frame } from "./frame.js";
import { isJsonataError, populateMessage } from "./jsonata-error.js";
import { beginRun, endRun } from "./run-state.js";
import { isSequence, sequenceOf } from "./sequence.js";

/** The compiled evaluator for an expression, or why it was declined (the expression then falls back to jsonata). */
export type CompileResult =
  | { readonly ok: true; readonly evaluator: Evaluator }
  | { readonly ok: false; readonly reason: string };

/**
 * Compile jsonata's syntax tree into closures, once. Evaluation is then
 * synchronous and follows jsonata 2.2.2's semantics, limits and errors.
 */
export function compileExpression(ast: unknown, limits: EvaluationLimits): CompileResult {
  const context: CompileContext = { needsTimestamp: false };
  let root: ReturnType<typeof compileNode>;
  try {
    root = compileNode(ast as AstNode, 1, context);
  } catch (error) {
    if (error instanceof Declined) return { ok: false, reason: error.reason };
    throw error;
  }
  const needsTimestamp = context.needsTimestamp;
  return {
    ok: true,
    evaluator: {
      kind: "compiled",
      evaluate(input, bindings) {
        const frame = new Frame();
        if (bindings !== undefined)
          for (const name of Object.keys(bindings)) frame.bind(name, bindings[name]);
        frame.bind("$", input);
        // an input array is wrapped in a singleton so that paths treat it as one value
        let context = input;
        if (Array.isArray(input) && !isSequence(input)) {
          const wrapper = sequenceOf(input);
          wrapper.outerWrapper = true;
          context = wrapper;
        }
        const previous = beginRun(limits, needsTimestamp);
        try {
          return root(context, frame);
        } catch (error) {
          if (isJsonataError(error)) populateMessage(error);
          throw error;
        } finally {
          endRun(previous);
        }
      },
    },
  };
}
