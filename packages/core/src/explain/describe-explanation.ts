import type { MappingExplanation } from "../engine/map-result.js";
import type { DroppedField } from "./explain-dropped-fields.js";
import type { ClauseExplanation, EvaluatedPart } from "./explain-trigger.js";

/**
 * Why one mapping fired or not, in a sentence, as `gwenmap map --explain` and
 * the playground say it: `did not fire: trigger \`type = "page"\` is false`.
 * `trigger` is the mapping's trigger, put on one line here.
 */
export function explanationSentence(entry: MappingExplanation, text: string): string {
  const trigger = oneLine(text);
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

/**
 * One trigger clause in words, as `gwenmap map --explain` and the playground
 * print it: `properties.level >= 10 → false (properties.level = 3)`.
 */
export function describeClause(clause: ClauseExplanation): string {
  const shown = `${oneLine(clause.text)} → ${describeValue(clause)}`;
  const operands = clause.operands
    .filter((operand) => !operand.error)
    .map((operand) => `${oneLine(operand.text)} = ${describeValue(operand)}`);
  return operands.length > 0 ? `${shown} (${operands.join(", ")})` : shown;
}

/**
 * Whether a trigger's clauses say more than its own value: not when it is a
 * single clause that compares nothing and did not fail.
 */
export function clausesWorthShowing(clauses: readonly ClauseExplanation[]): boolean {
  const [only] = clauses;
  return !(clauses.length === 1 && only && only.operands.length === 0 && !only.error);
}

/** A part's value as JSON, `undefined`, or how evaluating it failed. */
export function describeValue(part: EvaluatedPart): string {
  if (part.error) {
    return `failed: ${part.error.code ? `${part.error.code} ` : ""}${part.error.message}`;
  }
  return "value" in part ? (JSON.stringify(part.value) ?? "undefined") : "undefined";
}

/** `dropped /data/coupon: it came out undefined (mappings/x.jsonata:16:5)`. */
export function describeDroppedField(field: DroppedField): string {
  const where = `${field.location.file}:${field.location.line}:${field.location.column}`;
  const why =
    field.reason === "undefined"
      ? "it came out undefined"
      : 'it came out null or "" (Segment drops such top-level fields)';
  return `dropped ${field.path}: ${why} (${where})`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
