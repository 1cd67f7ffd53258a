import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChildServer } from "../load/child-server.js";
import { emulatorStats, resetEmulatorStats } from "../load/emulator-faults.js";
import { readMetrics } from "./server-backlog.js";
import { startServer } from "./server-process.js";

const POLL_MS = 50;

/** One server delivering a stored backlog for a while. */
export interface DeliveryRun {
  /** A data directory holding the stored deliveries: copied for the run, never changed. */
  readonly backlogDir: string;
  /** Deliveries in the backlog: the run ends early once the emulator has them all. */
  readonly deliveries: number;
  /** Settings of the server (`GWENMAP_CONCURRENCY`, ...); none for the defaults. */
  readonly env: Record<string, string>;
  readonly seconds: number;
}

/** What one run delivered. */
export interface DeliveryResult {
  readonly deliveriesPerSecond: number;
  /** 429 answers of the emulator during the run (retried deliveries count each time). */
  readonly rateLimited: number;
  /** The server's `gwenmap_delivery_concurrency_limit` at the end of the run. */
  readonly limit: number | undefined;
}

/**
 * Starts the server on a copy of a stored backlog, as after a restart, and
 * counts what the emulator accepts from the moment it listens, for
 * `seconds` or until the backlog is delivered: the delivery stage alone
 * (claim, send, settle), from a cold start, so the time an adaptive limit
 * takes to grow counts against it.
 */
export async function measureDelivery(
  emulator: ChildServer,
  run: DeliveryRun,
): Promise<DeliveryResult> {
  const dataDir = await mkdtemp(join(tmpdir(), "gwenmap-bench-delivery-"));
  try {
    await cp(run.backlogDir, dataDir, { recursive: true });
    await resetEmulatorStats(emulator);
    const server = await startServer(emulator.url, run.env, { dataDir });
    try {
      const start = performance.now();
      const before = (await emulatorStats(emulator)).operations ?? 0;
      const deadline = start + run.seconds * 1000;
      let stats: Record<string, number>;
      do {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        stats = await emulatorStats(emulator);
      } while ((stats.operations ?? 0) < run.deliveries && performance.now() < deadline);
      const seconds = (performance.now() - start) / 1000;
      return {
        deliveriesPerSecond: ((stats.operations ?? 0) - before) / seconds,
        rateLimited: stats.rateLimited ?? 0,
        limit: await readConcurrencyLimit(server.url),
      };
    } finally {
      await server.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function readConcurrencyLimit(url: string): Promise<number | undefined> {
  const text = await readMetrics(url);
  const match = /^gwenmap_delivery_concurrency_limit\{[^}]*\} (\S+)$/m.exec(text);
  return match ? Number(match[1]) : undefined;
}
