import {
  DEFAULT_EMULATOR_API_KEY,
  type Emulator,
  startEmulator,
} from "@gwenmap/gwen-adapter/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createQueueSchema, type QueueSchema } from "../../support/scale-out/postgres-schema.js";
import { PER_BATCH, SpreadSender, userIdFor } from "../../support/scale-out/spread-sender.js";
import {
  eventually,
  type ServerProcess,
  SHIPPED_MAPPINGS,
  spawnServer,
  temporaryDataDir,
} from "../../support/server/spawn-server.js";

const WRITE_KEY = "scale-out-write-key";
const EVENTS = 6_000;
const BATCHES = EVENTS / PER_BATCH;
/** SIGKILL the middle instance once this many events are acknowledged and it has delivered some. */
const KILL_AFTER_ACKNOWLEDGED = 2_000;
/** Short, so that the killed instance's claims pass to the others within seconds. */
const LEASE = "3s";

/** How many times each user (one per event) reached an emulator. */
function countByUser(emulator: Emulator): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of emulator.requests()) {
    const userId = String(request.variables.userId);
    counts.set(userId, (counts.get(userId) ?? 0) + 1);
  }
  return counts;
}

// Each instance delivers to an emulator of its own, so that every duplicate
// can be traced to the instance that sent it first.
const emulators: Emulator[] = [];
const servers: ServerProcess[] = [];
let schema: QueueSchema;
let data: Awaited<ReturnType<typeof temporaryDataDir>>;

beforeAll(async () => {
  schema = await createQueueSchema();
  data = await temporaryDataDir();
  for (let index = 0; index < 3; index++) {
    emulators.push(await startEmulator({ faults: { latencyMs: 2 } }));
  }
});

afterAll(async () => {
  for (const server of servers) await server.stop("SIGKILL");
  for (const emulator of emulators) await emulator.close();
  await schema?.drop();
  await data?.remove();
});

function start(emulator: Emulator): Promise<ServerProcess> {
  return spawnServer({
    GWENMAP_QUEUE_URL: schema.url,
    // Not used with a queue URL; set so that nothing is written into the checkout.
    GWENMAP_DATA_DIR: data.dir,
    GWENMAP_MAPPINGS: SHIPPED_MAPPINGS,
    GWENMAP_WRITE_KEYS: WRITE_KEY,
    GWEN_API_KEY: DEFAULT_EMULATOR_API_KEY,
    GWEN_ENDPOINT: emulator.url,
    GWENMAP_CONCURRENCY: "16",
    GWENMAP_LEASE: LEASE,
    GWENMAP_WATCH: "0",
  });
}

describe("three server instances on one PostgreSQL queue, one killed with SIGKILL mid-run", () => {
  it("delivers every acknowledged event; duplicates come only from the killed instance", async () => {
    // All three start at once: the schema is created by exactly one of them.
    servers.push(...(await Promise.all(emulators.map((emulator) => start(emulator)))));
    const [first, victim, third] = servers as [ServerProcess, ServerProcess, ServerProcess];
    const [, victimEmulator] = emulators as [Emulator, Emulator, Emulator];
    const sender = new SpreadSender({ batches: BATCHES, writeKey: WRITE_KEY, concurrency: 6 });
    sender.spreadOver(servers.map((server) => server.url));
    await sender.run(
      () =>
        sender.acknowledgedEvents >= KILL_AFTER_ACKNOWLEDGED &&
        (victimEmulator.stats().operations ?? 0) > 0,
    );
    const sending = sender.run(() => false);
    expect(await victim.stop("SIGKILL")).toBe("SIGKILL");
    const acknowledgedAtKill = sender.acknowledgedEvents;
    sender.spreadOver([first.url, third.url]);
    await sending;
    expect(sender.acknowledgedEvents).toBe(EVENTS);

    const operations = () =>
      emulators.reduce((sum, emulator) => sum + (emulator.stats().operations ?? 0), 0);
    await eventually(
      async () => {
        // Counting per user is costly; only once enough operations arrived.
        if (operations() < EVENTS) return undefined;
        const distinct = new Set(
          emulators.flatMap((emulator) => [...countByUser(emulator).keys()]),
        );
        return distinct.size >= EVENTS && (await schema.unfinished()) === 0 ? true : undefined;
      },
      "every acknowledged event at an emulator and an empty queue",
      60_000,
    );
    const counts = emulators.map(countByUser);
    const [beforeKill, ...survivors] = [counts[1], counts[0], counts[2]] as Map<string, number>[];
    const expected = Array.from({ length: EVENTS }, (_, index) => userIdFor(index));
    const lost = expected.filter((userId) => !counts.some((count) => count.has(userId)));
    const total = operations();
    const duplicates = total - (EVENTS - lost.length);
    const sentAgain = survivors.flatMap((count) =>
      [...count.keys()].filter((userId) => beforeKill?.has(userId)),
    );
    console.log(
      `scale-out test: 3 instances on one PostgreSQL queue; batches acknowledged per instance ${[
        ...sender.acknowledgedBy.values(),
      ].join("/")}; SIGKILL of one after ${acknowledgedAtKill} events were acknowledged and ` +
        `${beforeKill?.size} delivered by it; deliveries per instance ${counts
          .map((count) => count.size)
          .join("/")}; ${EVENTS - lost.length} of ${EVENTS} delivered, ${duplicates} duplicates ` +
        `(deliveries the killed instance made but had not recorded), ${lost.length} lost`,
    );
    expect(lost).toEqual([]);
    // Work was spread: every instance took requests and delivered.
    expect(sender.acknowledgedBy.size).toBe(3);
    expect(counts.every((count) => count.size > 0)).toBe(true);
    // At least once: the only duplicates are the killed instance's deliveries, repeated by another.
    expect(duplicates).toBe(sentAgain.length);
    expect(counts.every((count) => [...count.values()].every((times) => times === 1))).toBe(true);
    expect(await first.stop("SIGTERM")).toBe(0);
    expect(await third.stop("SIGTERM")).toBe(0);
  }, 90_000);
});
