import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** One row of the reliability table in the README. */
export interface ResultRow {
  readonly scenario: string;
  readonly events: number;
  readonly delivered: number;
  readonly duplicates: number;
  readonly lost: number;
  /** What else the run showed (dead-lettered, rejected, 503 answers, ...). */
  readonly note?: string;
}

/** Where every run appends its rows (one JSON object a line); the newest row of a scenario wins. */
export const RESULTS_FILE = join(
  fileURLToPath(new URL("../../", import.meta.url)),
  ".reliability",
  "results.ndjson",
);

/** Appends a row (test files run in parallel: one short append each, never a rewrite). */
export function recordResult(row: ResultRow): void {
  mkdirSync(dirname(RESULTS_FILE), { recursive: true });
  appendFileSync(RESULTS_FILE, `${JSON.stringify({ ...row, at: new Date().toISOString() })}\n`);
}

/** The newest row of each scenario, in the order scenarios first appeared. */
export function latestResults(file = RESULTS_FILE): ResultRow[] {
  const rows = new Map<string, ResultRow>();
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    const row = JSON.parse(line) as ResultRow;
    rows.set(row.scenario, row);
  }
  return [...rows.values()];
}
