import { type Fixture, loadFixtures } from "@gwenmap/core";
import { defineCommand } from "citty";
import { ExitCode } from "../cli/exit-code.js";
import type { FixtureOrigin } from "../diff/compare-outputs.js";
import { compareOutputs } from "../diff/compare-outputs.js";
import { diffReportJson, diffReportText } from "../diff/diff-report.js";
import { mappingChanges } from "../diff/mapping-changes.js";
import { materializeRevision } from "../diff/materialize-revision.js";
import { UsageError } from "../errors.js";
import { countOf, formatProblems } from "../mapping-set/format-problems.js";
import { loadMappingSet } from "../mapping-set/load-mapping-set.js";
import { resolveMappingsDir } from "../options/resolve-options.js";
import { mappingsArg } from "../options/shared-args.js";
import { stderrColors, stdoutColors } from "../terminal/colors.js";

export const examples = [
  "gwenmap diff --base main",
  "gwenmap diff --base HEAD~1 --mappings examples/mappings",
  "gwenmap diff --base origin/main --json > mapping-review.json",
];

export default defineCommand({
  meta: {
    name: "diff",
    description:
      "Map every fixture event with the mappings at a git revision and as they are now, and show what changed per fixture (exit 0 either way)",
  },
  args: {
    base: {
      type: "string",
      valueHint: "REV",
      description: "The git revision to compare with: a branch, tag or commit (e.g. --base main)",
    },
    mappings: mappingsArg,
    json: {
      type: "boolean",
      description: "Print the changes as one JSON object (e.g. --json)",
    },
  },
  async run({ args }) {
    if (!args.base) throw new UsageError("diff needs --base REV, e.g. --base main");
    const dir = resolveMappingsDir(args.mappings);
    const revision = await materializeRevision(args.base, dir);
    try {
      const label = `${args.base}:${revision.repoPath || "."}`;
      const renameBase = (text: string) => text.replaceAll(revision.dir, label);
      const base = await loadMappingSet(revision.dir, {
        label,
        rename: renameBase,
        mayBeEmpty: true,
      });
      const current = await loadMappingSet(dir);
      const fixtures = await fixtureUnion(dir, { dir: revision.dir, label });
      const changes = await compareOutputs(
        { base: base.engine, current: current.engine },
        fixtures,
        (text) => text.replaceAll(revision.dir, dir),
      );
      const report = {
        base: args.base,
        mappings: mappingChanges(base.mappings, current.mappings),
        changes,
      };
      process.stdout.write(
        args.json ? diffReportJson(report) : diffReportText(report, stdoutColors),
      );
      return ExitCode.ok;
    } finally {
      await revision.remove();
    }
  },
});

/** The fixtures as they are now, plus those that exist only at the base revision. */
async function fixtureUnion(
  dir: string,
  base: { dir: string; label: string },
): Promise<{ fixture: Fixture; origin: FixtureOrigin }[]> {
  const now = await loadFixtures(dir);
  const before = await loadFixtures(base.dir);
  const rename = (text: string) => text.replaceAll(base.dir, base.label);
  const problems = [...now.errors, ...before.errors];
  if (problems.length > 0) {
    process.stderr.write(
      `${stderrColors.yellow(`skipping ${countOf(problems.length, "fixture problem")} (at the base revision or now):`)}\n${rename(formatProblems(problems, stderrColors))}\n\n`,
    );
  }
  const names = new Set(before.fixtures.map((fixture) => fixture.name));
  const current = new Set(now.fixtures.map((fixture) => fixture.name));
  return [
    ...now.fixtures.map((fixture) => ({
      fixture,
      origin: (names.has(fixture.name) ? "both" : "new") as FixtureOrigin,
    })),
    ...before.fixtures
      .filter((fixture) => !current.has(fixture.name))
      .map((fixture) => ({
        fixture: { ...fixture, file: rename(fixture.file) },
        origin: "deleted" as FixtureOrigin,
      })),
  ];
}
