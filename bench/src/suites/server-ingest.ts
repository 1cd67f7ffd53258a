import type { Figure } from "../harness/figure.js";
import { withRatios } from "../harness/figure.js";
import type { ChildServer } from "../load/child-server.js";
import { assertClean, combineRuns, type LoadSummary } from "../load/compare-load.js";
import { interleave } from "../load/interleave.js";
import type { LoadResult } from "../load/load-result.js";
import type { LoadTiming } from "../load/load-timing.js";
import type { LoadGenerator, LoadOptions } from "../load/run-load.js";
import { readBacklog } from "./server-backlog.js";
import type { IngestShape } from "./server-inputs.js";
import { type ServerProcess, writeKeyHeader } from "./server-process.js";

/** autocannon's connections for every ingest case (the setting). */
export const INGEST_CONNECTIONS = 32;
/**
 * Under load a 100-event batch can take a second to be acknowledged, and
 * autocannon counts only answers within its window: shorter rounds count none.
 */
const MIN_BATCH_ROUND_SECONDS = 1.5;

/** What an ingest comparison needs. */
export interface IngestSetup {
  readonly suite: string;
  readonly generator: LoadGenerator;
  /** The two ceilings: reads the body and answers 200; also parses it. */
  readonly ceilings: { readonly read: ChildServer; readonly parse: ChildServer };
  /** Starts the server(s) under test: a fresh store for each round. */
  readonly startServers: () => Promise<readonly ServerProcess[]>;
  /** Names the server in case names, e.g. "gwenmap server (SQLite)". */
  readonly label: string;
  /** Starts every case name, so that ceilings measured again for another store keep distinct names. */
  readonly group?: string;
  /** Where the servers deliver (the emulator). */
  readonly gwenEndpoint: string;
  readonly timing: LoadTiming;
  /** Smoke runs keep the shortest rounds even for batches (their figures mean nothing). */
  readonly smoke: boolean;
}

/** The peak RSS seen across the rounds' servers, in bytes. */
export interface IngestResult {
  readonly figures: Figure[];
  readonly peakRssBytes: number;
}

/**
 * Ingest events/s and acknowledgement latency of the server against the two
 * ceilings, interleaved. The server starts afresh for each round and stops
 * after it, so its backlog (it maps in the background) never takes CPU from
 * a ceiling's round, and every round starts from an empty store.
 */
export async function compareIngest(setup: IngestSetup, shape: IngestShape): Promise<IngestResult> {
  const { generator, ceilings } = setup;
  const timing =
    shape.eventsPerRequest > 1 && !setup.smoke
      ? {
          ...setup.timing,
          secondsPerRound: Math.max(setup.timing.secondsPerRound, MIN_BATCH_ROUND_SECONDS),
        }
      : setup.timing;
  const load = (url: string): LoadOptions => ({
    url: `${url}${shape.path}`,
    body: shape.body,
    headers: { authorization: writeKeyHeader },
    connections: INGEST_CONNECTIONS,
    durationSeconds: timing.secondsPerRound,
  });
  const servers = serverRounds(setup, load, timing.warmupSeconds);
  for (const ceiling of timing.warmupSeconds > 0 ? [ceilings.parse, ceilings.read] : []) {
    await generator.run({ ...load(ceiling.url), durationSeconds: timing.warmupSeconds });
  }
  const prefix = `${setup.group ?? ""}${shape.name}`;
  const names = {
    server: `${prefix}: ${setup.label}`,
    parse: `${prefix}: read + JSON.parse ceiling`,
    read: `${prefix}: read-only ceiling`,
  };
  const [serverRuns, parseRuns, readRuns] = await interleave<LoadResult>(
    [
      servers.round,
      () => generator.run(load(ceilings.parse.url)),
      () => generator.run(load(ceilings.read.url)),
    ],
    timing.rounds,
  );
  const server = assertClean({ name: names.server, ...combineRuns(serverRuns!) });
  const parse = assertClean({ name: names.parse, ...combineRuns(parseRuns!) });
  const read = assertClean({ name: names.read, ...combineRuns(readRuns!) });
  const figures = ingestFigures(setup.suite, shape, { server, parse, read });
  figures.push({
    suite: setup.suite,
    case: `${names.server}: mapped by the end of the run`,
    value: servers.mappedShare(),
    unit: "% of acknowledged events",
  });
  return { figures, peakRssBytes: servers.peakRssBytes() };
}

