import type { Pool } from "pg";
import { crashPoint } from "../../faults/crash-point.js";
import type { IngestRequest } from "../job-store.js";
import { valuesList } from "./values-list.js";

interface Waiting {
  readonly request: IngestRequest;
  resolve(): void;
  reject(error: unknown): void;
}

/** Most requests in one insert, so that one group's statement stays a few MB at most. */
const MAX_GROUP = 500;
/** The parameters of one request's row (500 rows stay far below `MAX_PARAMETERS`). */
const COLUMNS = 7;

/**
 * Group commit for ingestion: appends that arrive while an insert is running
 * wait and go together in the next one (one statement, one WAL flush), so a
 * busy server pays one commit per group, not per request. One insert runs at
 * a time per instance; the group grows as the load does.
 */
export class AppendGroup {
  readonly #pool: Pool;
  readonly #table: string;
  #waiting: Waiting[] = [];
  #draining: Promise<void> | undefined;

  constructor(pool: Pool, schema: string) {
    this.#pool = pool;
    this.#table = `${schema}.requests`;
  }

  /** Resolves once `request` is committed; rejects with the database's error. */
  add(request: IngestRequest): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#waiting.push({ request, resolve, reject });
      this.#draining ??= this.#drain().finally(() => {
        this.#draining = undefined;
      });
    });
  }

  /** Resolves once every request added so far is committed or refused. */
  async settled(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  async #drain(): Promise<void> {
    while (this.#waiting.length > 0) {
      const group = this.#waiting.splice(0, MAX_GROUP);
      try {
        await this.#insert(group.map((waiting) => waiting.request));
        for (const waiting of group) waiting.resolve();
      } catch (error) {
        for (const waiting of group) waiting.reject(error);
      }
    }
  }

  async #insert(requests: readonly IngestRequest[]): Promise<void> {
    const inserted = this.#pool.query(
      `INSERT INTO ${this.#table} (request_id, kind, received_at, source, events, body, client_ip)
       VALUES ${valuesList(requests.length, COLUMNS)}`,
      requests.flatMap((request) => [
        request.requestId,
        request.kind,
        request.receivedAt,
        request.source,
        request.events,
        request.body,
        request.clientIp ?? null,
      ]),
    );
    // The insert is on its way to the database and not confirmed committed.
    crashPoint("ingest-commit");
    await inserted;
  }
}
