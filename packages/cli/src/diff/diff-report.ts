import { relative } from "node:path";
import { describeDifference, type FixtureDifference, structuralDiff } from "@gwenmap/core";
import type { Colors } from "../terminal/colors.js";
import type { OutputChange } from "./compare-outputs.js";
import type { MappingChanges } from "./mapping-changes.js";

export interface DiffReport {
  readonly base: string;
  readonly mappings: MappingChanges;
  readonly changes: readonly OutputChange[];
}

/** The review in words: mappings added/removed/edited, then each fixture whose output changed, with diffs. */
export function diffReportText(report: DiffReport, colors: Colors): string {
  const labels = { expected: `at ${report.base}`, actual: "now" };
  const { added, removed, changed } = report.mappings;
  const lines = [
    colors.bold(`Mappings at ${report.base} → now`),
    `  added: ${added.join(", ") || "none"}`,
    `  removed: ${removed.join(", ") || "none"}`,
    `  edited: ${changed.join(", ") || "none"}`,
    "",
  ];
  const differing = report.changes.filter((change) => change.differences.length > 0);
  for (const change of differing) {
    const origin =
      change.origin === "new"
        ? " (new fixture)"
        : change.origin === "deleted"
          ? ` (only at ${report.base})`
          : "";
    lines.push(`${colors.yellow("~")} ${colors.bold(change.fixture.name)}${colors.dim(origin)}`);
    lines.push(colors.dim(`  ${relative(process.cwd(), change.fixture.file)}`));
    for (const difference of change.differences) {
      lines.push(`  ${colors.yellow(changeSentence(difference, report.base))}`);
      const diff = structuralDiff(difference.expected, difference.actual, { labels, colors });
      lines.push(...diff.split("\n").map((line) => (line ? `    ${line}` : line)), "");
    }
  }
  const unchanged = report.changes.length - differing.length;
  lines.push(
    `${differing.length} of ${report.changes.length} fixtures change their output; ${unchanged} unchanged`,
  );
  return `${lines.join("\n")}\n`;
}

/** The review as data, for `--json`. */
export function diffReportJson(report: DiffReport): string {
  return `${JSON.stringify({
    base: report.base,
    mappings: report.mappings,
    fixtures: report.changes.map((change) => ({
      name: change.fixture.name,
      file: relative(process.cwd(), change.fixture.file),
      origin: change.origin,
      changed: change.differences.length > 0,
      differences: change.differences.map(({ kind, mapping, expected, actual }) => ({
        change: kind === "missing" ? "removed" : kind === "unexpected" ? "added" : "changed",
        ...(mapping ? { mapping } : {}),
        ...(expected ? { before: expected } : {}),
        ...(actual ? { after: actual } : {}),
      })),
    })),
  })}\n`;
}

/** What changed for one mapping, in review words rather than test words. */
function changeSentence(difference: FixtureDifference, base: string): string {
  const who = difference.mapping ? `mapping ${difference.mapping}` : "the event";
  const isRejection = (outcome: unknown) =>
    typeof outcome === "object" && outcome !== null && "error" in outcome;
  switch (difference.kind) {
    case "missing":
      return isRejection(difference.expected)
        ? `${who}: no longer rejected (it was at ${base})`
        : `${who}: no longer delivers (it did at ${base})`;
    case "unexpected":
      return isRejection(difference.actual) ? `${who}: now rejected` : `${who}: now delivers`;
    case "mismatch": {
      const was = isRejection(difference.expected);
      const is = isRejection(difference.actual);
      if (was && !is) return `${who}: now delivers (it was rejected at ${base})`;
      if (!was && is) return `${who}: now rejected (it delivered at ${base})`;
      return was ? `${who}: the rejection changed` : `${who}: the payload changed`;
    }
    case "unknown-mapping":
    case "not-loaded":
      return describeDifference(difference);
  }
}
