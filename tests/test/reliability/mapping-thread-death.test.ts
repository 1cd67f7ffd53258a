import { randomUUID } from "node:crypto";
import { type Emulator, startEmulator } from "@gwenmap/gwen-adapter/emulator";
import { describe, expect, it } from "vitest";
import { cleanupAfterEach } from "../../support/cleanup/cleanups.js";
import { startReliabilityServer, WRITE_KEY } from "../../support/reliability/reliability-server.js";
import { countByUser } from "../../support/reliability/tally.js";
import {
  eventually,
  type ServerProcess,
  temporaryDataDir,
} from "../../support/server/spawn-server.js";

const EVENTS = 4;
const REPLACED = "the mapping thread stopped; starting another";

/** Stops what each test started, after it, even when it failed or timed out. */
const cleanup = cleanupAfterEach();

async function track(url: string, userId: string): Promise<number> {
  const response = await fetch(`${url}/v1/track`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Basic ${Buffer.from(`${WRITE_KEY}:`).toString("base64")}`,
    },
    body: JSON.stringify({ userId, event: "Level Up", messageId: `death-${userId}` }),
  });
  return response.status;
}

describe("a mapping thread that dies", () => {
  it("is replaced, and every event it was mapping is mapped again by the next one and delivered", async () => {
    const emulator: Emulator = await startEmulator({ faults: { latencyMs: 1 } });
    cleanup(() => emulator.close());
    const data = await temporaryDataDir();
    cleanup(() => data.remove());
    // Every mapping thread maps one round and dies as it is handed the next.
    const server: ServerProcess = await startReliabilityServer(emulator, data.dir, {
      GWENMAP_CRASH_AT: "mapping-thread",
      GWENMAP_CRASH_AFTER_HITS: "2",
      GWENMAP_LEASE: "1s",
    });
    cleanup(() => server.stop("SIGKILL"));

    const users = Array.from({ length: EVENTS }, () => randomUUID());
    for (const userId of users) {
      expect(await track(server.url, userId)).toBe(200);
      // One request per round: each event meets a thread of its own.
      await eventually(
        () => (countByUser(emulator).has(userId) ? true : undefined),
        `the delivery of ${userId}`,
        30_000,
      );
    }

    // The fault happened: mapping threads died, and each was replaced.
    const replaced = server.logs.filter((entry) => entry.msg === REPLACED);
    expect(replaced.length, "mapping threads replaced").toBeGreaterThanOrEqual(EVENTS - 1);
    const delivered = countByUser(emulator);
    expect(users.filter((userId) => !delivered.has(userId))).toEqual([]);
    expect(server.child.exitCode).toBeNull();
  });
});
