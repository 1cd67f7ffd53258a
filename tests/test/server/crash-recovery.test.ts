import {
  DEFAULT_EMULATOR_API_KEY,
  type Emulator,
  startEmulator,
} from "@gwenmap/gwen-adapter/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  eventually,
  type ServerProcess,
  SHIPPED_MAPPINGS,
  spawnServer,
  temporaryDataDir,
} from "../../support/server/spawn-server.js";

const WRITE_KEY = "crash-write-key";
const EVENTS = 10_000;
const PER_BATCH = 100;
const BATCHES = EVENTS / PER_BATCH;
const SENDERS = 6;
/** SIGKILL once this many events are acknowledged and some were delivered. */
const KILL_AFTER_ACKNOWLEDGED = 3_000;

function userIdFor(index: number): string {
  return `6e2f4a1c-9b3d-4e7f-8a5c-${index.toString(16).padStart(12, "0")}`;
}

function batchBody(batch: number): string {
  const events = [];
  for (let offset = 0; offset < PER_BATCH; offset++) {
    const index = batch * PER_BATCH + offset;
    events.push({
      type: "track",
      event: "Level Completed",
      userId: userIdFor(index),
      messageId: `crash-${index}`,
      properties: { index },
    });
  }
  return JSON.stringify({ batch: events });
}

/**
 * Sends every batch until the server acknowledges it, as Segment's libraries
 * do: a request that fails (the server died under it) goes back in line and
 * is sent again, with the same messageIds, to whichever server `point` names.
 */
class Sender {
  readonly acknowledged = new Set<number>();
  #next = 0;
  #retry: number[] = [];
  #url = "";

  point(url: string): void {
    this.#url = url;
  }

  get acknowledgedEvents(): number {
    return this.acknowledged.size * PER_BATCH;
  }

  /** Sends until `until()` holds or every batch is acknowledged. */
  async run(until: () => boolean): Promise<void> {
    const workers = Array.from({ length: SENDERS }, async () => {
      while (!until() && this.acknowledged.size < BATCHES) {
        const batch = this.#retry.shift() ?? (this.#next < BATCHES ? this.#next++ : undefined);
        if (batch === undefined || !(await this.#send(batch))) {
          if (batch !== undefined) this.#retry.push(batch);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    });
    await Promise.all(workers);
  }

  async #send(batch: number): Promise<boolean> {
    try {
      const response = await fetch(`${this.#url}/v1/batch`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Basic ${Buffer.from(`${WRITE_KEY}:`).toString("base64")}`,
        },
        body: batchBody(batch),
      });
      await response.text();
      if (response.status !== 200) return false;
      this.acknowledged.add(batch);
      return true;
    } catch {
      return false;
    }
  }
}

/** How many times each user (one per event) reached an emulator. */
function countByUser(emulator: Emulator): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of emulator.requests()) {
    const userId = String(request.variables.userId);
    counts.set(userId, (counts.get(userId) ?? 0) + 1);
  }
  return counts;
}

// The killed process delivers to one emulator and its successor to another, so
// that every duplicate can be traced to the process that sent it first.
let beforeKill: Emulator;
let afterRestart: Emulator;
let data: Awaited<ReturnType<typeof temporaryDataDir>>;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  beforeKill = await startEmulator({ faults: { latencyMs: 2 } });
  afterRestart = await startEmulator({ faults: { latencyMs: 2 } });
  data = await temporaryDataDir();
});

afterAll(async () => {
  for (const server of servers) await server.stop("SIGKILL");
  await beforeKill.close();
  await afterRestart.close();
  await data.remove();
});

async function start(emulator: Emulator): Promise<ServerProcess> {
  const server = await spawnServer({
    GWENMAP_DATA_DIR: data.dir,
    GWENMAP_MAPPINGS: SHIPPED_MAPPINGS,
    GWENMAP_WRITE_KEYS: WRITE_KEY,
    GWEN_API_KEY: DEFAULT_EMULATOR_API_KEY,
    GWEN_ENDPOINT: emulator.url,
    GWENMAP_CONCURRENCY: "32",
    GWENMAP_WATCH: "0",
  });
  servers.push(server);
  return server;
}

describe("a server killed with SIGKILL while it ingests and delivers 10,000 events", () => {
  it("delivers every acknowledged event after a restart; duplicates are counted, none is lost", async () => {
    const sender = new Sender();
    const first = await start(beforeKill);
    sender.point(first.url);
    await sender.run(
      () =>
        sender.acknowledgedEvents >= KILL_AFTER_ACKNOWLEDGED &&
        (beforeKill.stats().operations ?? 0) > 0,
    );
    const sending = sender.run(() => false);
    expect(await first.stop("SIGKILL")).toBe("SIGKILL");
    const acknowledgedAtKill = sender.acknowledgedEvents;

    const second = await start(afterRestart);
    sender.point(second.url);
    await sending;
    expect(sender.acknowledgedEvents).toBe(EVENTS);

    const after = await eventually(
      () => {
        const operations = (emulator: Emulator) => emulator.stats().operations ?? 0;
        // Counting per user is costly; only once enough operations arrived.
        if (operations(beforeKill) + operations(afterRestart) < EVENTS) return undefined;
        const counts = countByUser(afterRestart);
        const before = countByUser(beforeKill);
        const distinct = new Set([...before.keys(), ...counts.keys()]).size;
        return distinct >= EVENTS ? counts : undefined;
      },
      "every acknowledged event at an emulator",
      90_000,
    );
    const before = countByUser(beforeKill);
    const expected = Array.from({ length: EVENTS }, (_, index) => userIdFor(index));
    const lost = expected.filter((userId) => !before.has(userId) && !after.has(userId));
    const total = beforeKill.requests().length + afterRestart.requests().length;
    const duplicates = total - (EVENTS - lost.length);
    const sentAgain = [...after.keys()].filter((userId) => before.has(userId));
    console.log(
      `crash test: SIGKILL after ${acknowledgedAtKill} events were acknowledged and ${before.size} delivered; ` +
        `after the restart all ${sender.acknowledgedEvents} acknowledged, ${EVENTS - lost.length} delivered, ` +
        `${duplicates} duplicates (deliveries the killed process made but had not recorded), ${lost.length} lost`,
    );
    expect(lost).toEqual([]);
    // At least once: the only duplicates are deliveries the killed process made and the restarted one repeated.
    expect(duplicates).toBe(sentAgain.length);
    expect([...before.values(), ...after.values()].every((count) => count === 1)).toBe(true);
    expect(await second.stop("SIGTERM")).toBe(0);
  }, 150_000);
});
