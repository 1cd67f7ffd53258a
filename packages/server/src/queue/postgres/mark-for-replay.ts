import type { Pool } from "pg";
import type { FailureState, ReplaySelector } from "../job-store.js";
import type { CountDelta } from "./queue-counts.js";

/**
 * Moves the dead or rejected records `selector` names to `replay`, in one
 * statement; answers how many, and the change to the counts (by the state
 * each record left).
 */
export async function markForReplay(
  pool: Pool,
  schema: string,
  context: { selector: ReplaySelector; now: number },
): Promise<{ marked: number; delta: CountDelta }> {
  const { selector, now } = context;
  const states: FailureState[] =
    "ids" in selector || selector.state === undefined ? ["dead", "rejected"] : [selector.state];
  const ids = "ids" in selector ? selector.ids : null;
  const mapping = "mapping" in selector ? selector.mapping : null;
  const { rows } = await pool.query<{ state: FailureState }>(
    `WITH marked AS (
       SELECT id, state FROM ${schema}.records
       WHERE state = ANY($1::text[]) AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[]))
         AND ($3::text IS NULL OR mapping = $3)
       FOR UPDATE)
     UPDATE ${schema}.records AS r SET state = 'replay', updated_at = $4, lease_until = 0
     FROM marked WHERE r.id = marked.id
     RETURNING marked.state`,
    [states, ids, mapping, now],
  );
  const delta = { dead: 0, rejected: 0, replaying: rows.length };
  for (const row of rows) delta[row.state] -= 1;
  return { marked: rows.length, delta };
}
