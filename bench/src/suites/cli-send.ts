import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { DEFAULT_EMULATOR_API_KEY } from "@gwenmap/gwen-adapter/emulator";
import { watchPeakRss } from "../load/peak-rss.js";
import { repository } from "./engine-inputs.js";

const execFileAsync = promisify(execFile);

/** What one `gwenmap send` run measured. */
export interface SendRun {
  readonly events: number;
  readonly eventsPerSecond: number;
  readonly peakRssBytes: number;
}

/**
 * Runs `gwenmap send FILE --json` (the built bin, as users run it) to
 * `endpoint` and follows its peak RSS. Throws unless every event was sent.
 * The key goes through the environment, never the command line.
 */
export async function runSend(
  file: string,
  options: { endpoint: string; concurrency: number; batchSize?: number },
): Promise<SendRun> {
  const child = execFileAsync(
    process.execPath,
    [
      join(repository, "packages/cli/dist/bin.js"),
      "send",
      file,
      "--json",
      "--mappings",
      join(repository, "mappings"),
      "--endpoint",
      options.endpoint,
      "--concurrency",
      String(options.concurrency),
      "--batch-size",
      String(options.batchSize ?? 1),
    ],
    {
      env: { PATH: process.env.PATH ?? "", GWEN_API_KEY: DEFAULT_EMULATOR_API_KEY },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const rss = watchPeakRss(child.child.pid!);
  const { stdout } = await child;
  const peakRssBytes = await rss.stop();
  const summary = JSON.parse(stdout) as {
    events: number;
    sent: number;
    failed: number;
    rejected: number;
    eventsPerSecond: number;
  };
  if (summary.failed > 0 || summary.rejected > 0 || summary.sent < summary.events) {
    throw new Error(`gwenmap send did not deliver everything: ${stdout}`);
  }
  return { events: summary.events, eventsPerSecond: summary.eventsPerSecond, peakRssBytes };
}
