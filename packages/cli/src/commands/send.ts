import { type GwenClient, MAX_BATCH_ITEMS } from "@gwenmap/gwen-adapter";
import { defineCommand } from "citty";
import type { OptionChecks } from "../cli/command-module.js";
import { ExitCode } from "../cli/exit-code.js";
import { UsageError } from "../errors.js";
import { type EventInput, openInput } from "../events/open-input.js";
import { checkKey } from "../gwen/check-key.js";
import { checkEndpoint, openClient } from "../gwen/open-client.js";
import { loadMappingSet } from "../mapping-set/load-mapping-set.js";
import {
  absolutePath,
  parsePositiveNumber,
  parseWholeNumber,
  resolveApiKey,
  resolveMappingsDir,
} from "../options/resolve-options.js";
import { apiKeyArg, endpointArg, mappingsArg } from "../options/shared-args.js";
import { Backfill } from "../send/backfill.js";
import { DryRunRejections, defaultFailuresPath, FailuresFile } from "../send/failures-file.js";
import { showProgress } from "../send/send-progress.js";
import { type SummaryContext, summaryJson, summaryText } from "../send/send-summary.js";
import { stderrColors, stdoutColors } from "../terminal/colors.js";

export const examples = [
  "GWEN_API_KEY=... gwenmap send events.ndjson",
  "gwenmap send events.ndjson --dry-run",
  "gwenmap send events.ndjson --concurrency 32 --rate 500 --failures failed.ndjson",
  "gwenmap send events.ndjson --batch-size 20   # 20 deliveries per request: a backfill's fast path",
  "gwenmap send failed.ndjson          # re-send only what failed, after fixing it",
  "gwenmap send events.ndjson --skip 52311   # continue after Ctrl-C",
  "gwenmap send events.ndjson --max-backoff 2 --retry-window 60   # a shorter tail when GWEN fails now and then",
];

/**
 * A backfill's longest wait between two tries. The server waits up to 30 s
 * (it has hours); a backfill waiting 30 s on a handful of retries idles at
 * the end of its run. GWEN's Retry-After still wins.
 */
const DEFAULT_MAX_BACKOFF_SECONDS = 5;

/** How many of a dry run's rejections the summary shows. */
const DRY_RUN_SHOWN = 10;

/** send's number options, parsed in one place: by the command, and checked before it runs. */
const parse = {
  concurrency: (value?: string) =>
    parseWholeNumber("concurrency", value, { min: 1, max: 1000, example: 32 }),
  "batch-size": (value?: string) =>
    parseWholeNumber("batch-size", value, { min: 1, max: MAX_BATCH_ITEMS, example: 20 }),
  rate: (value?: string) => parsePositiveNumber("rate", value, 200),
  "retry-window": (value?: string) =>
    parseWholeNumber("retry-window", value, { min: 0, example: 60 }),
  "max-backoff": (value?: string) => parsePositiveNumber("max-backoff", value, 5),
  skip: (value?: string) => parseWholeNumber("skip", value, { min: 0, example: 52311 }),
};

export const optionChecks: OptionChecks = { ...parse, endpoint: checkEndpoint };

const command = defineCommand({
  meta: {
    name: "send",
    description:
      "Backfill a file of Segment events (NDJSON, pretty-printed JSON, a JSON array or Segment batch bodies) to GWEN: stream, map, deliver with bounded concurrency and retries; failures go to an NDJSON file that send can re-send",
  },
  args: {
    file: {
      type: "positional",
      valueHint: "FILE.ndjson",
      description:
        "Segment events (NDJSON, pretty-printed JSON documents, a JSON array or Segment batch bodies), or a failures file (e.g. events.ndjson)",
    },
    mappings: mappingsArg,
    endpoint: endpointArg,
    "api-key": apiKeyArg,
    concurrency: {
      type: "string",
      valueHint: "N",
      description: "Most requests to GWEN at once, default 10 (e.g. --concurrency 32)",
    },
    "batch-size": {
      type: "string",
      valueHint: "N",
      description: `Most deliveries per request, sent as aliased mutations in one GraphQL operation (1 to ${MAX_BATCH_ITEMS}), default 1 (e.g. --batch-size 20)`,
    },
    rate: {
      type: "string",
      valueHint: "N",
      description:
        "Most requests per second, default unlimited; a request carries up to --batch-size deliveries (e.g. --rate 200)",
    },
    "retry-window": {
      type: "string",
      valueHint: "SECONDS",
      description:
        "How long to keep retrying one delivery GWEN answers with 429, 5xx or a network error, default 300 (e.g. --retry-window 60)",
    },
    "max-backoff": {
      type: "string",
      valueHint: "SECONDS",
      description:
        "Longest wait between two tries of one delivery, default 5: a backfill's tail is the few deliveries that fail several times in a row, so lower it to finish sooner, raise it when GWEN asks you to ease off; GWEN's Retry-After may ask for more (e.g. --max-backoff 2)",
    },
    skip: {
      type: "string",
      valueHint: "LINES",
      description: "Skip the first LINES lines, to continue an interrupted run (e.g. --skip 52311)",
    },
    "dry-run": {
      type: "boolean",
      description: "Map and validate every event, send nothing, no API key needed (e.g. --dry-run)",
    },
    failures: {
      type: "string",
      valueHint: "FILE",
      description:
        "Where failed and rejected events go, as NDJSON; default FILE.failures.ndjson beside the input (e.g. --failures failed.ndjson)",
    },
    json: {
      type: "boolean",
      description: "Print the summary as one JSON object on stdout (e.g. --json)",
    },
  },
  async run({ args }) {
    const settings = sendSettings(args);
    const set = await loadMappingSet(resolveMappingsDir(args.mappings));
    const input = await openInput(settings.file);
    const client = settings.dryRun
      ? undefined
      : openClient(
          { apiKey: args["api-key"], endpoint: args.endpoint },
          {
            connections: settings.concurrency,
            ...(settings.rate ? { maxRequestsPerSecond: settings.rate } : {}),
          },
        );
    const failures = settings.dryRun
      ? new DryRunRejections(DRY_RUN_SHOWN)
      : new FailuresFile(settings.failuresPath);
    const backfill = new Backfill({
      engine: set.engine,
      input,
      ...(client ? { client } : {}),
      concurrency: settings.concurrency,
      batchSize: settings.batchSize,
      policy: settings.policy,
      skip: settings.skip,
      failures,
    });
    try {
      await runBackfill(backfill, { input, client, dryRun: settings.dryRun });
    } finally {
      input.stream.destroy();
      await closeClient(client);
      await failures.close();
    }
    return report(backfill, { ...settings, failures, json: Boolean(args.json) });
  },
});

