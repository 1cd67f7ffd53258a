import { locateInMapping } from "../mapping/locate-in-mapping.js";
import type { Mapping, SourceLocation } from "../mapping/mapping.js";
import type { EvaluationLocation, RejectionCode } from "./map-result.js";

/** What a failed evaluation says, in the terms of a rejection. */
export interface EvaluationFailure {
  readonly code: RejectionCode;
  readonly jsonataCode?: string;
  readonly message: string;
  readonly location?: EvaluationLocation;
}

interface ThrownByJsonata {
  code?: unknown;
  message?: unknown;
  position?: unknown;
  token?: unknown;
}

type Part = "trigger" | "expression";

/**
 * Explain an error thrown while evaluating a mapping's trigger or expression.
 * jsonata throws plain objects with a `code` and the `position` of the
 * failing token; a JavaScript RangeError means the real stack ran out
 * before jsonata's own depth limit, or a string grew longer than
 * JavaScript allows.
 */
export function describeEvaluationFailure(
  thrown: unknown,
  mapping: Mapping,
  part: Part,
): EvaluationFailure {
  const error = (thrown !== null && typeof thrown === "object" ? thrown : {}) as ThrownByJsonata;
  const jsonataCode = typeof error.code === "string" ? error.code : undefined;
  const location = locateFailure(mapping, part, error);
  const where = location
    ? `${location.file}:${location.line}:${location.column}`
    : describeLocation(startOf(mapping, part));
  const at = location ? { location } : {};
  if (jsonataCode === "D1011") {
    return {
      code: "E_EVALUATION_DEPTH",
      jsonataCode,
      message: `the ${part} recursed deeper than the depth limit (${where}): check for endless recursion, or raise the limit`,
      ...at,
    };
  }
  if (thrown instanceof RangeError) return { ...outOfRange(thrown, part, where), ...at };
  if (jsonataCode === "D1012") {
    return {
      code: "E_EVALUATION_TIMEOUT",
      jsonataCode,
      message: `the ${part} ran longer than the time limit (${where}): simplify it, or raise the limit`,
      ...at,
    };
  }
  const text =
    typeof error.message === "string" ? error.message : jsonataCode ? "" : String(thrown);
  return {
    code: part === "trigger" ? "E_TRIGGER_FAILED" : "E_EVALUATION_FAILED",
    ...(jsonataCode ? { jsonataCode } : {}),
    message: `the ${part} failed at ${where}: ${[jsonataCode, text].filter(Boolean).join(" ")}`,
    ...at,
  };
}

/**
 * JavaScript's own limits, met before jsonata's: the stack (data nested
 * thousands of levels deep, walked by a function that recurses, such as
 * `$string`), or the longest string or array JavaScript can make.
 */
function outOfRange(thrown: RangeError, part: Part, where: string): EvaluationFailure {
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

/**
 * Where in the mapping an error with a jsonata `position` (the offset just
 * past the failing token) happened: at the token; for a function (`$name`
 * or `$name(`, jsonata places call errors just past either) at the `$`; for
 * `and` and `or`, whose operands' errors jsonata places at the operator, at
 * the operand on the right, the only one whose errors it moves there.
 */
export function locateFailure(
  mapping: Mapping,
  part: Part,
  error: { readonly position?: unknown; readonly token?: unknown },
): EvaluationLocation | undefined {
  const text = part === "trigger" ? mapping.trigger : mapping.expression;
  const position = error.position;
  if (typeof position !== "number" || !Number.isInteger(position) || position < 1) return undefined;
  const end = Math.min(position, text.length);
  const token = typeof error.token === "string" ? error.token : "";
  const offset = tokenStart(text, end, token);
  return { part, offset, ...locateInMapping(mapping, part, offset) };
}

function tokenStart(text: string, end: number, token: string): number {
  if (token === "") return end - 1;
  if ((token === "and" || token === "or") && text.slice(end - token.length, end) === token) {
    let operand = end;
    while (operand < text.length && /\s/.test(text[operand]!)) operand++;
    return operand < text.length ? operand : end - 1;
  }
  const nameEnd = text[end - 1] === "(" ? end - 1 : end;
  const name = nameEnd - token.length;
  if (text.slice(name, nameEnd) !== token) return end - 1;
  return text[name - 1] === "$" ? name - 1 : name;
}

function startOf(mapping: Mapping, part: Part): SourceLocation {
  return part === "trigger" ? mapping.triggerLocation : mapping.expressionLocation;
}

function describeLocation(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.column}`;
}
