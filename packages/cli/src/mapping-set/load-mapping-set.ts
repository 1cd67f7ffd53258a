import { type Engine, type Fixture, loadEngine, loadFixtures, type Mapping } from "@gwenmap/core";
import { actions } from "@gwenmap/gwen-adapter";
import { CliError } from "../errors.js";
import { stderrColors } from "../terminal/colors.js";
import { countOf, formatProblems } from "./format-problems.js";

/** A mapping set that loaded: the engine built from it, with GWEN's action contracts. */
export interface MappingSet {
  readonly dir: string;
  readonly engine: Engine;
  readonly mappings: readonly Mapping[];
}

/**
 * Load and compile a mappings folder against GWEN's actions. A set with any
 * problem is refused as a whole: `E_MAPPINGS_INVALID` listing every problem.
 */
export async function loadMappingSet(
  dir: string,
  display: { label?: string; rename?: (text: string) => string } = {},
): Promise<MappingSet> {
  const loaded = await loadEngine(dir, { contracts: actions });
  if (!loaded.ok) {
    const rename = display.rename ?? ((text: string) => text);
    throw new CliError(
      "E_MAPPINGS_INVALID",
      `the mappings in ${display.label ?? dir} do not load (${countOf(loaded.errors.length, "problem")}):`,
      { details: rename(formatProblems(loaded.errors, stderrColors)) },
    );
  }
  return { dir, engine: loaded.engine, mappings: loaded.mappings };
}

/** A set's fixtures; a fixture that does not load is an error listing every problem. */
export async function loadSetFixtures(set: MappingSet): Promise<readonly Fixture[]> {
  const names = set.mappings.map((mapping) => mapping.name);
  const { fixtures, errors } = await loadFixtures(set.dir, { mappingNames: names });
  if (errors.length > 0) {
    throw new CliError(
      "E_MAPPINGS_INVALID",
      `the fixtures of ${set.dir} do not load (${countOf(errors.length, "problem")}):`,
      { details: formatProblems(errors, stderrColors) },
    );
  }
  return fixtures;
}
