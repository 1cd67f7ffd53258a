import type { GwenmapError } from "@gwenmap/core";
import { defineCommand } from "citty";
import { ExitCode } from "../cli/exit-code.js";
import { emptyFolderWarning } from "../mapping-set/empty-folder-warning.js";
import { formatEvaluators } from "../mapping-set/format-evaluators.js";
import { countOf, formatProblems } from "../mapping-set/format-problems.js";
import { loadGwenSuite } from "../mapping-set/load-gwen-mappings.js";
import { resolveMappingsDir } from "../options/resolve-options.js";
import { mappingsArg } from "../options/shared-args.js";
import { stderrColors, stdoutColors } from "../terminal/colors.js";
import { warn } from "../terminal/warn.js";

export const examples = [
  "gwenmap validate",
  "gwenmap validate --mappings examples/mappings",
  "gwenmap validate --verbose",
  "GWENMAP_MAPPINGS=./mappings gwenmap validate",
];

export default defineCommand({
  meta: {
    name: "validate",
    description:
      "Compile every mapping and fixture; list every problem as file:line:col CODE message",
  },
  args: {
    mappings: mappingsArg,
    verbose: {
      type: "boolean",
      description:
        "Also list each mapping as compiled or falling back to jsonata's interpreter, with the reason (e.g. --verbose)",
    },
  },
  async run({ args }) {
    const dir = resolveMappingsDir(args.mappings);
    const suite = await loadGwenSuite(dir);
    const { mappings, fixtures } = suite;
    if (mappings.length === 0 && suite.mappingErrors.length === 0) warn(emptyFolderWarning(dir));
    const problems: GwenmapError[] = [
      ...suite.mappingErrors,
      ...suite.fixtureErrors,
      ...suite.namingErrors,
    ];
    if (problems.length > 0) {
      process.stderr.write(`${formatProblems(problems, stderrColors)}\n\n`);
      process.stderr.write(`${stderrColors.red(countOf(problems.length, "problem"))} in ${dir}\n`);
      return ExitCode.failure;
    }
    const summary = `${countOf(mappings.length, "mapping")} and ${countOf(fixtures.length, "fixture")} in ${dir} are valid`;
    process.stdout.write(`${stdoutColors.green("✓")} ${summary}\n`);
    if (args.verbose) process.stdout.write(`${formatEvaluators(mappings, stdoutColors)}\n`);
    return ExitCode.ok;
  },
});
