import { DEFAULT_EMULATOR_API_KEY } from "@gwenmap/gwen-adapter/emulator";
import type { ChildServer } from "../load/child-server.js";
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
  const { emulator, server } = deps;
  const statsUrl = new URL("/_emulator/stats", emulator.url);
  await fetch(statsUrl, { method: "DELETE" });
  const requests = Math.ceil(run.events / run.shape.eventsPerRequest);
  const expected = requests * run.shape.eventsPerRequest;
  const start = performance.now();
  const ingest = await generator.run({
    url: `${server.url}${run.shape.path}`,
    body: run.shape.body,
    headers: { authorization: writeKeyHeader },
    connections: run.connections,
    amount: requests,
  });
  if (ingest.non2xx > 0 || ingest.errors > 0) {
    throw new Error(`end to end: ${ingest.non2xx} answers outside 2xx, ${ingest.errors} errors`);
  }
  const deadline = start + TIMEOUT_MS;
  for (;;) {
    const stats = (await (await fetch(statsUrl)).json()) as Record<string, number>;
    if ((stats.operations ?? 0) >= expected) break;
    if (performance.now() > deadline) {
      throw new Error(
        `end to end: ${stats.operations} of ${expected} delivered after ${TIMEOUT_MS} ms`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const seconds = (performance.now() - start) / 1000;
  return {
    eventsPerSecond: expected / seconds,
    ingestEventsPerSecond: ingest.requestsPerSecond * run.shape.eventsPerRequest,
  };
}

/** The emulator's key, for servers that must deliver. */
export const deliveringKey = DEFAULT_EMULATOR_API_KEY;
