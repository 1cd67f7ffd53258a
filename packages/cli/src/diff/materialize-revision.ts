import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { UsageError } from "../errors.js";
import { git, gitBytes } from "./git.js";

/** A mappings folder as it was at a git revision, written to a temporary folder. */
export interface MaterializedRevision {
  /** The temporary folder holding the mappings (and fixtures) of the revision. */
  readonly dir: string;
  /** The folder's path inside the repository, e.g. `mappings`. */
  readonly repoPath: string;
  /** How many files the folder had at the revision: 0 when it did not exist yet. */
  readonly files: number;
  remove(): Promise<void>;
}

/**
 * Write the files under `mappingsDir` as they were at `revision` into a
 * temporary folder (`git ls-tree` + `git cat-file`, so the working tree is
 * never touched). A folder that did not exist at the revision gives an
 * empty folder: every mapping is then new.
 */
export async function materializeRevision(
  revision: string,
  mappingsDir: string,
): Promise<MaterializedRevision> {
  const absolute = resolve(mappingsDir);
  const cwd = await existingAncestor(absolute);
  const root = (await git(["rev-parse", "--show-toplevel"], cwd)).trim();
  const commit = await resolveCommit(revision, root);
  const repoPath = relative(await realpath(root), await realOrSelf(absolute))
    .split(sep)
    .join("/");
  if (repoPath.startsWith("..")) {
    throw new UsageError(
      `the mappings folder ${mappingsDir} is outside the git repository ${root}`,
    );
  }
  const listing = await git(
    ["ls-tree", "-r", "-z", "--full-tree", commit, "--", repoPath || "."],
    root,
  );
  const blobs = listing
    .split("\0")
    .filter(Boolean)
    .map(parseTreeEntry)
    .filter((entry) => entry.type === "blob" && entry.mode !== "120000");
  const dir = await mkdtemp(join(tmpdir(), "gwenmap-diff-"));
  for (const blob of blobs) {
    const target = join(dir, repoPath ? blob.path.slice(repoPath.length + 1) : blob.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, await gitBytes(["cat-file", "blob", blob.sha], root));
  }
  return {
    dir,
    repoPath,
    files: blobs.length,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

async function resolveCommit(revision: string, root: string): Promise<string> {
  try {
    return (await git(["rev-parse", "--verify", "--quiet", `${revision}^{commit}`], root)).trim();
  } catch {
    throw new UsageError(
      `--base ${revision} is not a commit in ${root} (try a branch, a tag or HEAD~1)`,
    );
  }
}

interface TreeEntry {
  mode: string;
  type: string;
  sha: string;
  path: string;
}

function parseTreeEntry(line: string): TreeEntry {
  const tab = line.indexOf("\t");
  const [mode = "", type = "", sha = ""] = line.slice(0, tab).split(" ");
  return { mode, type, sha, path: line.slice(tab + 1) };
}

/** The closest folder that exists, to run git in (the mappings folder may be gone now). */
async function existingAncestor(path: string): Promise<string> {
  let current = path;
  for (;;) {
    try {
      return await realpath(current);
    } catch {
      const parent = dirname(current);
      if (parent === current) return process.cwd();
      current = parent;
    }
  }
}

async function realOrSelf(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return join(await existingAncestor(dirname(path)), path.slice(dirname(path).length + 1));
  }
}
