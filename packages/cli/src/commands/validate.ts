import { type GwenmapError, loadFixtures, loadMappings } from "@gwenmap/core";
import { actions } from "@gwenmap/gwen-adapter";
import { defineCommand } from "citty";
import { ExitCode } from "../cli/exit-code.js";
import { formatEvaluators } from "../mapping-set/format-evaluators.js";
import { countOf, formatProblems } from "../mapping-set/format-problems.js";
import { resolveMappingsDir } from "../options/resolve-options.js";
import { mappingsArg } from "../options/shared-args.js";
import { stderrColors, stdoutColors } from "../terminal/colors.js";

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
    const { mappings, errors: mappingErrors } = await loadMappings(dir, { contracts: actions });
    // With a broken mapping its name is unknown, so do not also flag fixtures that name it.
    const names = mappingErrors.length > 0 ? undefined : mappings.map((mapping) => mapping.name);
    const { fixtures, errors: fixtureErrors } = await loadFixtures(dir, {
      ...(names ? { mappingNames: names } : {}),
    });
    const problems: GwenmapError[] = [...mappingErrors, ...fixtureErrors];
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
