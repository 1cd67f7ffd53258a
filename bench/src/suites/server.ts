import { type Figure, type Suite, type SuiteOptions, withRatios } from "../harness/figure.js";
import { type ChildServer, startChildServer, withChildServers } from "../load/child-server.js";
import { type LoadTiming, loadTiming } from "../load/load-timing.js";
import { watchPeakRss } from "../load/peak-rss.js";
import { type LoadGenerator, startLoadGenerator } from "../load/run-load.js";
import { clientAloneName, measureClientAlone, measureClientCpu } from "./adapter-client.js";
import { sendEventPayload } from "./engine-inputs.js";
import { measureBacklogDrain } from "./server-backlog-drain.js";
import { measureEndToEnd, measureSteady, type SteadyResult } from "./server-end-to-end.js";
import { compareIngest, INGEST_CONNECTIONS, type IngestSetup } from "./server-ingest.js";
import { batchOf100, singleEvent } from "./server-inputs.js";
import { findPostgres, postgresServers } from "./server-postgres.js";
import { DELIVERY_PAUSED, startServer } from "./server-process.js";
import { remoteGwenCases } from "./server-remote.js";

const SUITE = "server";
/**
 * The GWENMAP_CONCURRENCY these cases fix, and the client run they are
 * compared with: the server's default before adaptive concurrency, kept so
 * that each compares the same shape (adaptive concurrency has the
 * `delivery` suite).
 */
const DELIVERY_CONCURRENCY = 16;
const FIXED = { GWENMAP_CONCURRENCY: String(DELIVERY_CONCURRENCY) };
const MB = 1024 * 1024;

/**
 * The real server process against two bare `node:http` ceilings (each in
 * its own process, one core each, like the server): ingest events/s and
 * acknowledgement latency, end-to-end events/s until GWEN (the emulator in
 * its own process) has them, and peak RSS.
 */
export const serverSuite: Suite = {
  name: SUITE,
  async run(options) {
    const timing = loadTiming(options);
    const generator = await startLoadGenerator();
    try {
      return await withChildServers(
        [
          () => startChildServer("emulator.ts"),
          () => startChildServer("http-ceiling.ts", ["read"]),
          () => startChildServer("http-ceiling.ts", ["parse"]),
        ],
        ([emulator, read, parse]) =>
          runCases({ generator, emulator: emulator!, read: read!, parse: parse! }, timing, options),
      );
    } finally {
      await generator.stop();
    }
  },
};

interface Processes {
  readonly generator: LoadGenerator;
  readonly emulator: ChildServer;
  readonly read: ChildServer;
  readonly parse: ChildServer;
}

async function runCases(
  processes: Processes,
  timing: LoadTiming,
  options: SuiteOptions,
): Promise<Figure[]> {
  const { generator, emulator, read, parse } = processes;
  const parseRss = watchPeakRss(parse.child.process.pid!);
  const setup: IngestSetup = {
    suite: SUITE,
    generator,
    ceilings: { read, parse },
    // The server still maps in the background: no setting turns that off.
    // Delivery paused, so the emulator takes no CPU from ingestion.
    startServers: async () => [await startServer(emulator.url, DELIVERY_PAUSED)],
    label: "gwenmap server (SQLite, delivery paused)",
    gwenEndpoint: emulator.url,
    timing,
    smoke: options.smoke ?? false,
  };
  const figures: Figure[] = [];
  let ingestRss = 0;
  for (const shape of [singleEvent, batchOf100]) {
    options.log(`server: ingest, ${shape.name}, autocannon at ${INGEST_CONNECTIONS} connections`);
    const result = await compareIngest(setup, shape);
    figures.push(...result.figures);
    ingestRss = Math.max(ingestRss, result.peakRssBytes);
  }
  figures.push(...(await postgresCases(setup, options)));
  const endToEnd = await endToEndCases(processes, options);
  figures.push(...endToEnd.figures);
  figures.push(...(await steadyCases(processes, options)));
  figures.push(
    ...(await remoteGwenCases(
      { generator, emulator, concurrency: DELIVERY_CONCURRENCY, suite: SUITE },
      options,
    )),
  );
  const ceilingRss = await parseRss.stop();
  figures.push(
    ...rssFigures({ ingest: ingestRss, endToEnd: endToEnd.peakRssBytes, ceiling: ceilingRss }),
  );
  return figures;
}

/**
 * The same ingest cases on the PostgreSQL queue, with 1 and 3 instances,
 * when PostgreSQL is there; full runs only (quick runs must stay under a minute).
 */
