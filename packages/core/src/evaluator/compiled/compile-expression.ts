import type { EvaluationLimits, Evaluator } from "../evaluator.js";
import { type AstNode, Declined, forEachNode } from "./ast.js";
import { generateEvaluate } from "./codegen/generate-expression.js";
import { type BranchProbe, type CompileContext, compileNode } from "./compile-node.js";
import { ConcurrentFailures } from "./concurrent-entries.js";
import { Frame } from "./frame.js";
import { PictureFunctionsNotReady } from "./functions/picture-functions.js";
import { generatedFunction } from "./generated-function.js";
import { isJsonataError, populateMessage } from "./jsonata-error.js";
import type { Evaluate } from "./procedure.js";
import { beginRun, endRun, type RunLimits, runLimits } from "./run-state.js";
import { isSequence, sequenceOf } from "./sequence.js";

/** The compiled evaluator for an expression, or why it was declined (the expression then falls back to jsonata). */
export type CompileResult =
  | {
      readonly ok: true;
      readonly evaluator: Evaluator;
      /** The JavaScript generated for the expression, when it was generated (see `generateEvaluate`). */
      readonly generatedSource?: string;
    }
  | { readonly ok: false; readonly reason: string };

/**
 * Compile jsonata's syntax tree once, into one generated JavaScript
 * function (`generateEvaluate`), which calls closures for the constructs
 * it leaves to the closure compiler; into closures alone with `onBranch`
 * (conditionals instrumented for coverage) or `generate: false`.
 * Evaluation is then synchronous and follows jsonata 2.2.2's semantics,
 * limits and errors.
 */
export function compileExpression(
  ast: unknown,
  limits: EvaluationLimits,
  options: {
    readonly onBranch?: BranchProbe;
    /** jsonata's interpreter for the same expression, asked for the error when several entries of a constructor fail. */
    readonly interpreter?: () => Evaluator;
    /** Generate JavaScript for the expression (the default), or compile closures only. */
    readonly generate?: boolean;
  } = {},
): CompileResult {
  const context: CompileContext = {
    clock: { needed: false },
    maxDepth: limits.maxDepth > 0 ? limits.maxDepth : Number.POSITIVE_INFINITY,
    inLambda: false,
    boundNames: boundNames(ast),
    ...(options.onBranch === undefined ? {} : { onBranch: options.onBranch }),
  };
  let root: Evaluate;
  let generatedSource: string | undefined;
  try {
    const generated =
      options.generate === false || options.onBranch !== undefined
        ? undefined
        : generateEvaluate(ast as AstNode, context);
    root = generated?.evaluate ?? compileNode(ast as AstNode, 1, context);
    generatedSource = generated?.source;
  } catch (error) {
    if (error instanceof Declined) return { ok: false, reason: error.reason };
    throw error;
  }
  const needsTimestamp = context.clock.needed;
  const bounds = runLimits(limits);
  const interpreter = options.interpreter;
  const needsVariables = needsRootScope(ast);
  const noVariables = new Frame();
  /** What the evaluation does when `root` throws: jsonata's interpreter for what only it can tell, else the error. */
  const recover = (error: unknown, input: unknown, bindings: Bindings | undefined): unknown => {
    if (error instanceof ConcurrentFailures || error instanceof PictureFunctionsNotReady) {
      if (interpreter !== undefined) return interpreter().evaluate(input, bindings);
      if (error instanceof ConcurrentFailures) throw populated(error.first);
    }
    throw populated(error);
  };
  const evaluate = (input: unknown, bindings?: Bindings): unknown => {
    const bound = bindings !== undefined && Object.keys(bindings).length > 0;
    let frame = noVariables;
    if (needsVariables || bound) {
      frame = new Frame();
      if (bound) for (const name of Object.keys(bindings)) frame.bind(name, bindings[name]);
      frame.bind("$", input);
    }
    // an input array is wrapped in a singleton so that paths treat it as one value
    let context = input;
    if (Array.isArray(input) && !isSequence(input)) {
      const wrapper = sequenceOf(input);
      wrapper.outerWrapper = true;
      context = wrapper;
    }
    beginRun(bounds, needsTimestamp, bindings);
    try {
      return root(context, frame);
    } catch (error) {
      return recover(error, input, bindings);
    } finally {
      endRun();
    }
  };
  const entry = commonEntry({
    evaluate,
    root,
    recover,
    bounds,
    needsTimestamp,
    commonCall: !needsVariables,
    noVariables,
  });
  return {
    ok: true,
    ...(generatedSource === undefined ? {} : { generatedSource }),
    evaluator: { kind: "compiled", evaluate: entry ?? evaluate },
  };
}

type Bindings = Readonly<Record<string, unknown>>;

/** What an expression's entry for the common call is made of (`commonEntry`). */
interface EntryParts {
  /** The evaluation for any call. */
  readonly evaluate: (input: unknown, bindings?: Bindings) => unknown;
  readonly root: Evaluate;
  readonly recover: (error: unknown, input: unknown, bindings: Bindings | undefined) => unknown;
  readonly bounds: RunLimits;
  readonly needsTimestamp: boolean;
  /** False when every call needs its own root scope (`needsRootScope`): then there is no common call. */
  readonly commonCall: boolean;
  readonly noVariables: Frame;
}

/**
 * The entry for the common call (no bindings, an input that is not an
 * array, the shared empty scope), which is the engine's: `evaluate` does
 * the same, with what the other calls need first. It is made for each
 * expression by `new Function` over this fixed text, so that to V8 every
 * expression's entry is a function of its own, with its own type feedback
 * and optimized code; closures made at one place in this file share theirs
 * (measured: the engine's full path takes 5-10% less time). Undefined where
 * `new Function` is refused (a content security policy): `evaluate` serves.
 */
function commonEntry(parts: EntryParts): EntryParts["evaluate"] | undefined {
  if (!parts.commonCall) return undefined;
  const factory = generatedFunction<
    (entryParts: EntryParts, begin: typeof beginRun, end: typeof endRun) => EntryParts["evaluate"]
  >("entry", ["parts", "beginRun", "endRun"], entryText);
  return factory?.(parts, beginRun, endRun);
}

const entryText = `"use strict";
const { evaluate, root, recover, bounds, needsTimestamp, noVariables } = parts;
return function entry(input, bindings) {
  if (bindings !== undefined || Array.isArray(input)) return evaluate(input, bindings);
  beginRun(bounds, needsTimestamp, undefined);
  try {
    return root(input, noVariables);
  } catch (error) {
    return recover(error, input, undefined);
  } finally {
    endRun();
  }
};`;

function populated(error: unknown): unknown {
  if (isJsonataError(error)) populateMessage(error);
  return error;
}

/**
 * Whether the root scope must be made for each evaluation: when `:=` may bind
 * into it, or `$$` reads it. Otherwise an empty, shared one serves (lookups
 * then find built-ins; blocks and calls make scopes of their own).
 */
function needsRootScope(tree: unknown): boolean {
  let found = false;
  forEachNode(tree, (node) => {
    if (node.type === "bind" || (node.type === "variable" && node.value === "$")) found = true;
  });
  return found;
}

/** Every variable name the expression binds (`:=` and parameters): those may shadow built-ins. */
function boundNames(tree: unknown): ReadonlySet<string> {
  const names = new Set<string>();
  forEachNode(tree, (node) => {
    if (node.type === "bind") names.add(String((node.lhs as AstNode).value));
    if (node.type === "lambda")
      for (const parameter of node.arguments ?? []) names.add(String(parameter.value));
  });
  return names;
}
