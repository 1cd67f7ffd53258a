import type Database from "better-sqlite3";
import type {
  ClaimedDelivery,
  FailureQuery,
  FailureRecord,
  QueueStats,
  ReplayRecord,
  StoredRequest,
} from "../job-store.js";
import {
  type DeliveryRow,
  type FailureRow,
  type ReplayRow,
  type RequestRow,
  toClaimedDelivery,
  toFailureRecord,
  toReplayRecord,
  toStoredRequest,
} from "../stored-rows.js";
import { JOURNAL_MAPPED_THROUGH } from "./schema.js";

/** The store's counts of records (unmapped events are the journal's). */
export type RecordCounts = Omit<QueueStats, "oldestPendingAt" | "unmappedEvents" | "disk">;

/** Everything the SQLite store reads, on its own read connection (WAL: never blocked by the writer). */
export class ReadQueries {
  readonly #legacyRequests: Database.Statement;
  readonly #mappedThrough: Database.Statement;
  readonly #due: Database.Statement;
  readonly #nextDue: Database.Statement;
  readonly #replays: Database.Statement;
  readonly #oldestPending: Database.Statement;
  readonly #states: Database.Statement;
  readonly #db: Database.Database;
  readonly #pageSize: number;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#legacyRequests = db.prepare(
      "SELECT id, request_id, kind, received_at, source, events, body FROM requests ORDER BY id LIMIT ?",
    );
    this.#mappedThrough = db.prepare(
      `SELECT value FROM meta WHERE key = '${JOURNAL_MAPPED_THROUGH}'`,
    );
    this.#due = db.prepare(
      `SELECT id, message_id, mapping, action, payload, attempts, received_at, window_start
       FROM records WHERE state = 'pending' AND next_attempt_at <= ?
         AND id NOT IN (SELECT value FROM json_each(?))
       ORDER BY next_attempt_at, id LIMIT ?`,
    );
    this.#nextDue = db.prepare(
      `SELECT next_attempt_at FROM records WHERE state = 'pending'
         AND id NOT IN (SELECT value FROM json_each(?))
       ORDER BY next_attempt_at, id LIMIT 1`,
    );
    this.#replays = db.prepare(
      "SELECT id, message_id, received_at, mapping, event FROM records WHERE state = 'replay' ORDER BY id LIMIT ?",
    );
    this.#oldestPending = db.prepare(
      "SELECT MIN(received_at) AS at FROM records WHERE state = 'pending'",
    );
    this.#states = db.prepare("SELECT state, COUNT(*) AS count FROM records GROUP BY state");
    this.#pageSize = db.pragma("page_size", { simple: true }) as number;
  }

  /** Bytes of free pages in the file: what it can write again without growing (SQLite keeps its size). */
  reusableBytes(): number {
    return (this.#db.pragma("freelist_count", { simple: true }) as number) * this.#pageSize;
  }

  /** Requests a version 1 store kept in SQLite (they move to the journal at open). */
  legacyRequests(limit: number): StoredRequest[] {
    return (this.#legacyRequests.all(limit) as RequestRow[]).map(toStoredRequest);
  }

  /** The last journal entry whose events are mapped. */
  journalMappedThrough(): number {
    const row = this.#mappedThrough.get() as { value: string | number } | undefined;
    return row ? Number(row.value) : 0;
  }

  /**
   * Due deliveries, leased ones skipped in the query: only the rows returned
   * are read and parsed, however many deliveries are in flight.
   */
  dueDeliveries(now: number, skip: readonly number[], limit: number): ClaimedDelivery[] {
    const rows = this.#due.all(now, JSON.stringify(skip), limit) as DeliveryRow[];
    return rows.map(toClaimedDelivery);
  }

  /** When the earliest pending delivery not in `skip` (the leased ones) falls due. */
  nextDueAt(skip: readonly number[]): number | undefined {
    const row = this.#nextDue.get(JSON.stringify(skip)) as { next_attempt_at: number } | undefined;
    return row?.next_attempt_at;
  }

  replays(limit: number): ReplayRecord[] {
    return (this.#replays.all(limit) as ReplayRow[]).map(toReplayRecord);
  }

  failures(query: FailureQuery, limit: number): FailureRecord[] {
    const conditions = ["state IN ('dead', 'rejected')", "id > ?"];
    const parameters: (string | number)[] = [query.afterId ?? 0];
    if (query.state) {
      conditions.push("state = ?");
      parameters.push(query.state);
    }
    if (query.mapping) {
      conditions.push("mapping = ?");
      parameters.push(query.mapping);
    }
    const rows = this.#db
      .prepare(
        `SELECT id, state, message_id, received_at, mapping, action, attempts, reason, updated_at, event
         FROM records WHERE ${conditions.join(" AND ")} ORDER BY id LIMIT ?`,
      )
      .all(...parameters, limit) as FailureRow[];
    return rows.map(toFailureRecord);
  }

  /** When the oldest pending delivery's event was received. */
  oldestPendingAt(): number | undefined {
    return (this.#oldestPending.get() as { at: number | null }).at ?? undefined;
  }

  /** Counts from the tables, once at open; afterwards the writer's deltas keep them. */
  counts(): RecordCounts {
    const counts = { pendingDeliveries: 0, dead: 0, rejected: 0, replaying: 0 };
    for (const row of this.#states.all() as { state: string; count: number }[]) {
      if (row.state === "pending") counts.pendingDeliveries = row.count;
      else if (row.state === "dead") counts.dead = row.count;
      else if (row.state === "rejected") counts.rejected = row.count;
      else if (row.state === "replay") counts.replaying = row.count;
    }
    return counts;
  }
}
