import type { Pool } from "pg";
import type { FailureQuery, FailureRecord } from "../job-store.js";
import { type FailureRow, toFailureRecord } from "../stored-rows.js";

/** Dead and rejected records after `afterId`, oldest first, narrowed by state and mapping. */
export async function readFailures(
  pool: Pool,
  schema: string,
  context: { query: FailureQuery; limit: number },
): Promise<FailureRecord[]> {
  const { query, limit } = context;
  const { rows } = await pool.query<FailureRow>(
    `SELECT id, state, message_id, received_at, mapping, action, attempts, reason, updated_at, event
     FROM ${schema}.records
     WHERE state IN ('dead', 'rejected') AND id > $1
       AND ($2::text IS NULL OR state = $2) AND ($3::text IS NULL OR mapping = $3)
     ORDER BY id LIMIT $4`,
    [query.afterId ?? 0, query.state ?? null, query.mapping ?? null, limit],
  );
  return rows.map(toFailureRecord);
}
