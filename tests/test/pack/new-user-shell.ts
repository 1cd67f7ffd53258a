import { type ChildProcess, spawn } from "node:child_process";
import { repositoryRoot } from "./workspace-packages.js";

/**
 * A shell as a new user has it: nothing the monorepo's npm scripts, turbo or
 * vitest put in the environment (npm_* settings, node_modules/.bin on PATH,
 * NODE_PATH, NODE_ENV=test), so nothing can resolve back into the monorepo.
 * npm keeps using this machine's cache, preferring it to the registry.
 */
export function newUserEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || inheritedFromTheRepository(name)) continue;
    env[name] = value;
  }
  const root = repositoryRoot.replace(/\/$/, "");
  env.PATH = (process.env.PATH ?? "")
    .split(":")
    .filter((entry) => entry !== root && !entry.startsWith(`${root}/`))
    .join(":");
  return {
    ...env,
    npm_config_prefer_offline: "true",
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
    NO_COLOR: "1",
    ...extra,
  };
}

function inheritedFromTheRepository(name: string): boolean {
  return /^(npm_|NODE_PATH$|NODE_OPTIONS$|NODE_ENV$|INIT_CWD$|TURBO|VITEST|GWEN|FORCE_COLOR$|NO_COLOR$)/i.test(
    name,
  );
}

export interface ShellResult {
  readonly code: number | null;
  readonly output: string;
}

/** Run one command line with bash in `cwd`; stdout and stderr interleaved, as a terminal shows them. */
export function runShell(
  command: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<ShellResult> {
  const child = startShell(command, cwd, env);
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, output }));
  });
}

/** Start a command line that keeps running (its own process group, so it can be stopped whole). */
export function startShell(command: string, cwd: string, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn("bash", ["-c", command], {
    cwd,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Stop a process started with `startShell`, and everything it started, and wait for it. */
export async function stopShell(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const closed = new Promise((resolve) => child.once("close", resolve));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-(child.pid as number), "SIGKILL");
    } catch {}
  }, 10_000);
  await closed;
  clearTimeout(timer);
}

/** A running process's stdout and stderr, kept from its start. */
export interface WatchedOutput {
  text(): string;
  /** The first match of `pattern` in the output so far or to come; fails after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
}

export function watchOutput(child: ChildProcess): WatchedOutput {
  let seen = "";
  const append = (chunk: Buffer) => {
    seen += chunk.toString();
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  return {
    text: () => seen,
    waitFor: async (pattern, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = seen.match(pattern);
        if (match) return match;
        if (Date.now() > deadline || child.exitCode !== null) {
          throw new Error(`no ${pattern} within ${timeoutMs} ms; the output was:\n${seen}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
}
