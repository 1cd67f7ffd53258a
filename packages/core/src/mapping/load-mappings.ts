import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import type { ActionContracts } from "../action/action-contract.js";
import { MappingError } from "../errors.js";
import { defaultEvaluationLimits, type EvaluationLimits } from "../evaluator/evaluator.js";
import { SourceText } from "../source/source-text.js";
import { compileMapping } from "./compile-mapping.js";
import type { Mapping } from "./mapping.js";
import { errorAt, parseMappingFile } from "./parse-mapping-file.js";

export interface LoadMappingsOptions {
  readonly contracts: ActionContracts;
  readonly limits?: Partial<EvaluationLimits>;
}

/** Every mapping that compiled, and every problem found; the set is usable only when `errors` is empty. */
export interface LoadMappingsResult {
  readonly mappings: readonly Mapping[];
  readonly errors: readonly MappingError[];
}

/** Folders inside a mappings directory that hold no mappings. */
const skippedFolders = new Set(["fixtures", "node_modules"]);

/**
 * Load and compile every `*.jsonata` file under `dir` (sub-folders included,
 * `fixtures/` and dot-folders skipped), in a stable order. Never throws for
 * a bad mapping: every problem of every file comes back in `errors`.
 */
export async function loadMappings(
  dir: string,
  options: LoadMappingsOptions,
): Promise<LoadMappingsResult> {
  const limits = { ...defaultEvaluationLimits, ...options.limits };
  let files: string[];
  try {
    files = await listMappingFiles(dir);
  } catch (cause) {
    const reason =
      (cause as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : "cannot be read";
    const error = new MappingError(
      "E_MAPPINGS_DIR",
      `the mappings directory ${dir} ${reason}: pass --mappings DIR or set GWENMAP_MAPPINGS`,
      { cause },
    );
    return { mappings: [], errors: [error] };
  }
  const mappings: Mapping[] = [];
  const errors: MappingError[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const loaded = await loadMappingFile(file, options.contracts, limits);
    if (!loaded.ok) {
      errors.push(...loaded.errors);
      continue;
    }
    const { mapping, text } = loaded;
    const earlier = seen.get(mapping.name);
    if (earlier) {
      errors.push(
        errorAt(
          { file, text, offset: 0 },
          "E_MAPPING_DUPLICATE_NAME",
          `a mapping named "${mapping.name}" is already defined by ${earlier}: mapping names (file names) must be unique`,
        ),
      );
      continue;
    }
    seen.set(mapping.name, file);
    mappings.push(mapping);
  }
  return { mappings, errors };
}

type LoadFileResult =
  | { ok: true; mapping: Mapping; text: SourceText }
  | { ok: false; errors: readonly MappingError[] };

async function loadMappingFile(
  file: string,
  contracts: ActionContracts,
  limits: EvaluationLimits,
): Promise<LoadFileResult> {
  let text: SourceText;
  try {
    text = new SourceText(await readFile(file, "utf8"));
  } catch (cause) {
    return {
      ok: false,
      errors: [
        new MappingError("E_MAPPING_READ", `cannot read ${file}: ${(cause as Error).message}`, {
          cause,
        }),
      ],
    };
  }
  const parsed = parseMappingFile(file, text, contracts);
  if (!parsed.ok) return parsed;
  const compiled = compileMapping(parsed.file, limits);
  if (!compiled.ok) return compiled;
  return { ok: true, mapping: compiled.mapping, text };
}

/** `*.jsonata` paths under `dir`, as `dir`-joined paths, sorted for a stable mapping order. */
export async function listMappingFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith(".jsonata")) continue;
    const parent = entry.parentPath ?? (entry as { path?: string }).path ?? dir;
    const path = join(parent, entry.name);
    const folders = relative(dir, parent).split(/[\\/]/).filter(Boolean);
    if (folders.some((folder) => folder.startsWith(".") || skippedFolders.has(folder))) continue;
    files.push(path);
  }
  return files.sort();
}
