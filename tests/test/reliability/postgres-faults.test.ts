import { randomUUID } from "node:crypto";
import {
  DEFAULT_EMULATOR_API_KEY,
  type Emulator,
  startEmulator,
} from "@gwenmap/gwen-adapter/emulator";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupAfterEach } from "../../support/cleanup/cleanups.js";
import { basicAuth } from "../../support/reliability/events.js";
import {
  type PrivatePostgres,
  startPrivatePostgres,
} from "../../support/reliability/private-postgres.js";
import { recordResult } from "../../support/reliability/results.js";
import { countByUser } from "../../support/reliability/tally.js";
import { PER_BATCH, SpreadSender, userIdFor } from "../../support/scale-out/spread-sender.js";
import {
  eventually,
  type ServerProcess,
  SHIPPED_MAPPINGS,
  spawnServer,
  temporaryDataDir,
} from "../../support/server/spawn-server.js";

const WRITE_KEY = "postgres-faults-write-key";
const EVENTS = Number(process.env.GWENMAP_PG_FAULT_EVENTS ?? 2_000);
/** The fault strikes once this share of the events is acknowledged. */
const FAULT_AFTER = 1 / 3;

// These tests stop, kill and restart PostgreSQL: on a cluster of their own, never the shared one.
let cluster: PrivatePostgres;
let schemas = 0;
beforeAll(async () => {
  cluster = await startPrivatePostgres({ maxConnections: 40 });
});
afterAll(async () => {
  await cluster?.destroy();
});

/** Stops what each test started, after it, even when it failed or timed out. */
const cleanup = cleanupAfterEach();

/** Two server processes on one PostgreSQL queue, each delivering to an emulator of its own. */
interface Fleet {
  readonly servers: readonly ServerProcess[];
  readonly emulators: readonly Emulator[];
  readonly schema: string;
}

async function startFleet(): Promise<Fleet> {
  const schema = `faults_${++schemas}`;
  const url = new URL(cluster.url);
  url.searchParams.set("schema", schema);
  const data = await temporaryDataDir();
  cleanup(() => data.remove());
  const emulators: Emulator[] = [];
  for (let index = 0; index < 2; index++) {
    const emulator = await startEmulator();
    cleanup(() => emulator.close());
    emulators.push(emulator);
  }
  // Each server is stopped after the test from the moment it runs, even when the other fails to start.
  const servers = await Promise.all(
    emulators.map(async (emulator) => {
      const server = await spawnServer({
        GWENMAP_QUEUE_URL: url.href,
        GWENMAP_DATA_DIR: data.dir,
        GWENMAP_MAPPINGS: SHIPPED_MAPPINGS,
        GWENMAP_WRITE_KEYS: WRITE_KEY,
        GWEN_API_KEY: DEFAULT_EMULATOR_API_KEY,
        GWEN_ENDPOINT: emulator.url,
        GWENMAP_WATCH: "0",
        GWENMAP_LEASE: "3s",
        GWENMAP_RETRY_BASE_DELAY: "50ms",
        GWENMAP_RETRY_MAX_DELAY: "500ms",
      });
      cleanup(() => server.stop("SIGKILL"));
      return server;
    }),
  );
  return { servers, emulators, schema };
}

/** What a fault did, as seen from PostgreSQL and the test: proof that it happened. */
interface FaultEvidence {
  /** What the table's note says about the fault. */
  readonly description: string;
}

/** What a fault is given: the sending of the rest, and a probe of ingestion. */
interface FaultContext {
  /** Sends the remaining events from now on (a fault that must be in place first calls it later). */
  send(): void;
  /** Posts one call to each server now; answers their statuses (0: no answer). */
  probe(): Promise<number[]>;
  /** Log lines so far in which the servers tell of PostgreSQL failing (see `saysPostgresFailed`). */
  failuresLogged(): number;
}

/**
 * Sends `EVENTS` events over both servers; once a third is acknowledged,
 * `fault` strikes and the rest are sent. Then every event must be
 * acknowledged, and every acknowledged event delivered, by servers that
 * never died.
 */
