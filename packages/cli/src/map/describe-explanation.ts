import type { Mapping, MappingExplanation } from "@gwenmap/core";
import type { Colors } from "../terminal/colors.js";
import { violationLines } from "./describe-rejection.js";

/**
 * `gwenmap map --explain`: for one event, each mapping and why it fired or
 * not: the trigger and its value, or for a rejection the failing field and
 * the value it had.
 */
export function describeExplanation(
  explanation: readonly MappingExplanation[],
  context: { line: number; messageId?: string | undefined; mappings: readonly Mapping[] },
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
    if (entry.rejection) lines.push(...violationLines(entry.rejection, "      ").map(colors.dim));
  }
  return lines.join("\n");
}

function mark(entry: MappingExplanation, colors: Colors): string {
  switch (entry.status) {
    case "fired":
      return colors.green("✓");
    case "rejected":
      return colors.red("✗");
    default:
      return colors.dim("·");
  }
}

function reason(entry: MappingExplanation, trigger: string): string {
  const value =
    "triggerValue" in entry ? (JSON.stringify(entry.triggerValue) ?? "undefined") : "undefined";
  const index = entry.decidedByIndex ? " (decided by the trigger index)" : "";
  switch (entry.status) {
    case "fired":
      return `fired: trigger \`${trigger}\` is ${value}${index}`;
    case "not-triggered":
      return `did not fire: trigger \`${trigger}\` is ${value}`;
    case "skipped-by-index":
      return `did not fire: trigger \`${trigger}\` cannot match this event's type or name (not evaluated)`;
    case "disabled":
      return "did not fire: the mapping is @disabled";
    case "rejected":
      return `rejected: ${entry.rejection?.message ?? "no reason given"} [${entry.rejection?.code ?? "?"}]`;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
