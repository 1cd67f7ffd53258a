import { type Emulator, type EmulatorFaults, startEmulator } from "@gwenmap/gwen-adapter/emulator";
import { describe, expect, it } from "vitest";
import { cleanupAfterEach } from "../../support/cleanup/cleanups.js";
import { BatchSender } from "../../support/reliability/batch-sender.js";
import { metricValue } from "../../support/reliability/metrics.js";
import { startReliabilityServer, WRITE_KEY } from "../../support/reliability/reliability-server.js";
import { recordResult } from "../../support/reliability/results.js";
import { countByUser, distinctUsers, tally } from "../../support/reliability/tally.js";
import { createQueueSchema } from "../../support/scale-out/postgres-schema.js";
import {
  eventually,
  type ServerProcess,
  temporaryDataDir,
} from "../../support/server/spawn-server.js";

const EVENTS = 400;
const PER_BATCH = 25;

/** Where the queue is: the SQLite file in the data directory, or a schema of PostgreSQL's. */
type Queue = "SQLite" | "PostgreSQL";

interface CrashCase {
  readonly scenario: string;
  readonly run: number;
  /** `GWENMAP_CRASH_AT` and its companions, for the first process only. */
  readonly crash: Record<string, string>;
  /** Faults of the emulator the killed process delivers to. */
  readonly firstFaults: EmulatorFaults;
  readonly concurrency: number;
}

/** Stops what each test started, after it, even when it failed or timed out. */
const cleanup = cleanupAfterEach();

async function emulator(faults: EmulatorFaults): Promise<Emulator> {
  const started = await startEmulator({ faults });
  cleanup(() => started.close());
  return started;
}

/**
 * Runs one crash: the first process (with the crash point) ingests and
 * delivers to one emulator until it kills itself; a second process on the same
 * data directory delivers to another, while the sender resends whatever was
 * not acknowledged. Every duplicate can then be traced to the process that
 * sent it first.
 */
async function crashAndRecover(crash: CrashCase, queue: Queue) {
  const data = await temporaryDataDir();
  cleanup(() => data.remove());
  const queueEnv = await queueSettings(queue);
  const beforeKill = await emulator(crash.firstFaults);
  const afterRestart = await emulator({ latencyMs: 1 });
  const servers: ServerProcess[] = [];
  cleanup(async () => {
    for (const server of servers) await server.stop("SIGKILL");
  });
  const env = { GWENMAP_CONCURRENCY: String(crash.concurrency), ...queueEnv };
  const first = await startReliabilityServer(beforeKill, data.dir, { ...env, ...crash.crash });
  servers.push(first);
  let killed = false;
  void first.exited.then(() => {
    killed = true;
  });
  const sender = new BatchSender({
    run: crash.run,
    events: EVENTS,
    perBatch: PER_BATCH,
    writeKey: WRITE_KEY,
  });
  sender.point(first.url);
  await sender.run(() => killed);
  const how = await Promise.race([
    first.exited,
    new Promise((resolve) => setTimeout(() => resolve("still running"), 20_000)),
  ]);
  expect(how, "the crash point was reached and killed the process").toBe("SIGKILL");
  const atKill = {
    acknowledged: sender.acknowledgedEvents,
    unanswered: sender.unanswered,
    gwenRequests: beforeKill.stats().requests ?? 0,
    delivered: countByUser(beforeKill).size,
  };

  const second = await startReliabilityServer(afterRestart, data.dir, env);
  servers.push(second);
  sender.point(second.url);
  await sender.run();
  expect(sender.acknowledgedEvents).toBe(EVENTS);
  await eventually(
    () => (distinctUsers([beforeKill, afterRestart]) >= EVENTS ? true : undefined),
    "every acknowledged event at an emulator",
    30_000,
  );
  // Then until nothing is left to send: on PostgreSQL what the killed process had claimed comes back only
  // once its leases run out, when every other event may long be delivered (and a repeat not made yet).
  await eventually(
    async () => ((await queueDepth(second.url)) === 0 ? true : undefined),
    "nothing left to map or deliver",
    30_000,
  );
  return { beforeKill, afterRestart, second, atKill };
}

/** Events still to map and deliveries still to send, as the server counts them. */
async function queueDepth(url: string): Promise<number> {
  const [unmapped, pending] = await Promise.all(
    ["unmapped", "pending"].map((stage) =>
      metricValue(url, `gwenmap_queue_depth{stage="${stage}"}`),
    ),
  );
  return (unmapped ?? 0) + (pending ?? 0);
}

/** The settings of both processes for `queue`: a schema of its own on PostgreSQL. */
async function queueSettings(queue: Queue): Promise<Record<string, string>> {
  if (queue === "SQLite") return {};
  const schema = await createQueueSchema();
  cleanup(() => schema.drop());
  // The killed process's claims pass to the next one once their leases run out.
  return { GWENMAP_QUEUE_URL: schema.url, GWENMAP_LEASE: "2s" };
}

/** Users that reached both emulators: sent by the killed process, and again after the restart. */
function sentAgain(beforeKill: Emulator, afterRestart: Emulator): number {
  const before = countByUser(beforeKill);
  return [...countByUser(afterRestart).keys()].filter((userId) => before.has(userId)).length;
}