async function sendThrough(
  scenario: string,
  fault: (during: FaultContext) => Promise<FaultEvidence>,
) {
  const fleet = await startFleet();
  let refusals = 0;
  let unanswered = 0;
  const sender = new SpreadSender({
    batches: EVENTS / PER_BATCH,
    writeKey: WRITE_KEY,
    concurrency: 6,
    onAnswer: (status) => {
      if (status === 503) refusals += 1;
      else if (status === 0) unanswered += 1;
    },
  });
  sender.spreadOver(fleet.servers.map((server) => server.url));
  await sender.run(() => sender.acknowledgedEvents >= EVENTS * FAULT_AFTER);
  // A server that dies ends the run at once (the assertion on `alive` then says so).
  let died = false;
  for (const server of fleet.servers) void server.exited.then(() => (died = true));
  let sending: Promise<void> | undefined;
  const send = () => {
    sending ??= sender.run(() => died);
  };
  const refusalsBefore = refusals;
  const probe = () =>
    Promise.all(
      fleet.servers.map(async (server) => {
        // Not a uuid: were it taken, the shipped mapping would reject it, never deliver it.
        const call = { type: "track", event: "Probe", userId: "probe", messageId: randomUUID() };
        const response = await fetch(`${server.url}/v1/batch`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            authorization: basicAuth(WRITE_KEY),
          },
          body: JSON.stringify({ batch: [call] }),
        }).catch(() => undefined);
        await response?.text();
        return response?.status ?? 0;
      }),
    );
  const failuresLogged = () =>
    fleet.servers.reduce((sum, server) => sum + server.logs.filter(saysPostgresFailed).length, 0);
  const evidence = await fault({ send, probe, failuresLogged });
  const refusedDuringFault = refusals - refusalsBefore;
  send();
  await sending;
  const alive = fleet.servers.map(
    (server) => server.child.exitCode === null && server.child.signalCode === null,
  );
  expect(alive, `both server processes are still running; ${lastWords(fleet.servers)}`).toEqual([
    true,
    true,
  ]);
  expect(sender.acknowledgedEvents).toBe(EVENTS);

  const operations = () =>
    fleet.emulators.reduce((sum, emulator) => sum + (emulator.stats().operations ?? 0), 0);
  await eventually(
    async () => {
      if (operations() < EVENTS) return undefined;
      const users = new Set(
        fleet.emulators.flatMap((emulator) => [...countByUser(emulator).keys()]),
      );
      return users.size >= EVENTS && (await unfinished(fleet.schema)) === 0 ? true : undefined;
    },
    "every acknowledged event delivered and an empty queue",
    90_000,
  );
  const counts = fleet.emulators.map(countByUser);
  const lost = Array.from({ length: EVENTS }, (_, index) => userIdFor(index)).filter(
    (userId) => !counts.some((count) => count.has(userId)),
  );
  const duplicates = operations() - (EVENTS - lost.length);
  recordResult({
    scenario,
    events: EVENTS,
    delivered: EVENTS - lost.length,
    duplicates,
    lost: lost.length,
    note: `${evidence.description}; ${refusedDuringFault} requests answered 503 meanwhile, ${unanswered} unanswered; both servers stayed up`,
  });
  return { fleet, evidence, refusedDuringFault, lost };
}

/**
 * Whether a server's log line tells of PostgreSQL failing: an idle connection
 * that broke ("a PostgreSQL connection of the queue broke"), or work that
 * failed on a busy one (the error names the PostgreSQL queue).
 */
function saysPostgresFailed(entry: Record<string, unknown>): boolean {
  const error = (entry.err as { message?: unknown } | undefined)?.message;
  return /PostgreSQL/.test(`${String(entry.msg)} ${String(error ?? "")}`);
}

