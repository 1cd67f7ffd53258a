/**
 * The one small interface every mapping and trigger is evaluated through, so
 * that gwenmap's compiled evaluator and jsonata's own interpreter are
 * interchangeable without touching their callers.
 */

/** Bounds on one evaluation. A mapping that exceeds them is rejected, never left to hang. */
export interface EvaluationLimits {
  /** Wall-clock budget of one evaluation, in milliseconds (jsonata error D1012). */
  timeoutMs: number;
  /** Maximum depth of nested function/lambda calls (jsonata error D1011). */
  maxDepth: number;
  /** Maximum length of any sequence the expression builds (jsonata error D2015). */
  maxSequenceLength: number;
}

export const defaultEvaluationLimits: EvaluationLimits = {
  timeoutMs: 1_000,
  maxDepth: 200,
  maxSequenceLength: 100_000,
};

/** Which engine evaluates an expression: gwenmap's compiled closures, or jsonata's interpreter. */
export type EvaluatorKind = "compiled" | "jsonata";

/**
 * A compiled expression. `evaluate` returns the raw JSONata result (which may
 * contain jsonata's sequence markers: callers normalise with `toPlainJson`),
 * synchronously for the compiled engine and as a promise for jsonata's.
 * Failures are thrown as jsonata-style error objects carrying a `code`
 * (`T2001`, `D1012`, ...); callers wrap them in gwenmap's error classes.
 */
export interface Evaluator {
  readonly kind: EvaluatorKind;
  /** Why the compiled engine declined this expression, when `kind` is "jsonata". */
  readonly fallbackReason?: string;
  evaluate(input: unknown, bindings?: Record<string, unknown>): unknown;
}
