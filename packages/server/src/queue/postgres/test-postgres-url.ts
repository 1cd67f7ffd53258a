/**
 * For tests only: the PostgreSQL server the PostgreSQL queue's tests run
 * against, and a private schema on it per test so that runs never collide.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";

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

/** A fresh schema name and the queue URL that selects it; `drop()` removes the schema and its tables. */
export interface TestSchema {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

export function createTestSchema(prefix = "gwenmap_test"): TestSchema {
  const base = testPostgresUrl();
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const url = new URL(base);
  url.searchParams.set("schema", name);
  return {
    name,
    url: url.href,
    async drop() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
