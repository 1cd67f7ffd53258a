import type { Figure } from "./figure.js";

/** The figures as an aligned text table, one suite after another. */
export function formatTable(figures: readonly Figure[]): string {
  const rows = figures.map((figure) => [
    figure.suite,
    figure.case,
    `${formatNumber(figure.value)} ${figure.unit}`,
    figure.ratio === undefined ? "" : `${figure.ratio.toFixed(2)}x vs ${figure.baseline}`,
  ]);
  const header = ["suite", "case", "value", "ratio"];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join(
    "\n",
  );
}

/** Whole numbers with separators from 100 up, three significant digits below. */
export function formatNumber(value: number): string {
  if (value >= 100) return Math.round(value).toLocaleString("en-US");
  return value.toPrecision(3);
}
