import type { Pool, PoolClient } from "pg";
import type { FailureReason, Settlement } from "../job-store.js";
import type { CountDelta } from "./queue-counts.js";

type Of<R extends Settlement["result"]> = Extract<Settlement, { result: R }>;

const json = (reason: FailureReason | undefined) =>
  reason === undefined ? null : JSON.stringify(reason);

/**
 * Records a batch of outcomes with one statement per kind. A delivered
 * delivery is deleted right here, all of the batch in one `DELETE ... ANY`:
 * finished rows never pile up for a later sweep, and the cost is one index
 * lookup per row inside a statement per batch, not a statement per row.
 * Only rows still `pending` change, so a settlement that arrives after
 * another instance has already finished the delivery does nothing. A batch
 * of one kind is one statement and needs no transaction of its own.
 */
export async function settleDeliveries(
  client: Pool | PoolClient,
  schema: string,
  context: { settlements: readonly Settlement[]; now: number },
): Promise<CountDelta> {
  const { settlements, now } = context;
  const pick = <R extends Settlement["result"]>(result: R) =>
    settlements.filter((settlement): settlement is Of<R> => settlement.result === result);
  const delta = { pendingDeliveries: 0, dead: 0 };
  const delivered = pick("delivered");
  if (delivered.length > 0) {
    const removed = await client.query(
      `DELETE FROM ${schema}.records WHERE id = ANY($1::bigint[]) AND state = 'pending'`,
      [delivered.map((settlement) => settlement.id).sort((a, b) => a - b)],
    );
    delta.pendingDeliveries -= removed.rowCount ?? 0;
  }
  const retried = pick("retry");
  if (retried.length > 0) {
    await client.query(
      `UPDATE ${schema}.records AS r
       SET attempts = r.attempts + 1, next_attempt_at = u.next_attempt_at, reason = u.reason,
           updated_at = $4, lease_until = 0
       FROM unnest($1::bigint[], $2::bigint[], $3::text[]) AS u(id, next_attempt_at, reason)
       WHERE r.id = u.id AND r.state = 'pending'`,
      [
        retried.map((settlement) => settlement.id),
        retried.map((settlement) => settlement.nextAttemptAt),
        retried.map((settlement) => json(settlement.reason)),
        now,
      ],
    );
  }
  const buried = pick("dead");
  if (buried.length > 0) {
    const changed = await client.query(
      `UPDATE ${schema}.records AS r
       SET state = 'dead', attempts = r.attempts + 1, reason = u.reason, updated_at = $3, lease_until = 0
       FROM unnest($1::bigint[], $2::text[]) AS u(id, reason)
       WHERE r.id = u.id AND r.state = 'pending'`,
      [
        buried.map((settlement) => settlement.id),
        buried.map((settlement) => json(settlement.reason)),
        now,
      ],
    );
    delta.pendingDeliveries -= changed.rowCount ?? 0;
    delta.dead += changed.rowCount ?? 0;
  }
  const released = pick("released");
  if (released.length > 0) {
    await client.query(
      `UPDATE ${schema}.records AS r
       SET lease_until = 0, reason = coalesce(u.reason, r.reason),
           updated_at = CASE WHEN u.reason IS NULL THEN r.updated_at ELSE $3 END
       FROM unnest($1::bigint[], $2::text[]) AS u(id, reason)
       WHERE r.id = u.id AND r.state = 'pending'`,
      [
        released.map((settlement) => settlement.id),
        released.map((settlement) => json(settlement.reason)),
        now,
      ],
    );
  }
  return delta;
}
