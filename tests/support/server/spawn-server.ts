import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { onWorkerExit } from "../cleanup/worker-exit.js";

/** The repository root, and what `npm start` runs. */
export const REPOSITORY = fileURLToPath(new URL("../../../", import.meta.url));
export const SERVER_MAIN = join(REPOSITORY, "packages/server/dist/main.js");
export const SHIPPED_MAPPINGS = join(REPOSITORY, "mappings");

const START_TIMEOUT_MS = 20_000;

/**
 * Server processes still running. Tests stop theirs in their hooks; this is
 * for a test worker that ends without them (a run interrupted, a test timed
 * out and still starting servers): none outlives the worker that started it.
 */
const running = new Set<ChildProcess>();
onWorkerExit(() => {
  for (const child of running) child.kill("SIGKILL");
});
const LISTENING = "gwenmap server listening";

/** One server process (`node packages/server/dist/main.js`), its log lines, and how it ended. */
export interface ServerProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Every JSON log line so far. */
  readonly logs: Record<string, unknown>[];
  /** Resolves with the exit code (or the signal) once the process has ended. */
  readonly exited: Promise<number | NodeJS.Signals>;
  /** Sends `signal` and waits for the process to end. */
  stop(signal?: NodeJS.Signals): Promise<number | NodeJS.Signals>;
}

/**
 * Starts the real server process with `env` (on a free port unless PORT is
 * given) and resolves once it logs where it listens. Rejects with the log
 * when it exits first or has not said where it listens within 20 s.
 */
export async function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, [SERVER_MAIN], {
    cwd: REPOSITORY,
    env: { PATH: process.env.PATH ?? "", PORT: "0", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: Record<string, unknown>[] = [];
  const stderr: string[] = [];
  child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
  running.add(child);
  const exited = once(child, "exit").then(([code, signal]) => {
    running.delete(child);
    return (code ?? signal) as number | NodeJS.Signals;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(
        new Error(`${why}:\n${logs.map((entry) => entry.msg).join("\n")}\n${stderr.join("")}`),
      );
    };
    // The address is only in the info line: a log level above info would leave this waiting.
    const timer = setTimeout(
      () => fail(`the server did not log where it listens within ${START_TIMEOUT_MS} ms`),
      START_TIMEOUT_MS,
    );
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      logs.push(entry);
      if (typeof entry.url === "string" && String(entry.msg).startsWith(LISTENING)) {
        clearTimeout(timer);
        resolve(entry.url);
      }
    });
    void exited.then((how) => fail(`the server exited (${how}) before listening`));
  });
  return {
    url,
    child,
    logs,
    exited,
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** A temporary data directory for the server's SQLite queue. */
export async function temporaryDataDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "gwenmap-e2e-server-"));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A temporary mappings directory holding `files` (name without `.jsonata` -> text). */
export async function temporaryMappingsDir(
  files: Readonly<Record<string, string>> = {},
): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "gwenmap-e2e-mappings-"));
  for (const [name, text] of Object.entries(files)) {
    await writeFile(join(dir, `${name}.jsonata`), text);
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Polls `check` until it answers something other than undefined. */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
