import type { Pool } from "pg";

/** When the earliest pending delivery that nobody holds falls due, if any. */
export async function readNextDueAt(
  pool: Pool,
  schema: string,
  now: number,
): Promise<number | undefined> {
  const { rows } = await pool.query<{ next_attempt_at: number }>(
    `SELECT next_attempt_at FROM ${schema}.records
     WHERE state = 'pending' AND lease_until <= $1 ORDER BY next_attempt_at, id LIMIT 1`,
    [now],
  );
  return rows[0]?.next_attempt_at;
}

/** When the oldest event not yet delivered (unmapped, or a pending delivery) was received. */
export async function readOldestPendingAt(pool: Pool, schema: string): Promise<number | undefined> {
  const { rows } = await pool.query<{ at: number | null }>(
    `SELECT least(
       (SELECT received_at FROM ${schema}.requests ORDER BY id LIMIT 1),
       (SELECT min(received_at) FROM ${schema}.records WHERE state = 'pending')) AS at`,
  );
  return rows[0]?.at ?? undefined;
}
