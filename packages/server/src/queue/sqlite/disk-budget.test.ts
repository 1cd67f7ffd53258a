import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { prepareVariables } from "@gwenmap/gwen-adapter";
import { afterEach, describe, expect, it } from "vitest";
import type { DiskState } from "../disk-budget/disk-budget.js";
import type { IngestRequest, MappedEvent } from "../job-store.js";
import { SqliteJobStore } from "./sqlite-job-store.js";

const MB = 1024 * 1024;
const GB = 1024 * MB;
const RESERVE = 100 * MB;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A store whose disk has as much free space as the test says (the budget asks it at every mapping claim). */
async function storeOnDisk(disk: { freeBytes: number }) {
  const dataDir = await mkdtemp(join(tmpdir(), "gwenmap-store-disk-"));
  const changes: DiskState[] = [];
  const store = await SqliteJobStore.open({
    dataDir,
    maxQueueDepth: 1_000_000,
    dedupeWindowMs: 60_000,
    leaseMs: 30_000,
    retryAfterSeconds: 7,
    diskReserveBytes: RESERVE,
    measureDisk: () => ({ totalBytes: 10 * GB, freeBytes: disk.freeBytes }),
    onDiskChange: (state) => changes.push(state),
  });
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  cleanups.push(() => store.close());
  return { store, changes };
}

function request(n: number): IngestRequest {
  return {
    requestId: `r${n}`,
    kind: "batch",
    receivedAt: 1,
    source: "0",
    events: 1,
    body: `{"batch":[{"n":${n}}]}`,
  };
}

function pendingDeliveries(count: number, from = 0): MappedEvent[] {
  const variables = prepareVariables("sendEvent", { userId: "u", type: "t", data: {} });
  return Array.from({ length: count }, (_, index) => ({
    messageId: `m${from + index}`,
    receivedAt: 1,
    event: "{}",
    records: [{ kind: "delivery", mapping: "send-event", action: "sendEvent", variables }],
  }));
}

describe("the SQLite store's disk budget", () => {
  it("refuses events with E_DISK_LOW below the reserve, says why in its stats, and takes them again once space is back", async () => {
    const disk = { freeBytes: 500 * MB };
    const { store, changes } = await storeOnDisk(disk);
    await store.appendRequest(request(1));
    disk.freeBytes = 90 * MB;
    await store.claimRequests(0); // a mapping claim measures the disk
    const refused = await store.appendRequest(request(2)).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toMatchObject({ code: "E_DISK_LOW", retryAfterSeconds: 7 });
    expect(String((refused as Error).message)).toMatch(/90\.0 MB.*below the reserve of 100\.0 MB/);
    expect((await store.stats()).disk).toMatchObject({
      freeBytes: 90 * MB,
      reserveBytes: RESERVE,
      refusingBecause: (refused as Error).message,
    });
    disk.freeBytes = 200 * MB;
    await store.claimRequests(0);
    await store.appendRequest(request(3));
    expect((await store.stats()).disk?.refusingBecause).toBeUndefined();
    expect(changes.map((state) => state.low)).toEqual([true, false]);
    expect((await store.claimRequests(10)).map((claimed) => claimed.requestId)).toEqual([
      "r1",
      "r3",
    ]);
  });

  it("maps ahead of delivery only with room above twice the reserve, and feeds delivery below it", async () => {
    const disk = { freeBytes: 50 * GB };
    const { store } = await storeOnDisk(disk);
    await store.commitMapping({
      requestIds: [],
      events: pendingDeliveries(1_000),
      replacements: [],
    });
    await store.appendRequest(request(1));
    // GWEN is not taking the 1,000 deliveries waiting: mapping more would only grow the store.
    disk.freeBytes = 2 * RESERVE;
    expect(await store.claimRequests(10)).toEqual([]);
    disk.freeBytes = 50 * GB;
    const [claimed] = await store.claimRequests(10);
    expect(claimed?.requestId).toBe("r1");
    await store.commitMapping({ requestIds: [claimed?.id ?? 0], events: [], replacements: [] });

    // Once delivery has taken them, mapping feeds it even on a short disk.
    const due = await store.claimDeliveries(1_000);
    await store.settleDeliveries(due.map(({ id }) => ({ id, result: "delivered" as const })));
    await store.appendRequest(request(2));
    disk.freeBytes = 120 * MB;
    expect((await store.claimRequests(10)).map((next) => next.requestId)).toEqual(["r2"]);
  });
});
