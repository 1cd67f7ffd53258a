import type { Pool } from "pg";

/** Message ids deleted per statement: each batch is its own short transaction. */
const BATCH = 5_000;

/**
 * Forgets message ids last seen before `cutoff`, a batch per statement, until
 * none are left or `stopping()` says so; answers how many. Instances
 * cleaning at once skip each other's rows instead of waiting for them.
 */
export async function forgetSeen(
  pool: Pool,
  schema: string,
  context: { cutoff: number; stopping: () => boolean },
): Promise<number> {
  let removed = 0;
  for (;;) {
    const result = await pool.query(
      `DELETE FROM ${schema}.seen WHERE message_id IN (
         SELECT message_id FROM ${schema}.seen WHERE seen_at < $1
         LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [context.cutoff, BATCH],
    );
    const count = result.rowCount ?? 0;
    removed += count;
    if (count < BATCH || context.stopping()) return removed;
  }
}