describe.each(["SQLite", "PostgreSQL"] as const)(
  "SIGKILL at each stage, then a restart on the same %s queue",
  (queue) => {
    // The SQLite rows keep the names the README's table has always had.
    const named = (scenario: string) =>
      queue === "SQLite" ? scenario : `${scenario} (PostgreSQL queue)`;

    it("inside the ingest transaction: the unacknowledged request is resent, nothing lost or doubled", async () => {
      const crash: CrashCase = {
        scenario: named("SIGKILL inside the ingest transaction"),
        run: 0x1001,
        crash: { GWENMAP_CRASH_AT: "ingest-commit", GWENMAP_CRASH_AFTER_HITS: "6" },
        // GWEN is down for the first process: nothing it delivers can blur the count.
        firstFaults: { errorRate: 1, errorStatus: 503 },
        concurrency: 8,
      };
      const { beforeKill, afterRestart, second, atKill } = await crashAndRecover(crash, queue);
      expect(atKill.acknowledged).toBeLessThan(EVENTS);
      expect(atKill.unanswered).toBeGreaterThan(0);
      expect(beforeKill.requests()).toEqual([]);
      const result = tally(crash.run, EVENTS, [beforeKill, afterRestart]);
      recordResult({ scenario: crash.scenario, ...pick(result), note: "no duplicate allowed" });
      expect(result.lostIndexes).toEqual([]);
      expect(result.duplicates).toBe(0);
      expect(await second.stop("SIGTERM")).toBe(0);
    });

    it("after the commit, before the answer: the client's resend is deduplicated by messageId", async () => {
      const crash: CrashCase = {
        scenario: named("SIGKILL after the ingest commit, before the HTTP answer"),
        run: 0x1002,
        crash: { GWENMAP_CRASH_AT: "before-reply", GWENMAP_CRASH_AFTER_HITS: "6" },
        firstFaults: { errorRate: 1, errorStatus: 503 },
        concurrency: 8,
      };
      const { beforeKill, afterRestart, second, atKill } = await crashAndRecover(crash, queue);
      expect(atKill.acknowledged).toBeLessThan(EVENTS);
      expect(atKill.unanswered).toBeGreaterThan(0);
      expect(beforeKill.requests()).toEqual([]);
      const result = tally(crash.run, EVENTS, [beforeKill, afterRestart]);
      // The committed but unanswered batch was stored twice; the second copy is dropped as a duplicate.
      const dropped = await metricValue(second.url, "gwenmap_events_duplicate_total");
      recordResult({
        scenario: crash.scenario,
        ...pick(result),
        note: `${dropped} resent events dropped by messageId dedupe`,
      });
      expect(result.lostIndexes).toEqual([]);
      expect(result.duplicates).toBe(0);
      expect(dropped).toBeGreaterThanOrEqual(PER_BATCH);
      expect(dropped % PER_BATCH).toBe(0);
      expect(await second.stop("SIGTERM")).toBe(0);
    });

    it("while GWEN requests are in flight: they are sent again after the restart", async () => {
      const crash: CrashCase = {
        scenario: named("SIGKILL while GWEN requests are in flight"),
        run: 0x1003,
        crash: {
          GWENMAP_CRASH_AT: "gwen-in-flight",
          GWENMAP_CRASH_AFTER_HITS: "1",
          GWENMAP_CRASH_DELAY_MS: "300",
        },
        // GWEN holds each request for 3 s: the first ones are still waiting for it when the process dies.
        firstFaults: { latencyMs: 3_000 },
        concurrency: 8,
      };
      const killedAt = Date.now();
      const { beforeKill, afterRestart, second, atKill } = await crashAndRecover(crash, queue);
      // More than the start-up key check arrived: deliveries were in flight at the kill.
      expect(atKill.gwenRequests).toBeGreaterThan(1);
      expect(atKill.delivered).toBe(0);
      // Let GWEN finish whatever it still held, so that a request it executed late would be counted.
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, killedAt + 3_500 - Date.now())),
      );
      const result = tally(crash.run, EVENTS, [beforeKill, afterRestart]);
      recordResult({
        scenario: crash.scenario,
        ...pick(result),
        note: "duplicates allowed only for requests GWEN executed",
      });
      expect(result.lostIndexes).toEqual([]);
      expect(result.duplicates).toBe(sentAgain(beforeKill, afterRestart));
      expect([...result.counts.values()].every((count) => count <= 2)).toBe(true);
      expect(await second.stop("SIGTERM")).toBe(0);
    });

    it("after GWEN answered, before the outcome was recorded: at least once, duplicates traced", async () => {
      const crash: CrashCase = {
        scenario: named("SIGKILL after GWEN answered, before the delivery was marked done"),
        run: 0x1004,
        crash: { GWENMAP_CRASH_AT: "gwen-answered", GWENMAP_CRASH_AFTER_HITS: "60" },
        firstFaults: { latencyMs: 2 },
        concurrency: 4,
      };
      const { beforeKill, afterRestart, second, atKill } = await crashAndRecover(crash, queue);
      expect(atKill.delivered).toBeGreaterThanOrEqual(60);
      const result = tally(crash.run, EVENTS, [beforeKill, afterRestart]);
      recordResult({
        scenario: crash.scenario,
        ...pick(result),
        note: "duplicates allowed: answered but unrecorded deliveries",
      });
      expect(result.lostIndexes).toEqual([]);
      // The delivery whose answer was never recorded is sent again: at least one duplicate, all traced.
      expect(result.duplicates).toBeGreaterThanOrEqual(1);
      expect(result.duplicates).toBe(sentAgain(beforeKill, afterRestart));
      expect([...result.counts.values()].every((count) => count <= 2)).toBe(true);
      expect(await second.stop("SIGTERM")).toBe(0);
    });
  },
);

function pick(result: ReturnType<typeof tally>) {
  const { events, delivered, duplicates, lost } = result;
  return { events, delivered, duplicates, lost };
}
