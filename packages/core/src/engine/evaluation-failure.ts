import type { Mapping } from "../mapping/mapping.js";
import type { RejectionCode } from "./map-result.js";

/** What a failed evaluation says, in the terms of a rejection. */
export interface EvaluationFailure {
  readonly code: RejectionCode;
  readonly jsonataCode?: string;
  readonly message: string;
}

interface ThrownByJsonata {
  code?: unknown;
  message?: unknown;
  position?: unknown;
  value?: unknown;
}

/**
 * Explain an error thrown while evaluating a mapping's trigger or expression.
 * jsonata throws plain objects with a `code`; a JavaScript RangeError means
 * the real stack ran out before jsonata's own depth limit.
 */
export function describeEvaluationFailure(
  thrown: unknown,
  mapping: Mapping,
  part: "trigger" | "expression",
): EvaluationFailure {
  const error = (thrown ?? {}) as ThrownByJsonata;
  const jsonataCode = typeof error.code === "string" ? error.code : undefined;
  const text = typeof error.message === "string" ? error.message : String(thrown);
  const where = locate(
    mapping,
    part,
    typeof error.position === "number" ? error.position : undefined,
  );
  if (jsonataCode === "D1011") {
    return {
      code: "E_EVALUATION_DEPTH",
      jsonataCode,
      message: `the ${part} recursed deeper than the depth limit (${where}): check for endless recursion, or raise the limit`,
    };
  }
  if (thrown instanceof RangeError) return outOfRange(thrown, part, where);
  if (jsonataCode === "D1012") {
    return {
      code: "E_EVALUATION_TIMEOUT",
      jsonataCode,
      message: `the ${part} ran longer than the time limit (${where}): simplify it, or raise the limit`,
    };
  }
  return {
    code: part === "trigger" ? "E_TRIGGER_FAILED" : "E_EVALUATION_FAILED",
    ...(jsonataCode ? { jsonataCode } : {}),
    message: `the ${part} failed at ${where}: ${jsonataCode ? `${jsonataCode} ` : ""}${text}`,
  };
}

/**
 * JavaScript's own limits, met before jsonata's: the stack (data nested
 * thousands of levels deep, walked by a function that recurses, such as
 * `$string`), or the longest string or array JavaScript can make.
 */
function outOfRange(
  thrown: RangeError,
  part: "trigger" | "expression",
  where: string,
): EvaluationFailure {
  if (/call stack/i.test(thrown.message)) {
    return {
      code: "E_EVALUATION_DEPTH",
      message: `the ${part} went deeper than the stack allows (${where}): the event is nested too deeply for it, or it recursed without end`,
    };
  }
  return {
    code: part === "trigger" ? "E_TRIGGER_FAILED" : "E_EVALUATION_FAILED",
    message: `the ${part} failed at ${where}: it built a value larger than JavaScript allows (${thrown.message}): build less`,
  };
}

/** file:line:col of a jsonata position (offset just past the failing token) inside the mapping. */
function locate(
  mapping: Mapping,
  part: "trigger" | "expression",
  position: number | undefined,
): string {
  const start = part === "trigger" ? mapping.triggerLocation : mapping.expressionLocation;
  if (position === undefined || part === "trigger")
    return `${start.file}:${start.line}:${start.column}`;
  const before = mapping.expression.slice(0, Math.max(0, position - 1));
  const lineBreaks = before.split("\n").length - 1;
  const column =
    lineBreaks === 0 ? start.column + before.length : before.length - before.lastIndexOf("\n");
  return `${start.file}:${start.line + lineBreaks}:${column}`;
}
