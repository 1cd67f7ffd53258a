import { access, mkdir, readFile, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { CliError } from "../errors.js";
import { planManifest } from "./project-manifest.js";
import { type ScaffoldFile, scaffoldFiles } from "./scaffold-files.js";

export interface InitOptions {
  /** The project folder; created when missing. */
  readonly dir: string;
  /** The version of the running CLI, for the devDependency. */
  readonly cliVersion: string;
  /** Overwrite files that exist and scripts that say something else. */
  readonly force: boolean;
}

/**
 * What `gwenmap init` did: the files it wrote (created or overwritten) and
 * whether it changed package.json. With conflicts nothing was written.
 */
export type InitResult =
  | { readonly ok: true; readonly written: readonly string[]; readonly manifest: ManifestChange }
  | { readonly ok: false; readonly conflicts: readonly string[] };

export type ManifestChange = "created" | "updated" | "unchanged";

/**
 * Scaffold a mappings project in `dir`. Refuses (and writes nothing) when a
 * file it would write exists already, unless `force`; an existing
 * package.json is extended rather than replaced.
 */
export async function initProject(options: InitOptions): Promise<InitResult> {
  const dir = resolve(options.dir);
  const files = await scaffoldFiles();
  const existing = await existingPaths(dir, files);
  const manifestPath = join(dir, "package.json");
  const manifestText = await readIfExists(manifestPath);
  const manifest = planManifest({
    ...(manifestText === undefined ? {} : { existing: manifestText }),
    name: projectName(dir),
    cliVersion: options.cliVersion,
    force: options.force,
  });
  const conflicts = [...(options.force ? [] : existing), ...manifest.conflicts];
  if (conflicts.length > 0) return { ok: false, conflicts };
  for (const file of files) await write(join(dir, file.path), file.content);
  if (manifest.content !== undefined) await write(manifestPath, manifest.content);
  const change: ManifestChange =
    manifest.content === undefined
      ? "unchanged"
      : manifestText === undefined
        ? "created"
        : "updated";
  return { ok: true, written: files.map((file) => file.path), manifest: change };
}

/** Write a file, creating its folders; a failure is the user's to fix (a file where a folder must go, no permission). */
async function write(path: string, content: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
    throw new CliError("E_FILE", `gwenmap init cannot write ${path} (${reason})`, {
      cause,
      details: "Check that the folder is writable and that no file stands where a folder must go.",
    });
  }
}

async function existingPaths(dir: string, files: readonly ScaffoldFile[]): Promise<string[]> {
  const found: string[] = [];
  for (const file of files) {
    if (await exists(join(dir, file.path))) found.push(file.path);
  }
  return found;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

async function readIfExists(path: string): Promise<string | undefined> {
  return (await exists(path)) ? readFile(path, "utf8") : undefined;
}

/** An npm package name from the folder's name (lower case, no spaces). */
function projectName(dir: string): string {
  const name = basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[._-]+/, "");
  return name || "gwen-mappings";
}
