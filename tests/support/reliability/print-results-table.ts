/**
 * `npm run reliability:table`: prints the recorded run (`tests/results/reliability.json`)
 * as the Markdown table of the README.
 * `npm run reliability:save`: first makes the newest row of each scenario in the
 * local runs (`tests/.reliability/results.ndjson`) the recorded run.
 */
import { existsSync } from "node:fs";
import {
  latestResults,
  RECORDED_FILE,
  RESULTS_FILE,
  recordedResults,
  resultsTable,
  saveRecorded,
} from "./results.js";

if (process.argv.includes("--save")) {
  if (!existsSync(RESULTS_FILE)) {
    console.error(`no results yet: run the reliability tests first (${RESULTS_FILE})`);
    process.exit(1);
  }
  saveRecorded(latestResults());
  console.error(`saved ${RECORDED_FILE}`);
}
console.log(resultsTable(recordedResults()));