async function postgresCases(sqlite: IngestSetup, options: SuiteOptions): Promise<Figure[]> {
  if (options.quick) return [];
  const databaseUrl = await findPostgres(options);
  if (!databaseUrl) return [];
  const figures: Figure[] = [];
  for (const instances of [1, 3]) {
    const setup: IngestSetup = {
      ...sqlite,
      group: `PostgreSQL x${instances}, `,
      label: `gwenmap server (PostgreSQL, ${instances} instance${instances > 1 ? "s" : ""}, delivery paused)`,
      startServers: postgresServers(databaseUrl, {
        gwenEndpoint: sqlite.gwenEndpoint,
        instances,
        env: DELIVERY_PAUSED,
      }),
    };
    for (const shape of [singleEvent, batchOf100]) {
      options.log(`server: ingest on PostgreSQL, ${instances} instance(s), ${shape.name}`);
      figures.push(...(await compareIngest(setup, shape)).figures);
    }
  }
  return figures;
}

/** Deliveries per GWEN request in the second end-to-end run (`GWENMAP_BATCH_SIZE`). */
const END_TO_END_BATCH = 20;

async function endToEndCases(
  processes: Processes,
  options: SuiteOptions,
): Promise<{ figures: Figure[]; peakRssBytes: number }> {
  const events = options.smoke ? 500 : options.quick ? 1_000 : 100_000;
  const count = events.toLocaleString("en-US");
  const runs = endToEndRuns(processes, options, events);
  const single = figuresOf(await runs.compared(1), {
    endToEnd: `end to end: ${count} events, acknowledged to delivered`,
    drained: `backlog of ${count} stored deliveries, after a restart: delivered`,
    alone: `${clientAloneName({ concurrency: DELIVERY_CONCURRENCY, batchSize: 1 })} (the server's old default)`,
  });
  const figures = [...single.figures];
  const pairs = [...single.pairs];
  // Quick runs keep one end-to-end run, to stay under a minute; smoke runs check that both work.
  if (!options.quick || options.smoke) {
    const batched = figuresOf(await runs.compared(END_TO_END_BATCH), {
      endToEnd: `end to end, GWENMAP_BATCH_SIZE=${END_TO_END_BATCH}: ${count} events, acknowledged to delivered`,
      drained: `backlog of ${count} stored deliveries, after a restart, GWENMAP_BATCH_SIZE=${END_TO_END_BATCH}: delivered`,
      alone: clientAloneName({ concurrency: DELIVERY_CONCURRENCY, batchSize: END_TO_END_BATCH }),
    });
    figures.push(...batched.figures);
    pairs.push(...batched.pairs);
  }
  return { figures: withRatios(figures, pairs), peakRssBytes: runs.peakRssBytes() };
}

/** One batch size's runs: end to end, the backlog drained (when measured), and the client alone. */
interface ComparedRun {
  readonly endToEnd: { readonly eventsPerSecond: number };
  readonly drained: number | undefined;
  readonly alone: number;
}

/** A run's figures, each paired with the client alone. */
function figuresOf(
  run: ComparedRun,
  names: { endToEnd: string; drained: string; alone: string },
): { figures: Figure[]; pairs: [string, string][] } {
  const figures: Figure[] = [
    { suite: SUITE, case: names.endToEnd, value: run.endToEnd.eventsPerSecond, unit: "events/s" },
    { suite: SUITE, case: names.alone, value: run.alone, unit: "deliveries/s" },
  ];
  const pairs: [string, string][] = [[names.endToEnd, names.alone]];
  if (run.drained !== undefined) {
    figures.push({ suite: SUITE, case: names.drained, value: run.drained, unit: "deliveries/s" });
    pairs.push([names.drained, names.alone]);
  }
  return { figures, pairs };
}

/**
 * The end-to-end runs of `events` events at a batch size, the backlog drain,
 * and the client alone they are set against; the peak RSS across the servers.
 */
