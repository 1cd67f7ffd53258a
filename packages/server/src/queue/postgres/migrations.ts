import type { Pool, PoolClient } from "pg";
import { StoreError } from "../../errors.js";
import { runTransaction } from "./run-transaction.js";

/**
 * The schema, as numbered steps applied in order and never edited once
 * released: a change is a new step. Each step runs inside the transaction
 * that records it, so a failed step leaves nothing behind. `{schema}` is
 * replaced by the (validated, quoted) schema name.
 *
 * The tables mirror the SQLite store's: `requests` (acknowledged bodies not
 * yet mapped), `records` (deliveries and failures), `seen` (message ids in
 * the dedupe window), plus `lease_until` columns, since leases must be shared
 * between instances, and `rate_limit` (the token bucket all instances draw
 * from). Lease updates touch no indexed column, so they are HOT updates; the
 * fill factor leaves room on each page for them. Autovacuum runs early on
 * these high-churn tables so that deleted rows are reclaimed at once.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE {schema}.requests (
    id bigserial PRIMARY KEY,
    request_id text NOT NULL,
    kind text NOT NULL,
    received_at bigint NOT NULL,
    source text NOT NULL,
    events integer NOT NULL,
    body text NOT NULL,
    lease_until bigint NOT NULL DEFAULT 0
  ) WITH (fillfactor = 90, autovacuum_vacuum_scale_factor = 0.02);
  CREATE TABLE {schema}.records (
    id bigserial PRIMARY KEY,
    message_id text NOT NULL,
    received_at bigint NOT NULL,
    state text NOT NULL,
    mapping text,
    action text,
    payload text,
    event text NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at bigint NOT NULL,
    window_start bigint NOT NULL,
    reason text,
    updated_at bigint NOT NULL,
    lease_until bigint NOT NULL DEFAULT 0
  ) WITH (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.02);
  CREATE INDEX records_due ON {schema}.records (next_attempt_at, id) WHERE state = 'pending';
  CREATE INDEX records_pending_age ON {schema}.records (received_at) WHERE state = 'pending';
  CREATE INDEX records_failed ON {schema}.records (id) WHERE state IN ('dead', 'rejected');
  CREATE INDEX records_replay ON {schema}.records (id) WHERE state = 'replay';
  CREATE TABLE {schema}.seen (
    message_id text PRIMARY KEY,
    seen_at bigint NOT NULL
  ) WITH (autovacuum_vacuum_scale_factor = 0.02);
  CREATE INDEX seen_age ON {schema}.seen (seen_at);
  CREATE TABLE {schema}.rate_limit (
    name text PRIMARY KEY,
    tokens double precision NOT NULL,
    updated_at timestamptz NOT NULL
  );
  `,
  // 2: the address each request came from, for events whose `context.ip` is filled from it.
  `
  ALTER TABLE {schema}.requests ADD COLUMN client_ip text;
  `,
];

/** Lower-case letters, digits and `_`, as an unquoted PostgreSQL identifier. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Checks a schema name and answers it quoted for SQL. Throws `StoreError` `E_STORE_OPEN`. */
export function quoteSchema(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new StoreError(
      "E_STORE_OPEN",
      `The PostgreSQL schema name "${schema}" is not allowed: use lower-case letters, digits and _ (at most 63), e.g. ?schema=gwenmap in GWENMAP_QUEUE_URL.`,
    );
  }
  return `"${schema}"`;
}

/**
 * Brings the schema up to date. Instances starting at once take turns on a
 * transaction-scoped advisory lock (keyed by the schema name), so exactly one
 * applies each step and the others find it applied. Refuses a schema that a
 * newer gwenmap has migrated further than this one knows.
 */
export async function migrate(pool: Pool, schema: string): Promise<void> {
  const quoted = quoteSchema(schema);
  await runTransaction(pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`gwenmap:migrate:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${quoted}.schema_migrations (
         version integer PRIMARY KEY,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const applied = await appliedVersion(client, quoted);
    if (applied > MIGRATIONS.length) {
      throw new StoreError(
        "E_STORE_OPEN",
        `The PostgreSQL queue in schema "${schema}" was migrated by a newer gwenmap (version ${applied}, this one knows up to ${MIGRATIONS.length}): upgrade gwenmap or point GWENMAP_QUEUE_URL at another schema.`,
      );
    }
    for (let version = applied + 1; version <= MIGRATIONS.length; version++) {
      await client.query((MIGRATIONS[version - 1] ?? "").replaceAll("{schema}", quoted));
      await client.query(`INSERT INTO ${quoted}.schema_migrations (version) VALUES ($1)`, [
        version,
      ]);
    }
  });
}

async function appliedVersion(client: PoolClient, quoted: string): Promise<number> {
  const result = await client.query<{ version: number | null }>(
    `SELECT max(version) AS version FROM ${quoted}.schema_migrations`,
  );
  return result.rows[0]?.version ?? 0;
}
