/**
 * A private schema on the test PostgreSQL server for one scale-out test: its
 * queue URL (`?schema=`) for the server processes, a way to look into it,
 * and its removal.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";

export interface QueueSchema {
  /** `GWENMAP_QUEUE_URL` for the servers. */
  readonly url: string;
  /** Deliveries and requests still in the queue (not delivered, dead or rejected). */
  unfinished(): Promise<number>;
  drop(): Promise<void>;
}

/** Fails (never skips) when no PostgreSQL server is named, and says how to get one. */
export async function createQueueSchema(): Promise<QueueSchema> {
  const base = process.env.GWENMAP_TEST_POSTGRES_URL?.trim();
  if (!base) {
    throw new Error(
      "GWENMAP_TEST_POSTGRES_URL is not set: the scale-out tests need PostgreSQL. Run `export GWENMAP_TEST_POSTGRES_URL=$(scripts/ensure-postgres.sh)` from the repository root (it starts a throwaway server on 127.0.0.1, installing it first when missing).",
    );
  }
  const name = `gwenmap_scale_${randomBytes(6).toString("hex")}`;
  const url = new URL(base);
  url.searchParams.set("schema", name);
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  return {
    url: url.href,
    async unfinished() {
      const { rows } = await client.query<{ count: string }>(
        `SELECT (SELECT count(*) FROM "${name}".requests)
              + (SELECT count(*) FROM "${name}".records WHERE state IN ('pending', 'replay')) AS count`,
      );
      return Number(rows[0]?.count ?? 0);
    },
    async drop() {
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
