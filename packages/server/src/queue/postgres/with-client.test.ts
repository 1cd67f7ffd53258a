import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { connectPool, parseQueueUrl } from "./connect-pool.js";
import { runTransaction } from "./run-transaction.js";
import { testPostgresUrl } from "./test-postgres-url.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("a connection that breaks while a transaction holds it", () => {
  it("fails that transaction instead of the process, and the pool connects again", async () => {
    const errors: Error[] = [];
    const pool = connectPool(parseQueueUrl(testPostgresUrl()), {
      max: 1,
      onError: (error) => errors.push(error),
    });
    cleanups.push(() => pool.end());
    const admin = new pg.Client({ connectionString: testPostgresUrl() });
    await admin.connect();
    cleanups.push(() => admin.end());

    const failed = await runTransaction(pool, async (client) => {
      const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
      // A failover ends the connection between two statements: pg then emits 'error' on the held client.
      const pid = rows[0]?.pid;
      await admin.query("SELECT pg_terminate_backend($1)", [pid]);
      while ((await admin.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [pid])).rowCount) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      await client.query("SELECT 1");
    }).then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(failed, "the transaction failed").toBeInstanceOf(Error);
    expect((await pool.query<{ one: number }>("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    expect(errors).toEqual([]);
  });

  it("keeps the process alive when nothing listens on the client whose connection breaks", async () => {
    const pool = connectPool(parseQueueUrl(testPostgresUrl()), { max: 1, onError: () => {} });
    cleanups.push(() => pool.end());
    const admin = new pg.Client({ connectionString: testPostgresUrl() });
    await admin.connect();
    cleanups.push(() => admin.end());
    // Held outside withClient: the pool no longer listens, nothing else does.
    const client = await pool.connect();
    cleanups.push(async () => client.release(true));
    const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    await admin.query("SELECT pg_terminate_backend($1)", [rows[0]?.pid]);
    // The fault happened: pg saw the connection end while no query ran, and emitted 'error' on the
    // client (which, with no listener, would have ended the process); the client is unusable.
    const broken = () => !(client as unknown as { _queryable: boolean })._queryable;
    for (let waited = 0; !broken() && waited < 5_000; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(broken(), "the client saw its connection break").toBe(true);
    await expect(client.query("SELECT 1")).rejects.toThrow();
  });
});
