import { execFileSync } from "node:child_process";

/** Run git in a test repository, with an identity so commits work on any machine. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync(
    "git",
    ["-c", "user.email=tests@gwenmap.invalid", "-c", "user.name=gwenmap tests", ...args],
    { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
  );
}

/** Make `dir` a git repository and commit everything in it. */
export function commitAll(dir: string, message: string): void {
  if (!isRepository(dir)) git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "--allow-empty", "-m", message);
}

function isRepository(dir: string): boolean {
  try {
    git(dir, "rev-parse", "--git-dir");
    return true;
  } catch {
    return false;
  }
}
