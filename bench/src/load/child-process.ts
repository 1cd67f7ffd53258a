import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

const benchDir = fileURLToPath(new URL("../..", import.meta.url));

/** A child process running one of `src/children/*.ts` (through tsx). */
export interface Child {
  readonly process: ChildProcess;
  /** The first JSON line it printed on stdout. */
  readonly announced: Record<string, unknown>;
  stop(): Promise<void>;
}

/** The command line that runs a bench script: node with tsx's loader. */
export function scriptCommand(script: string, args: readonly string[]): string[] {
  const path = fileURLToPath(new URL(`../children/${script}`, import.meta.url));
  return ["--import", "tsx", path, ...args];
}

/**
 * Starts `src/children/<script>` and waits for the JSON line it announces
 * itself with (a URL for servers, a result for load runs). Rejects with its
 * stderr when it exits first.
 */
export async function startChild(
  script: string,
  options: { args?: readonly string[]; env?: Record<string, string>; stdin?: boolean } = {},
): Promise<Child> {
  const { args = [], env = {}, stdin = false } = options;
  const child = spawn(process.execPath, scriptCommand(script, args), {
    cwd: benchDir,
    env: { ...process.env, ...env },
    stdio: [stdin ? "pipe" : "ignore", "pipe", "pipe"],
  });
  const announced = await firstJsonLine(child, script);
  return {
    process: child,
    announced,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Resolves with the first line of `child`'s stdout that parses as a JSON object. */
export function firstJsonLine(child: ChildProcess, what: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const onData = (chunk: Buffer) => {
      stdout += chunk.toString();
      for (const line of stdout.split("\n").slice(0, -1)) {
        const value = parseObject(line);
        if (value) {
          child.stdout?.off("data", onData);
          resolve(value);
          return;
        }
      }
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code, signal) =>
      reject(new Error(`${what} exited (${code ?? signal}) before it answered:\n${stderr}`)),
    );
  });
}

function parseObject(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === "object" && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
