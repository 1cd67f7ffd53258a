import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChildServer } from "../load/child-server.js";
import type { LoadGenerator } from "../load/run-load.js";
import { readBacklog } from "./server-backlog.js";
import { delivered, emulatorOperations, postAll } from "./server-end-to-end.js";
import type { IngestShape } from "./server-inputs.js";
import { DELIVERY_PAUSED, startServer } from "./server-process.js";

const POLL_MS = 50;
const MAPPED_TIMEOUT_MS = 300_000;

/**
 * How fast a server catches up on a backlog: `events` are posted to a server
 * whose deliveries GWEN refuses (the API key; delivery pauses) and mapped
 * into stored deliveries; a second server then starts on the same data, as
 * after an outage of GWEN or a restart, and delivers them. Answers
 * deliveries/s from the moment it listens until the emulator has them all:
 * the delivery stage alone (claim from SQLite, send, settle), without
 * ingestion and mapping taking cores beside it.
 */
export async function measureBacklogDrain(
  generator: LoadGenerator,
  emulator: ChildServer,
  run: {
    shape: IngestShape;
    events: number;
    connections: number;
    batchSize: number;
    /** More settings of the delivering server. */
    env?: Record<string, string>;
  },
): Promise<number> {
  const dataDir = await mkdtemp(join(tmpdir(), "gwenmap-bench-backlog-"));
  try {
    await storeBacklog(generator, emulator, { ...run, dataDir });
    const statsUrl = new URL("/_emulator/stats", emulator.url);
    await fetch(statsUrl, { method: "DELETE" });
    const server = await startServer(
      emulator.url,
      { ...run.env, GWENMAP_BATCH_SIZE: String(run.batchSize) },
      { dataDir },
    );
    try {
      const start = performance.now();
      const before = await emulatorOperations(statsUrl);
      await delivered(statsUrl, { expected: run.events, start, what: "backlog" });
      return (run.events - before) / ((performance.now() - start) / 1000);
    } finally {
      await server.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * Posts the events to a server that cannot deliver (GWEN refuses its key)
 * with `run.dataDir` as its data directory, and stops it once all are mapped:
 * `run.dataDir` then holds them as stored deliveries.
 */
export async function storeBacklog(
  generator: LoadGenerator,
  emulator: ChildServer,
  run: { shape: IngestShape; events: number; connections: number; dataDir: string },
): Promise<void> {
  const { dataDir } = run;
  const server = await startServer(emulator.url, DELIVERY_PAUSED, { dataDir });
  try {
    await postAll(generator, server.url, {
      ...run,
      requests: Math.ceil(run.events / run.shape.eventsPerRequest),
      what: "backlog",
    });
    const deadline = performance.now() + MAPPED_TIMEOUT_MS;
    while ((await readBacklog(server.url)).pending < run.events) {
      if (performance.now() > deadline) throw new Error("backlog: not mapped in time");
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } finally {
    await server.stop();
  }
}
