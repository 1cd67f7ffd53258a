export type { EvaluationLimits, Evaluator, EvaluatorKind } from "./evaluator/evaluator.js";
export { defaultEvaluationLimits } from "./evaluator/evaluator.js";
export { toPlainJson } from "./evaluator/plain-json.js";
