import type { Engine, Mapping } from "@gwenmap/core";
import { CliError } from "../errors.js";
import { stderrColors } from "../terminal/colors.js";
import { warn } from "../terminal/warn.js";
import { emptyFolderWarning } from "./empty-folder-warning.js";
import { countOf, formatProblems } from "./format-problems.js";
import { loadGwenEngine } from "./load-gwen-mappings.js";

/** A mapping set that loaded: the engine built from it, with GWEN's action contracts. */
export interface MappingSet {
  readonly dir: string;
  readonly engine: Engine;
  readonly mappings: readonly Mapping[];
}

/**
 * Load and compile a mappings folder against GWEN's actions. A set with any
 * problem is refused as a whole: `E_MAPPINGS_INVALID` listing every problem.
 * An empty folder is a warning (unless `mayBeEmpty`: a revision before the folder existed).
 */
export async function loadMappingSet(
  dir: string,
  display: { label?: string; rename?: (text: string) => string; mayBeEmpty?: boolean } = {},
): Promise<MappingSet> {
  const loaded = await loadGwenEngine(dir);
  if (!loaded.ok) {
    const rename = display.rename ?? ((text: string) => text);
    throw new CliError(
      "E_MAPPINGS_INVALID",
      `the mappings in ${display.label ?? dir} do not load (${countOf(loaded.errors.length, "problem")}):`,
      { details: rename(formatProblems(loaded.errors, stderrColors)) },
    );
  }
  if (loaded.mappings.length === 0 && !display.mayBeEmpty)
    warn(emptyFolderWarning(display.label ?? dir));
  return { dir, engine: loaded.engine, mappings: loaded.mappings };
}
