import type Database from "better-sqlite3";
import type {
  FailureState,
  MappingCommit,
  NewRecord,
  ReplaySelector,
  Settlement,
} from "../job-store.js";
import { type EventSource, RECORD_ROW_COLUMNS, recordRow } from "../stored-rows.js";
import { JOURNAL_MAPPED_THROUGH } from "./schema.js";
import type { CommittedMapping, CountDelta, WriteOperation } from "./write-protocol.js";

interface Applied {
  readonly value: unknown;
  readonly delta: CountDelta;
}

/**
 * The writes of the SQLite store, as prepared statements on the writer
 * connection. Each operation runs inside the group transaction the writer
 * thread opens, and answers its value and what it changed in the counts.
 */
export class WriteOperations {
  readonly #deleteRequest: Database.Statement;
  readonly #markMapped: Database.Statement;
  readonly #markSeen: Database.Statement;
  readonly #insertRecord: Database.Statement;
  readonly #takeReplayed: Database.Statement;
  readonly #deleteDelivered: Database.Statement;
  readonly #retry: Database.Statement;
  readonly #bury: Database.Statement;
  readonly #note: Database.Statement;
  readonly #forgetSeen: Database.Statement;
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#deleteRequest = db.prepare("DELETE FROM requests WHERE id = ?");
    this.#markMapped = db.prepare(
      `INSERT INTO meta (key, value) VALUES ('${JOURNAL_MAPPED_THROUGH}', ?)
       ON CONFLICT (key) DO UPDATE SET value = MAX(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))`,
    );
    this.#markSeen = db.prepare(
      `INSERT INTO seen (message_id, seen_at) VALUES (?, ?)
       ON CONFLICT (message_id) DO UPDATE SET seen_at = excluded.seen_at WHERE seen.seen_at < ?`,
    );
    this.#insertRecord = db.prepare(
      `INSERT INTO records (${RECORD_ROW_COLUMNS}, attempts, next_attempt_at, window_start, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`,
    );
    this.#takeReplayed = db.prepare(
      "DELETE FROM records WHERE id = ? AND state = 'replay' RETURNING message_id, received_at, event",
    );
    this.#deleteDelivered = db.prepare("DELETE FROM records WHERE id = ? AND state = 'pending'");
    this.#retry = db.prepare(
      `UPDATE records SET attempts = attempts + 1, next_attempt_at = ?, reason = ?, updated_at = ?
       WHERE id = ? AND state = 'pending'`,
    );
    this.#bury = db.prepare(
      `UPDATE records SET state = 'dead', attempts = attempts + 1, reason = ?, updated_at = ?
       WHERE id = ? AND state = 'pending'`,
    );
    this.#note = db.prepare(
      "UPDATE records SET reason = ?, updated_at = ? WHERE id = ? AND state = 'pending'",
    );
    this.#forgetSeen = db.prepare(
      "DELETE FROM seen WHERE message_id IN (SELECT message_id FROM seen WHERE seen_at < ? LIMIT ?)",
    );
  }

  apply(operation: WriteOperation): Applied {
    switch (operation.op) {
      case "dropLegacyRequests":
        for (const id of operation.ids) this.#deleteRequest.run(id);
        return { value: undefined, delta: {} };
      case "commitMapping":
        this.#markMapped.run(operation.journalMappedThrough);
        return this.#commitMapping(operation.commit, operation.now, operation.dedupeCutoff);
      case "settle":
        return this.#settle(operation.settlements, operation.now);
      case "replay":
        return this.#replay(operation.selector, operation.now);
      case "cleanup":
        return {
          value: this.#forgetSeen.run(operation.cutoff, operation.limit).changes,
          delta: {},
        };
      case "checkpoint":
        // The writer thread checkpoints after the group's commit (see `truncateWal`).
        return { value: undefined, delta: {} };
    }
  }

  #commitMapping(commit: MappingCommit, now: number, dedupeCutoff: number): Applied {
    const delta = { pendingDeliveries: 0, rejected: 0, replaying: 0 };
    const duplicates: string[] = [];
    const deliveryIds: number[] = [];
    let created = 0;
    for (const event of commit.events) {
      if (this.#markSeen.run(event.messageId, now, dedupeCutoff).changes === 0) {
        duplicates.push(event.messageId);
        for (const _record of event.records) deliveryIds.push(0);
        continue;
      }
      created += this.#insertRecords(event, event.records, { now, delta, deliveryIds });
    }
    for (const replacement of commit.replacements) {
      const row = this.#takeReplayed.get(replacement.id) as
        | { message_id: string; received_at: number; event: string }
        | undefined;
      if (!row) continue;
      delta.replaying -= 1;
      const source = { messageId: row.message_id, receivedAt: row.received_at, event: row.event };
      created += this.#insertRecords(source, replacement.records, { now, delta });
    }
    const value: CommittedMapping = { duplicates, created, deliveryIds };
    return { value, delta };
  }

  #insertRecords(
    source: EventSource,
    records: readonly NewRecord[],
    context: {
      now: number;
      delta: { pendingDeliveries: number; rejected: number };
      /** Given each record's row id if it is a delivery, else 0 (see `CommittedMapping`). */
      deliveryIds?: number[];
    },
  ): number {
    const { now, delta, deliveryIds } = context;
    for (const record of records) {
      const { lastInsertRowid } = this.#insertRecord.run(
        ...recordRow(source, record),
        now,
        now,
        now,
      );
      if (record.kind === "delivery") {
        delta.pendingDeliveries += 1;
        deliveryIds?.push(Number(lastInsertRowid));
      } else {
        delta.rejected += 1;
        deliveryIds?.push(0);
      }
    }
    return records.length;
  }

  #settle(settlements: readonly Settlement[], now: number): Applied {
    const delta = { pendingDeliveries: 0, dead: 0 };
    for (const settlement of settlements) {
      switch (settlement.result) {
        case "delivered":
          delta.pendingDeliveries -= this.#deleteDelivered.run(settlement.id).changes;
          break;
        case "retry":
          this.#retry.run(
            settlement.nextAttemptAt,
            JSON.stringify(settlement.reason),
            now,
            settlement.id,
          );
          break;
        case "dead": {
          const changes = this.#bury.run(
            JSON.stringify(settlement.reason),
            now,
            settlement.id,
          ).changes;
          delta.pendingDeliveries -= changes;
          delta.dead += changes;
          break;
        }
        case "released":
          if (settlement.reason)
            this.#note.run(JSON.stringify(settlement.reason), now, settlement.id);
          break;
      }
    }
    return { value: undefined, delta };
  }

  #replay(selector: ReplaySelector, now: number): Applied {
    const states: FailureState[] =
      "ids" in selector || selector.state === undefined ? ["dead", "rejected"] : [selector.state];
    const delta = { dead: 0, rejected: 0, replaying: 0 };
    for (const state of states) {
      const changes = this.#markForReplay(selector, state, now);
      delta[state] -= changes;
      delta.replaying += changes;
    }
    return { value: delta.replaying, delta };
  }

  #markForReplay(selector: ReplaySelector, state: FailureState, now: number): number {
    const base = "UPDATE records SET state = 'replay', updated_at = ? WHERE state = ?";
    if ("ids" in selector) {
      return this.#db
        .prepare(`${base} AND id IN (SELECT value FROM json_each(?))`)
        .run(now, state, JSON.stringify(selector.ids)).changes;
    }
    if ("mapping" in selector) {
      return this.#db.prepare(`${base} AND mapping = ?`).run(now, state, selector.mapping).changes;
    }
    return this.#db.prepare(base).run(now, state).changes;
  }
}
