/**
 * `npm run bench [-- --quick | --smoke] [--json FILE] [--markdown FILE] [--suite NAME ...]
 * [--case TEXT]`: run the suites, print one table, optionally write every figure as JSON.
 */
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import type { Figure, Suite } from "./harness/figure.js";
import { formatMarkdown } from "./harness/markdown.js";
import { formatTable } from "./harness/table.js";
import { adapterSuite } from "./suites/adapter.js";
import { cliSuite } from "./suites/cli.js";
import { deliverySuite } from "./suites/delivery.js";
import { engineSuite } from "./suites/engine.js";
import { serverSuite } from "./suites/server.js";
import { wakeupsSuite } from "./suites/wakeups.js";

const suites: readonly Suite[] = [
  engineSuite,
  adapterSuite,
  serverSuite,
  deliverySuite,
  wakeupsSuite,
  cliSuite,
];

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    smoke: { type: "boolean", default: false },
    json: { type: "string" },
    markdown: { type: "string" },
    suite: { type: "string", multiple: true },
    case: { type: "string" },
  },
});

const selected = values.suite
  ? suites.filter((suite) => values.suite!.includes(suite.name))
  : suites;
const figures: Figure[] = [];
/** Seconds since the suite started, to show where a run spends its time. */
const elapsed = (since: number) => `[${((performance.now() - since) / 1000).toFixed(1)} s]`;
for (const suite of selected) {
  const started = performance.now();
  figures.push(
    ...(await suite.run({
      quick: (values.quick ?? false) || (values.smoke ?? false),
      smoke: values.smoke ?? false,
      ...(values.case ? { only: values.case } : {}),
      log: (line) => process.stderr.write(`${elapsed(started)} ${line}\n`),
    })),
  );
  process.stderr.write(`${elapsed(started)} ${suite.name}: done\n`);
}
console.log(formatTable(figures));
if (values.json) {
  await writeFile(values.json, `${JSON.stringify(figures, null, 2)}\n`);
  console.error(`figures written to ${values.json}`);
}
if (values.markdown) {
  await writeFile(values.markdown, `${formatMarkdown(figures)}\n`);
  console.error(`Markdown table written to ${values.markdown}`);
}
