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

/** Everything the SQLite store reads, on its own read connection (WAL: never blocked by the writer). */
export class ReadQueries {
  readonly #requests: Database.Statement;
  readonly #due: Database.Statement;
  readonly #dueTimes: Database.Statement;
  readonly #replays: Database.Statement;
  readonly #oldestRequest: Database.Statement;
  readonly #oldestPending: Database.Statement;
  readonly #unmapped: Database.Statement;
  readonly #states: Database.Statement;
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#requests = db.prepare(
      "SELECT id, request_id, kind, received_at, source, events, body FROM requests ORDER BY id LIMIT ?",
    );
    this.#due = db.prepare(
      `SELECT id, message_id, mapping, action, payload, attempts, received_at, window_start
       FROM records WHERE state = 'pending' AND next_attempt_at <= ?
         AND id NOT IN (SELECT value FROM json_each(?))
       ORDER BY next_attempt_at, id LIMIT ?`,
    );
    this.#dueTimes = db.prepare(
      "SELECT id, next_attempt_at FROM records WHERE state = 'pending' ORDER BY next_attempt_at, id LIMIT ?",
    );
    this.#replays = db.prepare(
      "SELECT id, message_id, received_at, mapping, event FROM records WHERE state = 'replay' ORDER BY id LIMIT ?",
    );
    this.#oldestRequest = db.prepare("SELECT received_at FROM requests ORDER BY id LIMIT 1");
    this.#oldestPending = db.prepare(
      "SELECT MIN(received_at) AS at FROM records WHERE state = 'pending'",
    );
    this.#unmapped = db.prepare("SELECT COALESCE(SUM(events), 0) AS events FROM requests");
    this.#states = db.prepare("SELECT state, COUNT(*) AS count FROM records GROUP BY state");
  }

  requests(limit: number): StoredRequest[] {
    return (this.#requests.all(limit) as RequestRow[]).map(toStoredRequest);
  }

  /**
   * Due deliveries, leased ones skipped in the query: only the rows returned
   * are read and parsed, however many deliveries are in flight.
   */
  dueDeliveries(now: number, skip: readonly number[], limit: number): ClaimedDelivery[] {
    const rows = this.#due.all(now, JSON.stringify(skip), limit) as DeliveryRow[];
    return rows.map(toClaimedDelivery);
  }

  /** The earliest due times of pending deliveries, leased ones included. */
  dueTimes(limit: number): { id: number; next_attempt_at: number }[] {
    return this.#dueTimes.all(limit) as { id: number; next_attempt_at: number }[];
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

  /** When the oldest event not yet delivered was received. */
  oldestPendingAt(): number | undefined {
    const request = this.#oldestRequest.get() as { received_at: number } | undefined;
    const pending = (this.#oldestPending.get() as { at: number | null }).at;
    const times = [request?.received_at, pending ?? undefined].filter(
      (time): time is number => time !== undefined,
    );
    return times.length > 0 ? Math.min(...times) : undefined;
  }

  /** Counts from the tables, once at open; afterwards the writer's deltas keep them. */
  counts(): Omit<QueueStats, "oldestPendingAt"> {
    const counts = { unmappedEvents: 0, pendingDeliveries: 0, dead: 0, rejected: 0, replaying: 0 };
    counts.unmappedEvents = (this.#unmapped.get() as { events: number }).events;
    for (const row of this.#states.all() as { state: string; count: number }[]) {
      if (row.state === "pending") counts.pendingDeliveries = row.count;
      else if (row.state === "dead") counts.dead = row.count;
      else if (row.state === "rejected") counts.rejected = row.count;
      else if (row.state === "replay") counts.replaying = row.count;
    }
    return counts;
  }
}
