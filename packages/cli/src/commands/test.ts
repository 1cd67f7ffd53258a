import { relative } from "node:path";
import { defineCommand } from "citty";
import { ExitCode } from "../cli/exit-code.js";
import { UsageError } from "../errors.js";
import { coverageReport } from "../fixtures/coverage-report.js";
import { jsonReport } from "../fixtures/json-report.js";
import { junitReport } from "../fixtures/junit-report.js";
import { prettyReport } from "../fixtures/pretty-report.js";
import { runSuite, type SuiteRun, suitePassed, suiteWarnings } from "../fixtures/run-suite.js";
import { updateFixtures } from "../fixtures/update-fixtures.js";
import { watchSuite } from "../fixtures/watch-suite.js";
import { resolveMappingsDir } from "../options/resolve-options.js";
import { mappingsArg } from "../options/shared-args.js";
import { stderrColors, stdoutColors } from "../terminal/colors.js";
import { warn } from "../terminal/warn.js";

export const examples = [
  "gwenmap test",
  "gwenmap test --mappings examples/mappings --coverage",
  "gwenmap test --update        # then review the rewritten fixtures with git diff",
  "gwenmap test --watch",
  "gwenmap test --reporter junit > gwenmap-junit.xml",
];

type Reporter = "pretty" | "json" | "junit";

export default defineCommand({
  meta: {
    name: "test",
    description:
      "Run the fixtures; show a structural diff for each mismatch; exit 1 on any failure",
  },
  args: {
    mappings: mappingsArg,
    update: {
      type: "boolean",
      description:
        "Bring the expect of each failing fixture in line with what the mappings produce now, editing only what changed (e.g. --update)",
    },
    watch: {
      type: "boolean",
      description: "Run again whenever a mapping or fixture changes, until Ctrl-C (e.g. --watch)",
    },
    reporter: {
      type: "enum",
      options: ["pretty", "json", "junit"],
      default: "pretty",
      description: "Report format on stdout (e.g. --reporter junit > junit.xml)",
    },
    coverage: {
      type: "boolean",
      description:
        "Also report per mapping what the fixtures never exercise: a trigger or one of its clauses never true or never false, an untaken branch (e.g. --coverage)",
    },
  },
  async run({ args }) {
    const dir = resolveMappingsDir(args.mappings);
    if (args.update && args.watch) throw new UsageError("--update and --watch cannot be combined");
    const options = { reporter: args.reporter as Reporter, coverage: Boolean(args.coverage) };
    if (args.watch) {
      await watchSuite(dir, async () => void (await runOnce(dir, options)), stderrColors);
      return ExitCode.ok;
    }
    if (args.update) return update(dir, options);
    return runOnce(dir, options);
  },
});

interface RunOptions {
  readonly reporter: Reporter;
  readonly coverage: boolean;
}

async function runOnce(dir: string, options: RunOptions): Promise<number> {
  const run = await runSuite(dir, { coverage: options.coverage });
  report(run, options);
  for (const warning of suiteWarnings(run)) warn(warning);
  return suitePassed(run) ? ExitCode.ok : ExitCode.failure;
}

async function update(dir: string, options: RunOptions): Promise<number> {
  const before = await runSuite(dir, { coverage: false });
  const written = await updateFixtures(before);
  const c = stderrColors;
  for (const { file, dropped } of written) {
    process.stderr.write(`${c.yellow("updated")} ${relative(process.cwd(), file)}\n`);
    for (const name of dropped) {
      process.stderr.write(
        `  dropped the expectation of mapping "${name}": no mapping has that name any more\n`,
      );
    }
  }
  if (written.length === 0 && suitePassed(before)) {
    process.stderr.write("every fixture already passes: nothing to update\n");
  }
  for (const name of expectedButNotLoaded(before)) {
    process.stderr.write(
      `kept the expectations of mapping ${name} as written: it does not load; fix it, then update again\n`,
    );
  }
  return runOnce(dir, options);
}

/** Mappings that some fixture expects but that did not load. */
function expectedButNotLoaded(run: SuiteRun): string[] {
  const names = run.results.flatMap((result) =>
    result.differences.filter((d) => d.kind === "not-loaded").map((d) => d.mapping ?? ""),
  );
  return [...new Set(names)];
}

function report(run: SuiteRun, options: RunOptions): void {
  if (options.reporter === "json") {
    process.stdout.write(jsonReport(run));
    return;
  }
  if (options.reporter === "junit") {
    process.stdout.write(junitReport(run));
    if (run.coverage) process.stderr.write(coverageReport(run.coverage, stderrColors));
    return;
  }
  process.stdout.write(prettyReport(run, stdoutColors));
  if (run.coverage) process.stdout.write(`\n${coverageReport(run.coverage, stdoutColors)}`);
}