export default command;

type SendArgs = Parameters<NonNullable<typeof command.run>>[0]["args"];

/** The command line's settings, checked: a usage error for anything wrong. */
function sendSettings(args: SendArgs) {
  const dryRun = Boolean(args["dry-run"]);
  const file = args.file;
  if (!file || file === "-")
    throw new UsageError("send needs a FILE.ndjson to read (stdin is not supported)");
  if (!dryRun) resolveApiKey(args["api-key"]);
  const concurrency = parse.concurrency(args.concurrency) ?? 10;
  const batchSize = parse["batch-size"](args["batch-size"]) ?? 1;
  const rate = parse.rate(args.rate);
  const retryWindow = parse["retry-window"](args["retry-window"]) ?? 300;
  const maxBackoff = parse["max-backoff"](args["max-backoff"]) ?? DEFAULT_MAX_BACKOFF_SECONDS;
  const skip = parse.skip(args.skip) ?? 0;
  const failuresPath = args.failures || defaultFailuresPath(file);
  if (!dryRun && absolutePath(failuresPath) === absolutePath(file)) {
    throw new UsageError("--failures must name another file than the input");
  }
  const policy = {
    retryWindowMs: retryWindow * 1000,
    baseDelayMs: Math.min(1000, maxBackoff * 1000),
    maxDelayMs: maxBackoff * 1000,
  };
  return { dryRun, file, failuresPath, concurrency, batchSize, rate, policy, skip };
}

/** Runs the backfill with a progress bar; Ctrl-C stops it, a second one aborts what is in flight. */
async function runBackfill(
  backfill: Backfill,
  run: { input: EventInput; client: GwenClient | undefined; dryRun: boolean },
): Promise<void> {
  const onSignal = () => {
    const state = backfill.interrupt();
    process.stderr.write(
      state === "stopping"
        ? "\nStopping: no new requests; waiting for those in flight (Ctrl-C again to abort them)\n"
        : "\nAborting the requests in flight\n",
    );
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    if (run.client) {
      const state = await checkKey(run.client, { signal: backfill.stopSignal, allowBusy: true });
      if (state === "busy") {
        process.stderr.write(
          "GWEN asked to try later when the key was checked: sending anyway, deliveries are retried\n",
        );
      }
    }
    const stopProgress = showProgress(run.input, backfill.stats, { dryRun: run.dryRun });
    try {
      await backfill.run();
    } finally {
      stopProgress();
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/** Prints the summary (as JSON with `--json`) and answers the exit code. */
function report(
  backfill: Backfill,
  run: { file: string; dryRun: boolean; failures: SummaryContext["failures"]; json: boolean },
): number {
  const context = {
    stats: backfill.stats,
    input: run.file,
    dryRun: run.dryRun,
    failures: run.failures,
    stopReason: backfill.stopReason,
  };
  if (run.json) process.stdout.write(`${JSON.stringify(summaryJson(context))}\n`);
  else process.stdout.write(summaryText(context, stdoutColors));
  if (backfill.stopReason?.kind === "interrupted") return ExitCode.interrupted;
  const { rejected, failed } = backfill.stats;
  if (backfill.stopReason || rejected > 0 || failed > 0) {
    if (run.json)
      process.stderr.write(stderrColors.red("not everything was delivered: see the summary\n"));
    return ExitCode.failure;
  }
  return ExitCode.ok;
}

async function closeClient(client: GwenClient | undefined): Promise<void> {
  await client?.destroy();
}
