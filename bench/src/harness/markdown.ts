import type { Figure } from "./figure.js";
import { formatNumber } from "./table.js";

/** The figures as a Markdown table (for `bench/results/` and the README). */
export function formatMarkdown(figures: readonly Figure[]): string {
  const rows = figures.map((figure) =>
    [
      figure.suite,
      figure.case,
      `${formatNumber(figure.value)} ${figure.unit}`,
      figure.ratio === undefined ? "" : `**${figure.ratio.toFixed(2)}x** vs ${figure.baseline}`,
    ].map((cell) => cell.replaceAll("|", "\\|")),
  );
  return [
    "| suite | case | value | ratio |",
    "| --- | --- | ---: | --- |",
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ].join("\n");
}
