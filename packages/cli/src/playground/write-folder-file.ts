import { randomBytes } from "node:crypto";
import { lstat, mkdir, realpath, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, sep } from "node:path";
import { Refusal } from "./refusal.js";

/** Where a page may write: a mapping file the loader reads, or a fixture. */
const mappingPath = /^(?:[A-Za-z0-9_][\w.-]*\/)*[A-Za-z0-9_][\w.-]*\.jsonata$/;
const fixturePath = /^fixtures\/[A-Za-z0-9][\w.-]*\.json$/;
const skippedFolders = new Set(["fixtures", "node_modules"]);

/** The largest file the page may write: far above any mapping or fixture. */
export const MAX_FILE_BYTES = 1024 * 1024;

/**
 * Write `text` to `path` inside the mappings folder `dir`, or refuse: only a
 * mapping (`*.jsonata`, in the folder or an existing sub-folder) or a fixture
 * (`fixtures/<name>.json`) may be written; no absolute path, `..`, link or
 * folder that leads outside. The text goes to a temporary file renamed over
 * the target, so a reader never sees half a file and a link put in its
 * place meanwhile is replaced, not followed. Resolves to whether the file is new.
 */
export async function writeFolderFile(dir: string, path: string, text: string): Promise<boolean> {
  checkShape(path);
  const root = await realpath(dir);
  const target = join(root, ...path.split("/"));
  const parent = dirname(target);
  if (path.startsWith("fixtures/")) await ensureFixturesFolder(root);
  await checkInside(root, parent, path);
  const existing = await lstat(target).catch(() => undefined);
  if (existing && !existing.isFile()) {
    throw new Refusal(
      "E_PATH",
      `${path} is ${existing.isSymbolicLink() ? "a link" : "not a file"}: the playground writes only plain files`,
    );
  }
  const temporary = join(parent, `.${randomBytes(6).toString("hex")}.gwenmap-playground.tmp`);
  try {
    await writeFile(temporary, text, { encoding: "utf8", flag: "wx" });
    await rename(temporary, target);
  } catch (cause) {
    await rm(temporary, { force: true });
    throw new Refusal("E_FILE", `cannot write ${path}: ${(cause as Error).message}`, { cause });
  }
  return existing === undefined;
}

function checkShape(path: string): void {
  const folders = path.split("/").slice(0, -1);
  const isMapping =
    mappingPath.test(path) &&
    !folders.some((folder) => folder.startsWith(".") || skippedFolders.has(folder));
  if (!isMapping && !fixturePath.test(path)) {
    throw new Refusal(
      "E_PATH",
      `the playground writes only mappings (name.jsonata) and fixtures (fixtures/name.json) inside the mappings folder, not ${JSON.stringify(path)}`,
    );
  }
}

/** The folder a file goes in must be the mappings folder or below it once links are resolved. */
async function checkInside(root: string, parent: string, path: string): Promise<void> {
  const real = await realpath(parent).catch(() => undefined);
  const inside = real !== undefined && (real === root || real.startsWith(`${root}${sep}`));
  if (!inside) {
    throw new Refusal(
      "E_PATH",
      `${path} is not inside the mappings folder${real === undefined ? " (its folder does not exist)" : " (a link leads out of it)"}`,
    );
  }
}

async function ensureFixturesFolder(root: string): Promise<void> {
  const folder = join(root, "fixtures");
  const found = await lstat(folder).catch(() => undefined);
  if (!found) await mkdir(folder);
}
