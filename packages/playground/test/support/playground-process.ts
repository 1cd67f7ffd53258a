import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const repository = fileURLToPath(new URL("../../../../", import.meta.url));

const cliDir = join(repository, "packages", "cli");
const cliManifest = JSON.parse(readFileSync(join(cliDir, "package.json"), "utf8")) as {
  bin: { gwenmap: string };
};

/** The `gwenmap` command of this repository, as npm links it (turbo builds the CLI before these tests). */
export const gwenmapBin = join(cliDir, cliManifest.bin.gwenmap);

/** A copy of examples/mappings (with its fixtures) in a temporary folder, to edit and save into. */
export async function copyOfExamples(): Promise<{
  base: string;
  dir: string;
  remove(): Promise<void>;
}> {
  const base = await mkdtemp(join(tmpdir(), "gwenmap-playground-"));
  const dir = join(base, "mappings");
  await cp(join(repository, "examples", "mappings"), dir, { recursive: true });
  return { base, dir, remove: () => rm(base, { recursive: true, force: true }) };
}

/** `gwenmap playground` running as a child process, and the URL it printed. */
export interface RunningPlayground {
  readonly child: ChildProcess;
  readonly url: URL;
  readonly output: { stdout: string; stderr: string };
  /** Ctrl-C: SIGINT, then the exit code. */
  stop(): Promise<number | null>;
}

/** Start `gwenmap playground ARGS` in `cwd` and wait for its URL. */
export async function startPlayground(
  args: readonly string[],
  cwd: string,
  env: Readonly<Record<string, string>> = {},
): Promise<RunningPlayground> {
  const { child, output } = spawnGwenmap(["playground", ...args], cwd, env);
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  const url = await new Promise<URL>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no URL printed: ${JSON.stringify(output)}`)),
      20_000,
    );
    const look = () => {
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(output.stdout);
      if (!match?.[1]) return;
      clearTimeout(timer);
      child.stdout?.off("data", look);
      resolve(new URL(match[1]));
    };
    child.stdout?.on("data", look);
    void exited.then((code) => reject(new Error(`exited ${code}: ${JSON.stringify(output)}`)));
  });
  return {
    child,
    url,
    output,
    async stop() {
      if (child.exitCode === null) child.kill("SIGINT");
      return exited;
    },
  };
}

/** Run `gwenmap ARGS` to the end (without blocking the test's event loop, which drives the browser). */
export function runGwenmap(
  args: readonly string[],
  cwd: string,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const { child, output } = spawnGwenmap(args, cwd);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (status) => resolve({ status, ...output }));
  });
}

/** `gwenmap ARGS` as a child process without colours, its output collected as it comes. */
function spawnGwenmap(
  args: readonly string[],
  cwd: string,
  env: Readonly<Record<string, string>> = {},
): { child: ChildProcess; output: { stdout: string; stderr: string } } {
  const child = spawn(process.execPath, [gwenmapBin, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = { stdout: "", stderr: "" };
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    output.stdout += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    output.stderr += chunk;
  });
  return { child, output };
}
