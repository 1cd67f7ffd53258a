import { access, mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fixturesDirOf, listMappingFiles, mappingNameOf, renamedMappingText } from "@gwenmap/core";
import { git } from "../diff/git.js";
import { CliError, UsageError } from "../errors.js";

/** What `gwenmap mv` did. */
export interface MappingMove {
  readonly from: string;
  readonly to: string;
  /** True when the file was tracked and moved with `git mv`. */
  readonly withGit: boolean;
  /** Fixture files rewritten, with how many expectations each renamed. */
  readonly fixtures: readonly { readonly file: string; readonly renamed: number }[];
  /** Fixture files that are not JSON: they were left alone, to rename by hand. */
  readonly skipped: readonly string[];
}

/**
 * Rename a mapping: move its file (with `git mv` when git tracks it) and
 * rename it in every fixture's `expect`, editing only the names. `from` is a
 * mapping name or file; `to` a name (beside `from`), `folder/name` (under the
 * mappings folder) or a `.jsonata` path.
 */
export async function moveMapping(dir: string, from: string, to: string): Promise<MappingMove> {
  const source = await findMapping(dir, from);
  const target = targetFile(dir, source, to);
  const oldName = mappingNameOf(source);
  const newName = mappingNameOf(target);
  await refuseTaken(dir, target, { from: oldName, to: newName });
  const withGit = await isTracked(source);
  await mkdir(dirname(target), { recursive: true });
  if (withGit) await git(["mv", "--", resolve(source), resolve(target)], dirname(resolve(source)));
  else await rename(source, target);
  const { fixtures, skipped } = await renameInFixtures(dir, oldName, newName);
  return { from: source, to: target, withGit, fixtures, skipped };
}

async function findMapping(dir: string, from: string): Promise<string> {
  if (from.endsWith(".jsonata")) {
    if (await exists(from)) return from;
    throw new UsageError(
      `there is no mapping file ${from}: name a mapping, e.g. gwenmap mv send-event track-event`,
    );
  }
  const files = await listMappingFiles(dir).catch((cause: unknown) => {
    throw new CliError(
      "E_FILE",
      `cannot read the mappings folder ${dir}: ${(cause as Error).message}`,
      { cause },
    );
  });
  const matches = files.filter((file) => mappingNameOf(file) === from);
  if (matches.length === 1) return matches[0] as string;
  if (matches.length > 1) {
    throw new UsageError(
      `several files define the mapping ${from} (${matches.join(", ")}): name the file to move`,
    );
  }
  const names = files.map(mappingNameOf).join(", ") || "none";
  throw new UsageError(`there is no mapping named ${from} in ${dir} (mappings: ${names})`);
}

/** `to` as a file: a path as given; a bare name beside the source; `folder/name` under the mappings folder. */
function targetFile(dir: string, source: string, to: string): string {
  if (to.endsWith(".jsonata")) return to;
  if (!/^[\w-][\w.-]*(\/[\w-][\w.-]*)*$/.test(to)) {
    throw new UsageError(
      `"${to}" is not a mapping name: use letters, digits, ".", "_" and "-" (e.g. track-event), or a path ending in .jsonata`,
    );
  }
  return to.includes("/") ? join(dir, `${to}.jsonata`) : join(dirname(source), `${to}.jsonata`);
}

async function refuseTaken(
  dir: string,
  target: string,
  names: { readonly from: string; readonly to: string },
): Promise<void> {
  const { from: oldName, to: newName } = names;
  if (await exists(target)) throw new UsageError(`${target} already exists: choose another name`);
  if (newName === oldName) return;
  const files = await listMappingFiles(dir);
  const taken = files.find((file) => mappingNameOf(file) === newName);
  if (taken)
    throw new UsageError(
      `the mapping name ${newName} is taken by ${taken}: mapping names must be unique`,
    );
}

async function isTracked(file: string): Promise<boolean> {
  try {
    await git(["ls-files", "--error-unmatch", "--", resolve(file)], dirname(resolve(file)));
    return true;
  } catch {
    return false; // not a repository, git missing, or the file is not tracked
  }
}

async function renameInFixtures(
  dir: string,
  from: string,
  to: string,
): Promise<{ fixtures: MappingMove["fixtures"]; skipped: string[] }> {
  const folder = fixturesDirOf(dir);
  const names = await readdir(folder).catch(() => [] as string[]);
  const fixtures: { file: string; renamed: number }[] = [];
  const skipped: string[] = [];
  for (const name of names.filter((entry) => entry.endsWith(".json")).sort()) {
    const file = join(folder, name);
    const text = await readFile(file, "utf8");
    let rewritten: ReturnType<typeof renamedMappingText>;
    try {
      rewritten = renamedMappingText(text, from, to);
    } catch {
      if (text.includes(`"${from}"`)) skipped.push(file);
      continue;
    }
    if (rewritten.renamed === 0) continue;
    await writeFile(file, rewritten.text, "utf8");
    fixtures.push({ file, renamed: rewritten.renamed });
  }
  return { fixtures, skipped };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** A path as the user sees it: relative to the current folder. */
export function shown(path: string): string {
  return relative(process.cwd(), resolve(path)) || path;
}
