/**
 * For tests only: the PostgreSQL server the PostgreSQL queue's tests run
 * against, and a private schema on it per test so that runs never collide.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { PostgresJobStore } from "./postgres-job-store.js";

/**
 * `GWENMAP_TEST_POSTGRES_URL`, or an error that says how to get one: these
 * tests must run, never be skipped.
 */
export function testPostgresUrl(): string {
  const url = process.env.GWENMAP_TEST_POSTGRES_URL?.trim();
  if (!url) {
    throw new Error(
      "GWENMAP_TEST_POSTGRES_URL is not set: the PostgreSQL queue tests need a server. Run `export GWENMAP_TEST_POSTGRES_URL=$(scripts/ensure-postgres.sh)` from the repository root (it starts a throwaway PostgreSQL on 127.0.0.1, installing it first when missing), or point the variable at a database you may create schemas in.",
    );
  }
  return url;
}

/** A fresh schema name and the queue URL that selects it. */
export interface TestSchema {
  readonly name: string;
  readonly url: string;
  /** Runs `sql` with the schema first on the search path; answers the rows. */
  query(sql: string): Promise<Record<string, unknown>[]>;
  /** Empties the tables gwenmap created in it (a new storage, without migrating again). */
  truncate(): Promise<void>;
  /** Removes the schema and its tables. */
  drop(): Promise<void>;
}

export function createTestSchema(prefix = "gwenmap_test"): TestSchema {
  const base = testPostgresUrl();
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const url = new URL(base);
  url.searchParams.set("schema", name);
  let admin: Promise<pg.Client> | undefined;
  const query = async <Row extends pg.QueryResultRow = Record<string, unknown>>(
    sql: string,
    parameters: unknown[] = [],
  ) => {
    admin ??= (async () => {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      return client;
    })();
    return (await admin).query<Row>(sql, parameters);
  };
  return {
    name,
    url: url.href,
    async query(sql) {
      await query(`SET search_path TO "${name}"`);
      try {
        return (await query(sql)).rows;
      } finally {
        await query("RESET search_path");
      }
    },
    async truncate() {
      const { rows } = await query<{ tablename: string }>(
        "SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename <> 'schema_migrations'",
        [name],
      );
      if (rows.length === 0) return;
      const tables = rows.map((row) => `"${name}"."${row.tablename}"`).join(", ");
      await query(`TRUNCATE ${tables} RESTART IDENTITY`);
    },
    async drop() {
      await query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
      await (await admin)?.end();
      admin = undefined;
    },
  };
}

/** A store in `schema` with small settings, for tests about something the store only carries. */
export function openTestStore(schema: TestSchema): Promise<PostgresJobStore> {
  return PostgresJobStore.open({
    url: schema.url,
    poolSize: 2,
    maxQueueDepth: 1_000,
    dedupeWindowMs: 60_000,
    leaseMs: 30_000,
    retryAfterSeconds: 5,
  });
}
