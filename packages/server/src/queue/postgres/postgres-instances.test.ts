import { randomUUID } from "node:crypto";
import { prepareVariables } from "@gwenmap/gwen-adapter";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { JobStoreOptions, MappedEvent } from "../job-store.js";
import { MIGRATIONS } from "./migrations.js";
import { PostgresJobStore } from "./postgres-job-store.js";
import { createTestSchema, type TestSchema } from "./test-postgres-url.js";

const LEASE_MS = 30_000;
const START = Date.parse("2025-01-01T00:00:00.000Z");

function event(messageId: string): MappedEvent {
  return {
    messageId,
    receivedAt: START,
    event: JSON.stringify({ type: "track", messageId }),
    records: [
      {
        kind: "delivery",
        mapping: "send-event",
        action: "sendEvent",
        variables: prepareVariables("sendEvent", {
          userId: "3f1c2a4e-8d6b-4c1e-9a7f-2b5d8e0c6a13",
          type: "track",
        }),
      },
    ],
  };
}

describe("PostgreSQL job store shared by several instances", () => {
  let schema: TestSchema;
  let now: number;
  const opened: PostgresJobStore[] = [];
  const options = (): JobStoreOptions & { url: string; poolSize: number } => ({
    url: schema.url,
    poolSize: 4,
    maxQueueDepth: 100_000,
    dedupeWindowMs: 3_600_000,
    leaseMs: LEASE_MS,
    retryAfterSeconds: 5,
    clock: () => now,
  });
  const open = async () => {
    const store = await PostgresJobStore.open(options());
    opened.push(store);
    return store;
  };

  beforeEach(() => {
    now = START;
    schema = createTestSchema();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    await schema.drop();
  });

  it("migrates once when many instances start at the same moment", async () => {
    const stores = await Promise.all(Array.from({ length: 8 }, () => open()));
    const { rows } = await stores[0]!.pool.query<{ version: number }>(
      `SELECT version FROM ${stores[0]!.schema}.schema_migrations ORDER BY version`,
    );
    expect(rows.map((row) => row.version)).toEqual(MIGRATIONS.map((_, index) => index + 1));
  });

  it("refuses a schema a newer gwenmap has migrated", async () => {
    const store = await open();
    await store.pool.query(`INSERT INTO ${store.schema}.schema_migrations (version) VALUES (999)`);
    await expect(open()).rejects.toMatchObject({
      code: "E_STORE_OPEN",
      message: expect.stringContaining("newer gwenmap"),
    });
  });

  it("refuses an unreachable database with E_STORE_OPEN, without the password", async () => {
    const refused = await PostgresJobStore.open({
      ...options(),
      url: "postgres://gwenmap:s3cret-password@127.0.0.1:1/nowhere",
    }).catch((error: Error) => error);
    expect(refused).toMatchObject({ code: "E_STORE_OPEN" });
    expect((refused as Error).message).toContain("postgres://gwenmap:***@127.0.0.1:1/nowhere");
    expect((refused as Error).message).not.toContain("s3cret-password");
  });

  it("gives each job to one instance at a time, and a dead instance's jobs to another once its lease runs out", async () => {
    const [first, second] = [await open(), await open()];
    for (let index = 0; index < 20; index++) {
      await first.appendRequest({
        requestId: randomUUID(),
        kind: "track",
        receivedAt: START,
        source: "0",
        events: 1,
        body: String(index),
      });
    }
    const [a, b] = await Promise.all([first.claimRequests(15), second.claimRequests(15)]);
    const ids = [...a, ...b].map((request) => request.id);
    expect(new Set(ids).size).toBe(20);
    expect(ids).toHaveLength(20);
    await first.commitMapping({
      requestIds: a.map((request) => request.id),
      events: a.map((request) => event(`m-${request.body}`)),
      replacements: [],
    });
    const held = await first.claimDeliveries(100);
    expect(held.length).toBe(a.length);
    expect(await second.claimDeliveries(100)).toEqual([]);
    now += LEASE_MS + 1;
    const reclaimed = await second.claimDeliveries(100);
    expect(reclaimed.map((delivery) => delivery.id).sort()).toEqual(
      held.map((delivery) => delivery.id).sort(),
    );
  });

  it("keeps one delivery per messageId when instances map the same event at once", async () => {
    const stores = [await open(), await open(), await open()];
    const messageIds = Array.from({ length: 200 }, (_, index) => `dup-${index}`);
    const results = await Promise.all(
      stores.map((store) =>
        store.commitMapping({
          requestIds: [],
          events: messageIds.map(event),
          replacements: [],
        }),
      ),
    );
    expect(results.reduce((sum, result) => sum + result.created, 0)).toBe(200);
    expect(results.reduce((sum, result) => sum + result.duplicates.length, 0)).toBe(400);
    const { rows } = await stores[0]!.pool.query<{ count: number }>(
      `SELECT count(*) AS count FROM ${stores[0]!.schema}.records WHERE state = 'pending'`,
    );
    expect(rows[0]?.count).toBe(200);
  });
});
