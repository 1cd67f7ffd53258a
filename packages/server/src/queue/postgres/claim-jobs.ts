import type { Pool, QueryResultRow } from "pg";
import type { ClaimedDelivery, ReplayRecord, StoredRequest } from "../job-store.js";
import {
  type DeliveryRow,
  type ReplayRow,
  type RequestRow,
  toClaimedDelivery,
  toReplayRecord,
  toStoredRequest,
} from "../stored-rows.js";

/** When a claim is made and until when it holds, in ms since the epoch. */
export interface LeaseTerms {
  readonly now: number;
  readonly until: number;
}

/**
 * Claims up to `limit` rows that `filter` selects and nobody holds, in
 * `order`, by writing their lease expiry. `FOR UPDATE SKIP LOCKED` lets
 * instances claim side by side without waiting for each other or taking the
 * same row; a row whose lease has run out (its holder died) qualifies again.
 */
async function claim<Row extends QueryResultRow>(
  pool: Pool,
  query: ClaimQuery,
  context: { limit: number; lease: LeaseTerms },
): Promise<Row[]> {
  const { rows } = await pool.query<Row>(claimSql(query), [
    context.lease.now,
    context.limit,
    context.lease.until,
  ]);
  return rows;
}

/** Which rows a claim takes (`filter`, in `order`) from `table`, and the columns it returns. */
interface ClaimQuery {
  readonly table: string;
  readonly filter: string;
  readonly order: string;
  readonly columns: string;
}

function claimSql({ table, filter, order, columns }: ClaimQuery) {
  return `UPDATE ${table} AS t SET lease_until = $3
    FROM (SELECT id FROM ${table} WHERE ${filter} AND lease_until <= $1
          ORDER BY ${order} LIMIT $2 FOR UPDATE SKIP LOCKED) AS picked
    WHERE t.id = picked.id
    RETURNING ${columns}`;
}

export async function claimRequests(
  pool: Pool,
  schema: string,
  context: { limit: number; lease: LeaseTerms },
): Promise<StoredRequest[]> {
  const rows = await claim<RequestRow>(
    pool,
    {
      table: `${schema}.requests`,
      filter: "true",
      order: "id",
      columns: "t.id, t.request_id, t.kind, t.received_at, t.source, t.events, t.body, t.client_ip",
    },
    context,
  );
  return rows.sort((a, b) => a.id - b.id).map(toStoredRequest);
}

/** Claimed with its due time, by which the claim is ordered. */
type DueDeliveryRow = DeliveryRow & { next_attempt_at: number };

export async function claimDeliveries(
  pool: Pool,
  schema: string,
  context: { limit: number; lease: LeaseTerms },
): Promise<ClaimedDelivery[]> {
  const rows = await claim<DueDeliveryRow>(
    pool,
    {
      table: `${schema}.records`,
      filter: "state = 'pending' AND next_attempt_at <= $1",
      order: "next_attempt_at, id",
      columns:
        "t.id, t.message_id, t.mapping, t.action, t.payload, t.attempts, t.received_at, t.window_start, t.next_attempt_at",
    },
    context,
  );
  return rows
    .sort((a, b) => a.next_attempt_at - b.next_attempt_at || a.id - b.id)
    .map(toClaimedDelivery);
}

export async function claimReplays(
  pool: Pool,
  schema: string,
  context: { limit: number; lease: LeaseTerms },
): Promise<ReplayRecord[]> {
  const rows = await claim<ReplayRow>(
    pool,
    {
      table: `${schema}.records`,
      filter: "state = 'replay'",
      order: "id",
      columns: "t.id, t.message_id, t.received_at, t.mapping, t.event",
    },
    context,
  );
  return rows.sort((a, b) => a.id - b.id).map(toReplayRecord);
}
