/**
 * Prints the reliability results (`tests/.reliability/results.ndjson`, the
 * newest row of each scenario) as the Markdown table of the README.
 */
import { existsSync } from "node:fs";
import { latestResults, RESULTS_FILE } from "./results.js";

if (!existsSync(RESULTS_FILE)) {
  console.error(`no results yet: run the reliability tests first (${RESULTS_FILE})`);
  process.exit(1);
}
const lines = [
  "| scenario | events | delivered | duplicates | lost | notes |",
  "|---|---:|---:|---:|---:|---|",
  ...latestResults().map(
    (row) =>
      `| ${row.scenario} | ${row.events} | ${row.delivered} | ${row.duplicates} | ${row.lost} | ${row.note ?? ""} |`,
  ),
];
console.log(lines.join("\n"));
