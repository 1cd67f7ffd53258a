import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { DEFAULT_EMULATOR_API_KEY } from "@gwenmap/gwen-adapter/emulator";
import { type PeakRssWatch, watchPeakRss } from "../load/peak-rss.js";
import { repository } from "./engine-inputs.js";

const LISTENING = "gwenmap server listening";
const START_TIMEOUT_MS = 30_000;

/** The write key the bench's clients send (HTTP Basic user, as Segment's libraries do). */
export const BENCH_WRITE_KEY = "gwenmap-bench-write-key";
export const writeKeyHeader = `Basic ${Buffer.from(`${BENCH_WRITE_KEY}:`).toString("base64")}`;

/** Settings under which GWEN (the emulator) refuses the server's key, so its delivery pauses. */
export const DELIVERY_PAUSED: Readonly<Record<string, string>> = {
  GWEN_API_KEY: "refused-by-the-emulator",
};

/** The real server process (`node packages/server/dist/main.js`) on its own data. */
export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  /** Its peak resident memory so far is followed from the start. */
  readonly rss: PeakRssWatch;
  /** SIGTERM, wait for the exit, remove a fresh data directory; answers the peak RSS in bytes. */
  stop(): Promise<number>;
}

/**
 * Starts the server as users run it, delivering to `gwenEndpoint`, with a
 * fresh data directory, the shipped mappings and a queue deep enough that
 * a benchmark's backlog is never answered 503. `env` adds or overrides;
 * `given.nodeArgs` go to node (e.g. `--cpu-prof` to see where the time goes).
 * A `given.dataDir` is used instead of a fresh one, and kept at stop: a
 * second server can start on what the first one stored.
 */
export async function startServer(
  gwenEndpoint: string,
  env: Record<string, string> = {},
  given: { nodeArgs?: readonly string[]; dataDir?: string } = {},
): Promise<ServerProcess> {
  const nodeArgs = given.nodeArgs ?? [];
  const dataDir = given.dataDir ?? (await mkdtemp(join(tmpdir(), "gwenmap-bench-server-")));
  const child = spawn(
    process.execPath,
    [...nodeArgs, join(repository, "packages/server/dist/main.js")],
    {
      cwd: repository,
      env: {
        PATH: process.env.PATH ?? "",
        PORT: "0",
        HOST: "127.0.0.1",
        GWENMAP_DATA_DIR: dataDir,
        GWENMAP_MAPPINGS: join(repository, "mappings"),
        GWENMAP_WRITE_KEYS: BENCH_WRITE_KEY,
        GWEN_ENDPOINT: gwenEndpoint,
        GWEN_API_KEY: DEFAULT_EMULATOR_API_KEY,
        GWENMAP_WATCH: "0",
        GWENMAP_MAX_QUEUE_DEPTH: "100000000",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const exited = once(child, "exit");
  const rss = watchPeakRss(child.pid!);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
    const peak = await rss.stop();
    if (given.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
    return peak;
  };
  try {
    const url = await listeningUrl(child);
    return { url, pid: child.pid!, rss, stop };
  } catch (error) {
    child.kill("SIGKILL");
    await stop();
    throw error;
  }
}

/** Reads the JSON log until the line saying where it listens; keeps draining it after. */
function listeningUrl(child: ReturnType<typeof spawn>): Promise<string> {
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(new Error(`the server did not listen within ${START_TIMEOUT_MS} ms:\n${stderr}`)),
      START_TIMEOUT_MS,
    );
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code ?? signal}) before listening:\n${stderr}`));
    });
    createInterface({ input: child.stdout! }).on("line", (line) => {
      if (!line.includes(LISTENING)) return;
      const entry = JSON.parse(line) as { url?: unknown };
      if (typeof entry.url !== "string") return;
      clearTimeout(timer);
      resolve(entry.url);
    });
  });
}