async function unfinished(schema: string): Promise<number> {
  const client = new pg.Client({ connectionString: cluster.url });
  client.on("error", () => {});
  await client.connect();
  try {
    const { rows } = await client.query<{ count: string }>(
      `SELECT (SELECT count(*) FROM "${schema}".requests)
            + (SELECT count(*) FROM "${schema}".records WHERE state IN ('pending', 'replay')) AS count`,
    );
    return Number(rows[0]?.count ?? 0);
  } finally {
    await client.end();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function expectSurvived(outcome: Awaited<ReturnType<typeof sendThrough>>) {
  expect(outcome.lost).toEqual([]);
  for (const server of outcome.fleet.servers) {
    expect(await server.stop("SIGTERM"), `a clean shutdown; ${lastWords([server])}`).toBe(0);
  }
}

/** How each of `servers` ended (if it did) and its last log lines with their errors, for an assertion's message. */
function lastWords(servers: readonly ServerProcess[]): string {
  return JSON.stringify(
    servers.map((server) => ({
      ended: server.child.exitCode ?? server.child.signalCode,
      logs: server.logs
        .slice(-8)
        .map(
          (entry) =>
            `${String(entry.msg)} ${String((entry.err as { message?: unknown } | undefined)?.message ?? "")}`,
        ),
    })),
  );
}

describe("PostgreSQL fails under two servers sharing its queue", () => {
  it("restarted twice (pg_ctl stop -m fast, 5 s down): 503 meanwhile, no process dies, everything delivered", async () => {
    const outcome = await sendThrough(
      "PostgreSQL restarted twice (stop -m fast, 5 s down) under two servers",
      async ({ send, probe }) => {
        // Stopped while the servers ingest, map and deliver; twice, since what a stop breaks is a matter of timing.
        send();
        const closed: number[] = [];
        for (let restart = 0; restart < 2; restart++) {
          closed.push(await cluster.gwenmapConnections());
          cluster.stop();
          const probes = await probe();
          await sleep(5_000);
          cluster.start();
          expect(probes, "ingestion was refused while PostgreSQL was down").toEqual([503, 503]);
        }
        expect(closed[0], "the servers had connections that the stop closed").toBeGreaterThan(0);
        return { description: `${closed.join(" and ")} connections closed by the stops` };
      },
    );
    await expectSurvived(outcome);
  }, 150_000);

  it("connections killed (pg_terminate_backend, as a failover does) five times: no process dies, everything delivered", async () => {
    const outcome = await sendThrough(
      "PostgreSQL connections killed five times (pg_terminate_backend)",
      async ({ send, failuresLogged }) => {
        send();
        let terminated = 0;
        for (let round = 0; round < 5; round++) {
          terminated += await cluster.terminateGwenmap();
          await sleep(300);
        }
        expect(terminated, "connections were terminated").toBeGreaterThan(0);
        // The servers saw it: a broken idle connection, or work that failed on a busy one, is logged.
        const logged = await eventually(
          () => (failuresLogged() > 0 ? failuresLogged() : undefined),
          "the servers to log a broken connection",
        );
        return { description: `${terminated} connections terminated, ${logged} failures logged` };
      },
    );
    await expectSurvived(outcome);
  }, 150_000);

  it("max_connections reached for 3 s: 503 meanwhile, no process dies, everything delivered", async () => {
    const outcome = await sendThrough(
      "PostgreSQL max_connections reached for 3 s",
      async ({ send, probe }) => {
        // Take every free slot, drop the servers' connections, and take the slots they free too.
        // Until none of theirs is left (a loaded machine may take many rounds), not a number of rounds.
        let held = await cluster.takeAllConnections();
        let terminated = 0;
        const deadline = Date.now() + 30_000;
        while ((await cluster.gwenmapConnections()) > 0 && Date.now() < deadline) {
          terminated += await cluster.terminateGwenmap();
          await sleep(50);
          held = await cluster.takeAllConnections();
        }
        const left = await cluster.gwenmapConnections();
        const probes = await probe();
        send();
        await sleep(3_000);
        await cluster.releaseConnections();
        expect(left, "the servers held no connection while every slot was taken").toBe(0);
        expect(probes, "ingestion was refused while no connection could be made").toEqual([
          503, 503,
        ]);
        return {
          description: `every one of ${held} free slots taken, ${terminated} connections terminated`,
        };
      },
    );
    await expectSurvived(outcome);
  }, 150_000);

  it("killed with SIGKILL and started again (crash recovery): 503 meanwhile, no process dies, everything delivered", async () => {
    const outcome = await sendThrough(
      "PostgreSQL killed with SIGKILL, started again after 2 s",
      async ({ send, probe }) => {
        send();
        const killed = cluster.kill();
        const probes = await probe();
        await sleep(2_000);
        cluster.start();
        expect(killed, "the postmaster and its processes were killed").toBeGreaterThan(1);
        expect(probes, "ingestion was refused while PostgreSQL was down").toEqual([503, 503]);
        return { description: `${killed} PostgreSQL processes killed` };
      },
    );
    await expectSurvived(outcome);
  }, 150_000);
});
