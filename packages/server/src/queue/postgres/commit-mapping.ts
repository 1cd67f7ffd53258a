import type { PoolClient } from "pg";
import type { MappingCommit, MappingCommitResult, NewRecord } from "../job-store.js";
import { type EventSource, RECORD_ROW_COLUMNS, recordRow } from "../stored-rows.js";
import type { CountDelta } from "./queue-counts.js";
import { MAX_PARAMETERS, valuesList } from "./values-list.js";

interface ReplayedRow {
  readonly id: number;
  readonly message_id: string;
  readonly received_at: number;
  readonly event: string;
}

interface Applied {
  readonly result: MappingCommitResult;
  readonly delta: CountDelta;
}

/** The records to insert, each as its row of parameters (`RECORD_ROW_COLUMNS`). */
class RecordRows {
  readonly rows: unknown[][] = [];
  pending = 0;
  rejected = 0;

  add(source: EventSource, record: NewRecord): void {
    this.rows.push(recordRow(source, record));
    if (record.kind === "delivery") this.pending += 1;
    else this.rejected += 1;
  }
}

/**
 * The mapping worker's commit, inside one transaction: removes the mapped
 * requests, records each `messageId` in `seen` (`ON CONFLICT` finds the
 * duplicates, also those another instance committed a moment ago: the unique
 * index makes the second writer wait for the first), writes the records of
 * the new events, and swaps replayed records for what they map to now.
 */
export async function commitMapping(
  client: PoolClient,
  schema: string,
  context: { commit: MappingCommit; now: number; dedupeCutoff: number },
): Promise<Applied> {
  const { commit, now, dedupeCutoff } = context;
  const delta = { unmappedEvents: 0, pendingDeliveries: 0, rejected: 0, replaying: 0 };
  if (commit.requestIds.length > 0) {
    const removed = await client.query<{ events: number }>(
      `DELETE FROM ${schema}.requests WHERE id = ANY($1::bigint[]) RETURNING events`,
      [commit.requestIds],
    );
    for (const row of removed.rows) delta.unmappedEvents -= row.events;
  }
  const unique = [...new Set(commit.events.map((event) => event.messageId))];
  const fresh = await markSeen(client, schema, { messageIds: unique, now, dedupeCutoff });
  const taken = new Set<string>();
  const duplicates: string[] = [];
  const rows = new RecordRows();
  for (const event of commit.events) {
    if (taken.has(event.messageId) || !fresh.has(event.messageId)) {
      duplicates.push(event.messageId);
      continue;
    }
    taken.add(event.messageId);
    for (const record of event.records) rows.add(event, record);
  }
  if (commit.replacements.length > 0) {
    const replayed = await client.query<ReplayedRow>(
      `DELETE FROM ${schema}.records WHERE id = ANY($1::bigint[]) AND state = 'replay'
       RETURNING id, message_id, received_at, event`,
      [commit.replacements.map((replacement) => replacement.id)],
    );
    const sources = new Map(replayed.rows.map((row) => [row.id, row]));
    for (const replacement of commit.replacements) {
      const row = sources.get(replacement.id);
      if (!row) continue;
      delta.replaying -= 1;
      const source = { messageId: row.message_id, receivedAt: row.received_at, event: row.event };
      for (const record of replacement.records) rows.add(source, record);
    }
  }
  await insertRecords(client, schema, { rows: rows.rows, now });
  delta.pendingDeliveries += rows.pending;
  delta.rejected += rows.rejected;
  return { result: { duplicates, created: rows.rows.length }, delta };
}

/** Answers the message ids that are new (or whose last sighting is older than the window). */
async function markSeen(
  client: PoolClient,
  schema: string,
  context: { messageIds: readonly string[]; now: number; dedupeCutoff: number },
): Promise<Set<string>> {
  if (context.messageIds.length === 0) return new Set();
  // Sorted, so that two instances inserting overlapping ids lock them in the same order.
  const result = await client.query<{ message_id: string }>(
    `INSERT INTO ${schema}.seen (message_id, seen_at)
     SELECT id, $2 FROM unnest($1::text[]) AS id ORDER BY id
     ON CONFLICT (message_id) DO UPDATE SET seen_at = excluded.seen_at WHERE seen.seen_at < $3
     RETURNING message_id`,
    [[...context.messageIds].sort(), context.now, context.dedupeCutoff],
  );
  return new Set(result.rows.map((row) => row.message_id));
}

/** The parameters of one record's row, and `now` three times, shared by all rows of a statement. */
const RECORD_COLUMNS = RECORD_ROW_COLUMNS.split(",").length;
const TIMES = 3;
const RECORDS_PER_INSERT = Math.floor((MAX_PARAMETERS - TIMES) / RECORD_COLUMNS);

async function insertRecords(
  client: PoolClient,
  schema: string,
  context: { rows: readonly (readonly unknown[])[]; now: number },
): Promise<void> {
  const { rows, now } = context;
  for (let start = 0; start < rows.length; start += RECORDS_PER_INSERT) {
    const chunk = rows.slice(start, start + RECORDS_PER_INSERT);
    const parameters = [...chunk.flat(), now, now, now];
    await client.query(
      `INSERT INTO ${schema}.records (${RECORD_ROW_COLUMNS}, next_attempt_at, window_start, updated_at)
       VALUES ${valuesList(chunk.length, RECORD_COLUMNS, TIMES)}`,
      parameters,
    );
  }
}
