import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Figure, type Suite, type SuiteOptions, withRatios } from "../harness/figure.js";
import { type ChildServer, startChildServer, withChildServers } from "../load/child-server.js";
import { clientAloneName, measureClientAlone } from "./adapter-client.js";
import { largeOrder, writeNdjson } from "./cli-inputs.js";
import { runSend } from "./cli-send.js";

const SUITE = "cli";
/** `gwenmap send`'s default --concurrency, and the client run it is compared with. */
const CONCURRENCY = 10;
/** The batched run's `--batch-size`, like the server's end-to-end batched case. */
const BATCH_SIZE = 20;
const MB = 1024 * 1024;

/**
 * `gwenmap send` (the built bin in its own process) to the emulator (in
 * another): events/s from an NDJSON file against `GwenClient.send` alone at
 * the same concurrency (and, with `--batch-size 20`, against `sendBatch`
 * alone at 20 per request), and peak RSS for a small and a large file side
 * by side (flat memory means the ratio stays near 1).
 */
export const cliSuite: Suite = {
  name: SUITE,
  async run(options) {
    const dir = await mkdtemp(join(tmpdir(), "gwenmap-bench-cli-"));
    try {
      return await withChildServers([() => startChildServer("emulator.ts")], ([emulator]) =>
        runCases(emulator!, dir, options),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

async function runCases(
  emulator: ChildServer,
  dir: string,
  options: SuiteOptions,
): Promise<Figure[]> {
  return [
    ...(await throughputCases(emulator, dir, options)),
    ...(await memoryCases(emulator, dir, options)),
  ];
}

async function throughputCases(
  emulator: ChildServer,
  dir: string,
  options: SuiteOptions,
): Promise<Figure[]> {
  const lines = options.smoke ? 300 : options.quick ? 1_500 : 100_000;
  const file = join(dir, "events.ndjson");
  await writeNdjson(file, { lines });
  const figures: Figure[] = [];
  const pairs: [string, string][] = [];
  for (const batchSize of [1, BATCH_SIZE]) {
    options.log(`cli: gwenmap send, ${lines} lines, --batch-size ${batchSize}`);
    const shape = { concurrency: CONCURRENCY, batchSize };
    const send = await runSend(file, { endpoint: emulator.url, ...shape });
    const alone = await measureClientAlone(emulator.url, shape, options);
    const batched = batchSize > 1 ? `, --batch-size ${batchSize}` : "";
    const names = {
      send: `gwenmap send, ${lines.toLocaleString("en-US")}-line NDJSON, concurrency ${CONCURRENCY}${batched}`,
      client: clientAloneName(shape),
    };
    figures.push(
      { suite: SUITE, case: names.send, value: send.eventsPerSecond, unit: "events/s" },
      { suite: SUITE, case: names.client, value: alone, unit: "deliveries/s" },
    );
    pairs.push([names.send, names.client]);
  }
  await rm(file, { force: true });
  return withRatios(figures, pairs);
}

async function memoryCases(
  emulator: ChildServer,
  dir: string,
  options: SuiteOptions,
): Promise<Figure[]> {
  // The small file must already fill send's window of events in progress
  // (1,024 at the default concurrency), or the comparison says nothing.
  const sizes = options.smoke
    ? [1 * MB, 3 * MB]
    : options.quick
      ? [14 * MB, 42 * MB]
      : [64 * MB, 1024 * MB];
  const figures: Figure[] = [];
  for (const bytes of sizes) {
    const file = join(dir, `large-${bytes}.ndjson`);
    const lines = await writeNdjson(file, { bytes, event: largeOrder });
    const size = (await stat(file)).size;
    const eventKb = Math.round(size / lines / 1024);
    options.log(`cli: gwenmap send, peak RSS for ${formatSize(size)} (${lines} lines)`);
    const send = await runSend(file, { endpoint: emulator.url, concurrency: CONCURRENCY });
    await rm(file, { force: true });
    figures.push({
      suite: SUITE,
      case: `gwenmap send, ${formatSize(bytes)} file (${eventKb} KB events): peak RSS`,
      value: send.peakRssBytes / MB,
      unit: "MB",
    });
  }
  const [small, large] = figures;
  return withRatios(figures, [[large!.case, small!.case]]);
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * MB
    ? `${(bytes / (1024 * MB)).toFixed(1)} GB`
    : `${Math.round(bytes / MB)} MB`;
}