/**
 * The server's rounds: each starts the servers afresh, loads them, reads how
 * much they mapped meanwhile, and stops them; the peak RSS and the share of
 * acknowledged events mapped are kept across rounds.
 */
function serverRounds(
  setup: IngestSetup,
  load: (url: string) => LoadOptions,
  warmupSeconds: number,
): { round: () => Promise<LoadResult>; peakRssBytes: () => number; mappedShare: () => number } {
  const { generator } = setup;
  let peakRssBytes = 0;
  const backlog = { received: 0, unmapped: 0 };
  const round = async (): Promise<LoadResult> => {
    const servers = await setup.startServers();
    try {
      if (warmupSeconds > 0) {
        await generator.run({ ...load(servers[0]!.url), durationSeconds: warmupSeconds });
      }
      const result = await loadAll(generator, servers, load);
      // Instances on one PostgreSQL queue each report that queue's depth: received adds up, unmapped does not.
      const backlogs = await Promise.all(servers.map((server) => readBacklog(server.url)));
      backlog.received += backlogs.reduce((sum, each) => sum + each.received, 0);
      backlog.unmapped += Math.max(...backlogs.map((each) => each.unmapped));
      return result;
    } finally {
      for (const server of servers) peakRssBytes = Math.max(peakRssBytes, await server.stop());
    }
  };
  return {
    round,
    peakRssBytes: () => peakRssBytes,
    mappedShare: () =>
      backlog.received === 0 ? 0 : (100 * (backlog.received - backlog.unmapped)) / backlog.received,
  };
}

/**
 * With several instances, the connections are split between them and loaded
 * at the same time: events/s add up, latencies are request-weighted.
 */
async function loadAll(
  generator: LoadGenerator,
  servers: readonly ServerProcess[],
  load: (url: string) => LoadOptions,
): Promise<LoadResult> {
  if (servers.length === 1) return generator.run(load(servers[0]!.url));
  const connections = Math.ceil(INGEST_CONNECTIONS / servers.length);
  const results = await generator.runTogether(
    servers.map((server) => ({ ...load(server.url), connections })),
  );
  const together = combineRuns(results);
  const durationSeconds = Math.max(...results.map((result) => result.durationSeconds));
  return { ...together, durationSeconds, requestsPerSecond: together.requests / durationSeconds };
}

function ingestFigures(
  suite: string,
  shape: IngestShape,
  runs: { server: LoadSummary; parse: LoadSummary; read: LoadSummary },
): Figure[] {
  const { server, parse, read } = runs;
  const events = (summary: LoadSummary): Figure => ({
    suite,
    case: summary.name,
    value: summary.requestsPerSecond * shape.eventsPerRequest,
    unit: "events/s",
  });
  const latency = (summary: LoadSummary, which: "p50" | "p99"): Figure => ({
    suite,
    case: `${summary.name}: ack latency ${which}`,
    value: which === "p50" ? summary.latencyP50Ms : summary.latencyP99Ms,
    unit: "ms",
  });
  const figures = [
    events(server),
    events(parse),
    events(read),
    latency(server, "p50"),
    latency(parse, "p50"),
    latency(server, "p99"),
    latency(parse, "p99"),
  ];
  return withRatios(figures, [
    [server.name, parse.name],
    [parse.name, read.name],
    [`${server.name}: ack latency p50`, `${parse.name}: ack latency p50`],
    [`${server.name}: ack latency p99`, `${parse.name}: ack latency p99`],
  ]);
}
