import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
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
  /** When the run recorded it (ISO 8601). */
  readonly at?: string;
}

const TESTS = fileURLToPath(new URL("../../", import.meta.url));

/** Where every local run appends its rows (one JSON object a line, not committed); the newest row of a scenario wins. */
export const RESULTS_FILE = join(TESTS, ".reliability", "results.ndjson");

/**
 * The recorded run the README's table shows (committed, as `bench/results/`
 * is for speed): `npm run reliability:save` copies the newest row of each
 * scenario into it from `RESULTS_FILE`.
 */
export const RECORDED_FILE = join(TESTS, "results", "reliability.json");

/** Appends a row (test files run in parallel: one short append each, never a rewrite). */
export function recordResult(row: ResultRow): void {
  mkdirSync(dirname(RESULTS_FILE), { recursive: true });
  appendFileSync(RESULTS_FILE, `${JSON.stringify({ ...row, at: new Date().toISOString() })}\n`);
}

/** The newest row of each scenario in the local runs, in the table's order. */
export function latestResults(file = RESULTS_FILE): ResultRow[] {
  const rows = new Map<string, ResultRow>();
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    const row = JSON.parse(line) as ResultRow;
    rows.set(row.scenario, row);
  }
  return inTableOrder([...rows.values()]);
}

/** Writes `rows` as the recorded run. */
export function saveRecorded(rows: readonly ResultRow[], file = RECORDED_FILE): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(rows, null, 2)}\n`);
}

/** The recorded run's rows. */
export function recordedResults(file = RECORDED_FILE): ResultRow[] {
  return JSON.parse(readFileSync(file, "utf8")) as ResultRow[];
}

/** The README's Markdown table of `rows`. */
export function resultsTable(rows: readonly ResultRow[]): string {
  return [
    "| scenario | events | delivered | duplicates | lost | notes |",
    "|---|---:|---:|---:|---:|---|",
    ...rows.map(
      (row) =>
        `| ${row.scenario} | ${row.events} | ${row.delivered} | ${row.duplicates} | ${row.lost} | ${row.note ?? ""} |`,
    ),
  ].join("\n");
}

/** The table's order by family (test files finish in any order): the first prefix that matches; GWEN's faults otherwise. */
const FAMILIES: readonly [RegExp, number][] = [
  [/^SIGKILL/, 0],
  [/^Disk/, 2],
  [/^PostgreSQL/, 3],
  [/^HTTP fuzz/, 4],
  [/^Soak/, 5],
];
const GWEN_FAULTS = 1;

function inTableOrder(rows: readonly ResultRow[]): ResultRow[] {
  const family = (row: ResultRow) =>
    FAMILIES.find(([prefix]) => prefix.test(row.scenario))?.[1] ?? GWEN_FAULTS;
  return [...rows].sort((a, b) => family(a) - family(b));
}
