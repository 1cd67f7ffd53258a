import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { MappingError } from "../errors.js";
import { SourceText } from "../source/source-text.js";
import { type CompileMappingOptions, compileMappingText } from "./compile-mapping-text.js";
import type { Mapping } from "./mapping.js";
import { errorAt } from "./parse-mapping-file.js";

export type LoadMappingsOptions = CompileMappingOptions;

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
    const loaded = await loadMappingFile(file, options);
    if (!loaded.ok) {
      errors.push(...loaded.errors);
      continue;
    }
    const { mapping, text } = loaded;
    const earlier = seen.get(mapping.name);
    if (earlier) {
      errors.push(
        errorAt(
          { file, text: new SourceText(text), offset: 0 },
          {
            code: "E_MAPPING_DUPLICATE_NAME",
            message: `a mapping named "${mapping.name}" is already defined by ${earlier}: mapping names (file names) must be unique`,
          },
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
  | { ok: true; mapping: Mapping; text: string }
  | { ok: false; errors: readonly MappingError[] };

async function loadMappingFile(
  file: string,
  options: CompileMappingOptions,
): Promise<LoadFileResult> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
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
  const compiled = compileMappingText(file, text, options);
  if (!compiled.ok) return compiled;
  return { ok: true, mapping: compiled.mapping, text };
}

/**
 * The mapping files of a folder: `*.jsonata` paths under `dir` (sub-folders
 * included, `fixtures/`, `node_modules/` and dot-folders skipped), as
 * `dir`-joined paths, sorted for a stable mapping order. Throws what
 * `readdir` throws when `dir` cannot be read.
 */
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