function endToEndRuns(
  processes: Processes,
  options: SuiteOptions,
  events: number,
): { compared: (batchSize: number) => Promise<ComparedRun>; peakRssBytes: () => number } {
  const { generator, emulator } = processes;
  let peakRssBytes = 0;
  const endToEnd = async (batchSize: number) => {
    options.log(
      `server: end to end, ${events} events in batches of 100, GWENMAP_BATCH_SIZE=${batchSize}`,
    );
    const env = { ...FIXED, GWENMAP_BATCH_SIZE: String(batchSize) };
    const server = await startServer(emulator.url, env);
    try {
      const run = { shape: batchOf100, events, connections: 4 };
      return await measureEndToEnd(generator, { emulator, server }, run);
    } finally {
      peakRssBytes = Math.max(peakRssBytes, await server.stop());
    }
  };
  const client = (batchSize: number) =>
    measureClientAlone(emulator.url, { concurrency: DELIVERY_CONCURRENCY, batchSize }, options);
  // The delivery stage alone: full and smoke runs (quick runs must stay under a minute).
  const drain = async (batchSize: number) => {
    if (options.quick && !options.smoke) return undefined;
    options.log(
      `server: backlog of ${events} deliveries after a restart, GWENMAP_BATCH_SIZE=${batchSize}`,
    );
    const run = { shape: batchOf100, events, connections: 4, batchSize, env: FIXED };
    return measureBacklogDrain(generator, emulator, run);
  };
  // A full run measures the client alone before and after the server runs it is set against and keeps
  // the better: one 4 s measurement on this shared machine can land in a slow minute (half the rate).
  const compared = async (batchSize: number) => {
    const before = loadTiming(options).rounds > 1 ? await client(batchSize) : 0;
    const endToEndResult = await endToEnd(batchSize);
    const drained = await drain(batchSize);
    const alone = Math.max(before, await client(batchSize));
    return { endToEnd: endToEndResult, drained, alone };
  };
  return { compared, peakRssBytes: () => peakRssBytes };
}

/** A rate every server here keeps up with, one delivery per request: 15 batches of 100 per second. */
const STEADY_EVENTS_PER_SECOND = 1_500;
const STEADY_WARMUP_SECONDS = 3;

/**
 * What an event costs when nothing piles up: the server's CPU time per event
 * at a steady rate (ingest, map, store, deliver, settle), against the CPU
 * time `GwenClient.send` alone spends per delivery at the same rate. CPU
 * time, unlike a rate, does not halve when a neighbour takes the core.
 * Full and smoke runs (quick runs must stay under a minute).
 */
async function steadyCases(processes: Processes, options: SuiteOptions): Promise<Figure[]> {
  if (options.quick && !options.smoke) return [];
  const { generator, emulator } = processes;
  const seconds = options.smoke ? 0.5 : 10;
  const rate = STEADY_EVENTS_PER_SECOND.toLocaleString("en-US");
  options.log(`server: steady ${rate} events/s for ${seconds} s, until delivered`);
  const server = await startServer(emulator.url, FIXED);
  const steadyRun = (runSeconds: number) =>
    measureSteady(
      generator,
      { emulator, server },
      {
        shape: batchOf100,
        eventsPerSecond: STEADY_EVENTS_PER_SECOND,
        seconds: runSeconds,
        connections: 4,
      },
    );
  let steady: SteadyResult;
  try {
    // A fresh process compiles its hot paths in its first seconds: they are not what an event costs.
    if (!options.smoke) await steadyRun(STEADY_WARMUP_SECONDS);
    steady = await steadyRun(seconds);
  } finally {
    await server.stop();
  }
  if (steady.cpuMicrosPerEvent === undefined) {
    options.log("server: no /proc here to read the server's CPU time: steady case left out");
    return [];
  }
  const alone = await measureClientCpu({
    endpoint: emulator.url,
    concurrency: DELIVERY_CONCURRENCY,
    deliveriesPerSecond: STEADY_EVENTS_PER_SECOND,
    seconds,
    payload: sendEventPayload,
  });
  const names = {
    server: `steady ${rate} events/s (batches of 100), until delivered: server CPU per event`,
    alone: `GwenClient.send alone at ${rate} deliveries/s: CPU per delivery`,
  };
  return withRatios(
    [
      { suite: SUITE, case: names.server, value: steady.cpuMicrosPerEvent, unit: "us CPU" },
      { suite: SUITE, case: names.alone, value: alone, unit: "us CPU" },
    ],
    [[names.server, names.alone]],
  );
}

function rssFigures(peaks: { ingest: number; endToEnd: number; ceiling: number }): Figure[] {
  const ceiling = "read + JSON.parse ceiling: peak RSS";
  return withRatios(
    [
      {
        suite: SUITE,
        case: "gwenmap server, ingest runs: peak RSS",
        value: peaks.ingest / MB,
        unit: "MB",
      },
      {
        suite: SUITE,
        case: "gwenmap server, end to end: peak RSS",
        value: peaks.endToEnd / MB,
        unit: "MB",
      },
      { suite: SUITE, case: ceiling, value: peaks.ceiling / MB, unit: "MB" },
    ],
    [
      ["gwenmap server, ingest runs: peak RSS", ceiling],
      ["gwenmap server, end to end: peak RSS", ceiling],
    ],
  );
}
