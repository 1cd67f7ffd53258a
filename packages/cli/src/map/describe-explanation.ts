import type {
  ClauseExplanation,
  DetailedExplanation,
  DroppedField,
  EvaluatedPart,
  Mapping,
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
    const trigger = oneLine(triggers.get(entry.mapping) ?? "");
    lines.push(
      `  ${mark(entry, colors)} ${entry.mapping.padEnd(width)}  ${reason(entry, trigger)}`,
    );
    if (entry.rejection) {
      lines.push(...violationLines(entry.rejection, "      ").map(colors.dim));
      const frame = context.frames.frameOf(entry.rejection, "      ");
      if (frame) lines.push(frame);
    }
    lines.push(...clauseLines(entry.clauses ?? [], colors));
    lines.push(...(entry.dropped ?? []).map((field) => colors.dim(droppedLine(field))));
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

function reason(entry: DetailedExplanation, trigger: string): string {
  const value =
    "triggerValue" in entry ? (JSON.stringify(entry.triggerValue) ?? "undefined") : "undefined";
  const index = entry.decidedByIndex ? " (decided by the trigger index)" : "";
  switch (entry.status) {
    case "fired":
      return `fired: trigger \`${trigger}\` is ${value}${index}`;
    case "not-triggered":
      return `did not fire: trigger \`${trigger}\` is ${value}`;
    case "skipped-by-index":
      return `did not fire: trigger \`${trigger}\` cannot match this event's type or name (the trigger index skipped it)`;
    case "disabled":
      return "did not fire: the mapping is @disabled";
    case "rejected":
      return `rejected: ${entry.rejection?.message ?? "no reason given"} [${entry.rejection?.code ?? "?"}]`;
  }
}

/** One line per clause, unless the trigger is a single clause with nothing more to show. */
function clauseLines(clauses: readonly ClauseExplanation[], colors: Colors): string[] {
  const [only] = clauses;
  if (clauses.length === 1 && only && only.operands.length === 0 && !only.error) return [];
  return clauses.map((clause) => {
    const shown = `      ${oneLine(clause.text)} → ${shownValue(clause)}`;
    const operands = clause.operands
      .filter((operand) => !operand.error)
      .map((operand) => `${oneLine(operand.text)} = ${shownValue(operand)}`);
    const line = operands.length > 0 ? `${shown} (${operands.join(", ")})` : shown;
    return clause.truthy ? colors.dim(line) : line;
  });
}

function shownValue(part: EvaluatedPart): string {
  if (part.error)
    return `failed: ${part.error.code ? `${part.error.code} ` : ""}${part.error.message}`;
  return "value" in part ? (JSON.stringify(part.value) ?? "undefined") : "undefined";
}

function droppedLine(field: DroppedField): string {
  const where = `${field.location.file}:${field.location.line}:${field.location.column}`;
  const why =
    field.reason === "undefined"
      ? "it came out undefined"
      : 'it came out null or "" (Segment drops such top-level fields)';
  return `      dropped ${field.path}: ${why} (${where})`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
