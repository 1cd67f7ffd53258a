import {
  type ClauseExplanation,
  clausesWorthShowing,
  type DetailedExplanation,
  describeClause,
  describeDroppedField,
  explanationSentence,
  type Mapping,
} from "@gwenmap/core";
import type { SourceFrames } from "../mapping-set/source-frames.js";
import type { Colors } from "../terminal/colors.js";
import { violationLines } from "./describe-rejection.js";

/**
 * `gwenmap map --explain`: for one event, each mapping and why it fired or
 * not: the trigger and its value, and under a trigger that did not fire each
 * of its clauses with its value (`properties.level >= 10 → false
 * (properties.level = 3)`); for a delivery the fields that came out
 * undefined and were dropped; for a rejection the failing field and its value.
 */
export function describeExplanation(
  explanation: readonly DetailedExplanation[],
  context: {
    line: number;
    messageId?: string | undefined;
    mappings: readonly Mapping[];
    frames: SourceFrames;
  },
  colors: Colors,
): string {
  const triggers = new Map(context.mappings.map((mapping) => [mapping.name, mapping.trigger]));
  const width = Math.max(0, ...explanation.map((entry) => entry.mapping.length));
  const id = context.messageId ? ` (messageId ${context.messageId})` : "";
  const lines = [colors.bold(`line ${context.line}${id}:`)];
  for (const entry of explanation) {
    const trigger = triggers.get(entry.mapping) ?? "";
    lines.push(
      `  ${mark(entry, colors)} ${entry.mapping.padEnd(width)}  ${explanationSentence(entry, trigger)}`,
    );
    if (entry.rejection) {
      lines.push(...violationLines(entry.rejection, "      ").map(colors.dim));
      const frame = context.frames.frameOf(entry.rejection, "      ");
      if (frame) lines.push(frame);
    }
    lines.push(...clauseLines(entry.clauses ?? [], colors));
    lines.push(
      ...(entry.dropped ?? []).map((field) => colors.dim(`      ${describeDroppedField(field)}`)),
    );
  }
  return lines.join("\n");
}

function mark(entry: DetailedExplanation, colors: Colors): string {
  switch (entry.status) {
    case "fired":
      return colors.green("✓");
    case "rejected":
      return colors.red("✗");
    default:
      return colors.dim("·");
  }
}

/** One line per clause, unless the trigger is a single clause with nothing more to show. */
function clauseLines(clauses: readonly ClauseExplanation[], colors: Colors): string[] {
  if (!clausesWorthShowing(clauses)) return [];
  return clauses.map((clause) => {
    const line = `      ${describeClause(clause)}`;
    return clause.truthy ? colors.dim(line) : line;
  });
}
