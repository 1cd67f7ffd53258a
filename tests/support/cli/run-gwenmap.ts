import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

const require = createRequire(import.meta.url);
const manifestPath = require.resolve("@gwenmap/cli/package.json");
const manifest = require(manifestPath) as { bin: { gwenmap: string } };

/** The built `gwenmap` binary (packages/cli/dist/bin.js), as npm would link it. */
export const gwenmapBin = join(dirname(manifestPath), manifest.bin.gwenmap);

export interface RunOptions {
  readonly cwd: string;
  /** Added to a clean environment (no GWEN_* or colour variables from the test runner). */
  readonly env?: Readonly<Record<string, string>>;
  /** Written to stdin, then closed. */
  readonly stdin?: string;
}

export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment a user's shell would have, without anything the test runner set. */
export function cleanEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(GWEN|GWENMAP|FORCE_COLOR|NO_COLOR|VITEST|TEST)/.test(name)) delete env[name];
  }
  return { ...env, ...extra };
}

/** Start `gwenmap ARGS` as a child process; read its output with `collect`. */
export function spawnGwenmap(args: readonly string[], options: RunOptions): ChildProcess {
  const child = spawn(process.execPath, [gwenmapBin, ...args], {
    cwd: options.cwd,
    env: cleanEnv(options.env),
    stdio: ["pipe", "pipe", "pipe"],
  });
  if (options.stdin !== undefined) child.stdin?.end(options.stdin);
  else child.stdin?.end();
  return child;
}

/** Run `gwenmap ARGS` to the end and return its exit code and output. */
export async function runGwenmap(args: readonly string[], options: RunOptions): Promise<RunResult> {
  const child = spawnGwenmap(args, options);
  const output = collect(child);
  return finished(child, output);
}

export interface CollectedOutput {
  stdout: string;
  stderr: string;
}

/** Gather a child's stdout and stderr as text, live. */
export function collect(child: ChildProcess): CollectedOutput {
  const output = { stdout: "", stderr: "" };
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    output.stdout += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    output.stderr += chunk;
  });
  return output;
}

/** Wait for the child to exit. */
export function finished(child: ChildProcess, output: CollectedOutput): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => resolve({ code, signal, ...output }));
  });
}

/** Wait until the collected output matches, or fail after `timeoutMs` showing what was seen. */
export async function waitForOutput(
  output: CollectedOutput,
  pattern: RegExp,
  timeoutMs = 20_000,
): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = `${output.stdout}\n${output.stderr}`.match(pattern);
    if (match) return match;
    if (Date.now() > deadline) {
      throw new Error(
        `no output matching ${pattern} within ${timeoutMs} ms.\nstdout:\n${output.stdout}\nstderr:\n${output.stderr}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Run `gwenmap ARGS` on a real terminal (a pseudo-terminal from util-linux's
 * `script`), `columns` wide, and return what it printed there (stdout and
 * stderr together, as a terminal shows them).
 */
export async function runOnTerminal(
  args: readonly string[],
  options: { cwd: string; columns?: number; env?: Readonly<Record<string, string>> },
): Promise<string> {
  const quoted = [process.execPath, gwenmapBin, ...args].map((arg) => `'${arg}'`).join(" ");
  const command = `stty cols ${options.columns ?? 100}; ${quoted}`;
  const { stdout } = await promisify(execFile)("script", ["-qec", command, "/dev/null"], {
    cwd: options.cwd,
    env: cleanEnv(options.env),
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? "" }));
  return stdout;
}
