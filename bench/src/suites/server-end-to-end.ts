import { DEFAULT_EMULATOR_API_KEY } from "@gwenmap/gwen-adapter/emulator";
import type { ChildServer } from "../load/child-server.js";
import type { LoadResult } from "../load/load-result.js";
import { processCpuSeconds } from "../load/process-cpu.js";
import type { LoadGenerator } from "../load/run-load.js";
import type { IngestShape } from "./server-inputs.js";
import { type ServerProcess, writeKeyHeader } from "./server-process.js";

const POLL_MS = 50;
const TIMEOUT_MS = 300_000;

/** What one end-to-end run measured. */
export interface EndToEndResult {
  readonly eventsPerSecond: number;
  /** Events/s acknowledged while the load ran (delivery running alongside). */
  readonly ingestEventsPerSecond: number;
}

/**
 * Posts `events` events in batches of the given shape (autocannon, fixed
 * amount) to a fresh server and measures until the emulator has accepted one
 * delivery per event (the shipped mappings: send-event fires on each track
 * call). The emulator's counters are reset first.
 */
export async function measureEndToEnd(
  generator: LoadGenerator,
  deps: { emulator: ChildServer; server: ServerProcess },
  run: { shape: IngestShape; events: number; connections: number },
): Promise<EndToEndResult> {
  const requests = Math.ceil(run.events / run.shape.eventsPerRequest);
  const { seconds, load } = await postUntilDelivered(generator, deps, { ...run, requests });
  return {
    eventsPerSecond: (requests * run.shape.eventsPerRequest) / seconds,
    ingestEventsPerSecond: load.requestsPerSecond * run.shape.eventsPerRequest,
  };
}

/** What one steady run measured. */
export interface SteadyResult {
  /**
   * CPU time (all of the server's threads) per event, from the first request
   * until all are delivered; undefined where /proc is missing.
   */
  readonly cpuMicrosPerEvent: number | undefined;
}

/**
 * Posts events at a fixed rate the server keeps up with (autocannon's
 * `overallRate`) for `seconds`, and measures the CPU time the server process
 * spends per event until the emulator has accepted them all: the cost of
 * each event when nothing piles up, the state a production server spends
 * most of its time in.
 */
export async function measureSteady(
  generator: LoadGenerator,
  deps: { emulator: ChildServer; server: ServerProcess },
  run: { shape: IngestShape; eventsPerSecond: number; seconds: number; connections: number },
): Promise<SteadyResult> {
  const overallRate = run.eventsPerSecond / run.shape.eventsPerRequest;
  const requests = Math.max(1, Math.round(overallRate * run.seconds));
  const cpuBefore = await processCpuSeconds(deps.server.pid);
  await postUntilDelivered(generator, deps, { ...run, requests, overallRate });
  const cpuAfter = await processCpuSeconds(deps.server.pid);
  if (cpuBefore === undefined || cpuAfter === undefined) return { cpuMicrosPerEvent: undefined };
  return {
    cpuMicrosPerEvent: ((cpuAfter - cpuBefore) * 1e6) / (requests * run.shape.eventsPerRequest),
  };
}

/**
 * Resets the emulator's counters, posts `requests` requests of `shape`
 * (autocannon), and waits until the emulator has accepted one delivery per
 * event; answers the seconds from the first request and the load's summary.
 */
async function postUntilDelivered(
  generator: LoadGenerator,
  deps: { emulator: ChildServer; server: ServerProcess },
  run: { shape: IngestShape; requests: number; connections: number; overallRate?: number },
): Promise<{ seconds: number; load: LoadResult }> {
  const statsUrl = new URL("/_emulator/stats", deps.emulator.url);
  await fetch(statsUrl, { method: "DELETE" });
  const start = performance.now();
  const load = await postAll(generator, deps.server.url, { ...run, what: "end to end" });
  const expected = run.requests * run.shape.eventsPerRequest;
  await delivered(statsUrl, { expected, start, what: "end to end" });
  return { seconds: (performance.now() - start) / 1000, load };
}

/**
 * Posts `requests` requests of `shape` to the server (autocannon); throws,
 * naming `what` was being measured, unless every one got a 2xx.
 */
export async function postAll(
  generator: LoadGenerator,
  serverUrl: string,
  run: {
    shape: IngestShape;
    requests: number;
    connections: number;
    overallRate?: number;
    what: string;
  },
): Promise<LoadResult> {
  const { what } = run;
  const load = await generator.run({
    url: `${serverUrl}${run.shape.path}`,
    body: run.shape.body,
    headers: { authorization: writeKeyHeader },
    connections: run.connections,
    amount: run.requests,
    ...(run.overallRate === undefined ? {} : { overallRate: run.overallRate }),
  });
  if (load.non2xx > 0 || load.errors > 0) {
    throw new Error(`${what}: ${load.non2xx} answers outside 2xx, ${load.errors} errors`);
  }
  return load;
}

/** Operations the emulator has accepted since its counters were reset. */
export async function emulatorOperations(statsUrl: URL): Promise<number> {
  const stats = (await (await fetch(statsUrl)).json()) as Record<string, number>;
  return stats.operations ?? 0;
}

/**
 * Waits until the emulator has accepted `expected` operations since its
 * counters were reset (at `start`); throws, naming `what`, past the timeout.
 */
export async function delivered(
  statsUrl: URL,
  wait: { expected: number; start: number; what: string },
): Promise<void> {
  const { expected, start, what } = wait;
  const deadline = start + TIMEOUT_MS;
  for (;;) {
    const operations = await emulatorOperations(statsUrl);
    if (operations >= expected) return;
    if (performance.now() > deadline) {
      throw new Error(`${what}: ${operations} of ${expected} delivered after ${TIMEOUT_MS} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** The emulator's key, for servers that must deliver. */
export const deliveringKey = DEFAULT_EMULATOR_API_KEY;
