import type { Pool, PoolClient } from "pg";
import { withClient } from "./with-client.js";

/** Deadlock and serialization failure: the transaction did nothing and may simply run again. */
const RETRYABLE = new Set(["40P01", "40001"]);
const ATTEMPTS = 3;

/**
 * Runs `work` in one transaction on one pooled connection, committing when it
 * resolves and rolling back when it throws. Instances that touch the same
 * rows (a lease that expired while its holder was still working) can
 * deadlock; PostgreSQL then aborts one side, which runs again here.
 */
export async function runTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await withClient(pool, async (client) => {
        try {
          await client.query("BEGIN");
          const value = await work(client);
          await client.query("COMMIT");
          return value;
        } catch (error) {
          await client.query("ROLLBACK").catch(() => {});
          throw error;
        }
      });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= ATTEMPTS || typeof code !== "string" || !RETRYABLE.has(code)) throw error;
    }
  }
}
