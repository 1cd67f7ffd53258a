import type { Pool } from "pg";
import type { FailureQuery, FailureRecord } from "../job-store.js";

interface FailureRow {
  id: number;
  state: FailureRecord["state"];
  message_id: string;
  received_at: number;
  mapping: string | null;
  action: string | null;
  attempts: number;
  reason: string;
  updated_at: number;
  event: string;
}

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
  return rows.map((row) => ({
    id: row.id,
    state: row.state,
    messageId: row.message_id,
    receivedAt: row.received_at,
    ...(row.mapping === null ? {} : { mapping: row.mapping }),
    ...(row.action === null ? {} : { action: row.action }),
    attempts: row.attempts,
    reason: JSON.parse(row.reason) as FailureRecord["reason"],
    updatedAt: row.updated_at,
    event: JSON.parse(row.event) as Record<string, unknown>,
  }));
}
