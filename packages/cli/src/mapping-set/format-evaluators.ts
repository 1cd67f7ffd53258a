import { evaluatorsOf, type Mapping, type PartEvaluator } from "@gwenmap/core";
import type { Colors } from "../terminal/colors.js";
import { countOf } from "./format-problems.js";

/**
 * One line per mapping saying which evaluator runs it, e.g.
 * `  order-completed (mappings/order-completed.jsonata): compiled`, or for a
 * fallback `jsonata (expression: context or positional variable binding (@, #) at position 24; trigger compiled)`,
 * under a count of how many are compiled.
 */
export function formatEvaluators(mappings: readonly Mapping[], colors: Colors): string {
  const described = mappings.map((mapping) => ({ mapping, evaluators: evaluatorsOf(mapping) }));
  const compiled = described.filter(({ evaluators }) => evaluators.kind === "compiled").length;
  const lines = described.map(({ mapping, evaluators }) => {
    const where = `${mapping.name} (${mapping.file})${mapping.disabled ? " [disabled]" : ""}`;
    if (evaluators.kind === "compiled") return `  ${where}: ${colors.green("compiled")}`;
    const parts = [
      describePart("expression", evaluators.expression),
      describePart("trigger", evaluators.trigger),
    ];
    return `  ${where}: ${colors.yellow("jsonata")} (${parts.join("; ")})`;
  });
  const fallen = mappings.length - compiled;
  const heading = `${compiled} of ${countOf(mappings.length, "mapping")} compiled${fallen > 0 ? `, ${fallen} falling back to jsonata's interpreter (same results, slower)` : ""}:`;
  return [heading, ...lines].join("\n");
}

function describePart(part: "expression" | "trigger", evaluator: PartEvaluator): string {
  if (evaluator.kind === "compiled") return `${part} compiled`;
  return `${part} falls back: ${evaluator.fallbackReason ?? "not compiled"}`;
}
