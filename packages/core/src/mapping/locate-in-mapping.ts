import type { MappingSource, SourceLocation } from "./mapping.js";

/**
 * The file:line:col of a 0-based offset into a mapping's trigger or
 * expression. An expression runs on in the file; a trigger's continuation
 * lines start after their header `*` (`triggerContinuations`).
 */
export function locateInMapping(
  mapping: MappingSource,
  part: "trigger" | "expression",
  offset: number,
): SourceLocation {
  const text = part === "trigger" ? mapping.trigger : mapping.expression;
  const start = part === "trigger" ? mapping.triggerLocation : mapping.expressionLocation;
  const before = text.slice(0, Math.max(0, offset));
  const lineBreaks = before.split("\n").length - 1;
  const lineStart = before.lastIndexOf("\n") + 1;
  if (lineBreaks === 0) return { ...start, column: start.column + before.length };
  const continuation =
    part === "trigger" ? mapping.triggerContinuations?.[lineBreaks - 1] : undefined;
  if (continuation)
    return { ...continuation, column: continuation.column + before.length - lineStart };
  return { file: start.file, line: start.line + lineBreaks, column: before.length - lineStart + 1 };
}
