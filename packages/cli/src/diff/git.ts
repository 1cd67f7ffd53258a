import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { CliError } from "../errors.js";

const run = promisify(execFile);

/** Run git in `cwd` and return its stdout; a failure is `E_GIT` with git's own words. */
export async function git(args: readonly string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await run("git", [...args], { cwd, maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  } catch (cause) {
    const error = cause as NodeJS.ErrnoException & { stderr?: string };
    const reason =
      error.code === "ENOENT" ? "git is not installed or not on PATH" : (error.stderr ?? "").trim();
    throw new CliError("E_GIT", `git ${args[0]} failed: ${reason || error.message}`, { cause });
  }
}

/** Run git and return stdout as bytes (file contents). */
export async function gitBytes(args: readonly string[], cwd: string): Promise<Buffer> {
  try {
    const { stdout } = await run("git", [...args], {
      cwd,
      encoding: "buffer",
      maxBuffer: 256 * 1024 * 1024,
    });
    return stdout;
  } catch (cause) {
    throw new CliError("E_GIT", `git ${args.join(" ")} failed: ${(cause as Error).message}`, {
      cause,
    });
  }
}
