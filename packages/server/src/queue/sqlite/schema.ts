import type Database from "better-sqlite3";

/**
 * Bumped when the tables change; a store written by a newer gwenmap is
 * refused. Version 2 keeps unmapped requests in the ingest journal beside
 * the file instead of the `requests` table.
 */
export const SCHEMA_VERSION = 2;

/** The `meta` key of the last journal entry whose events are mapped (0: none). */
export const JOURNAL_MAPPED_THROUGH = "journal_mapped_through";

/**
 * `records` holds one row per delivery or failure, with the event it came
 * from (for replay). `seen` remembers message ids for the dedupe window.
 * Acknowledged requests wait in the ingest journal, not here; `requests` is
 * where version 1 kept them, read once at open to move them to the journal.
 * The partial indexes cover exactly the queries the workers run.
 */
const TABLES = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS requests (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  request_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  source TEXT NOT NULL,
  events INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS records (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  message_id TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  state TEXT NOT NULL,
  mapping TEXT,
  action TEXT,
  payload TEXT,
  event TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  window_start INTEGER NOT NULL,
  reason TEXT,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS records_due ON records (next_attempt_at, id) WHERE state = 'pending';
CREATE INDEX IF NOT EXISTS records_pending_age ON records (received_at) WHERE state = 'pending';
CREATE INDEX IF NOT EXISTS records_failed ON records (id) WHERE state IN ('dead', 'rejected');
CREATE INDEX IF NOT EXISTS records_replay ON records (id) WHERE state = 'replay';
CREATE TABLE IF NOT EXISTS seen (message_id TEXT PRIMARY KEY, seen_at INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS seen_age ON seen (seen_at);
`;

/**
 * A delivery's row holds its event's text (for replays) and its payload,
 * about 2.5 KB for a typical track call: SQLite's default 4 KB page holds one,
 * so every record written or deleted wrote a page 40% empty to the WAL.
 * 8 KB pages hold three (a backlog drains about an eighth faster end to end);
 * bigger ones would make each change of a random message id in `seen` write
 * more for nothing.
 */
export const PAGE_SIZE = 8192;

/** Settings of every connection: WAL so that readers never block the writer. */
export function configureConnection(db: Database.Database): void {
  db.pragma("journal_mode = WAL");
  db.pragma("busy_timeout = 5000");
}

/**
 * Settings of the one writer connection: commits are fsynced
 * (`synchronous = FULL`) because an acknowledged event must survive a power
 * cut, and commits are grouped so that this costs one fsync per group. The
 * writer relaxes it for groups that record only delivery outcomes (see
 * `OUTCOMES_ONLY` in writer-thread.ts).
 */
export function configureWriter(
  db: Database.Database,
  limits: { readonly maxStoreBytes?: number | undefined; readonly walLimitBytes: number },
): void {
  // Before WAL fixes the file's format: a no-op on an existing store, which keeps its page size.
  db.pragma(`page_size = ${PAGE_SIZE}`);
  configureConnection(db);
  db.pragma("synchronous = FULL");
  const pageSize = db.pragma("page_size", { simple: true }) as number;
  // The WAL is checkpointed once it holds the limit, and cut back to it after each checkpoint.
  db.pragma(`wal_autocheckpoint = ${Math.max(16, Math.ceil(limits.walLimitBytes / pageSize))}`);
  db.pragma(`journal_size_limit = ${limits.walLimitBytes}`);
  if (limits.maxStoreBytes !== undefined) {
    db.pragma(`max_page_count = ${Math.max(16, Math.floor(limits.maxStoreBytes / pageSize))}`);
  }
}

/** Creates the tables, or checks that an existing store has a version this code can read. */
export function migrate(db: Database.Database): void {
  db.exec(TABLES);
  const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as
    | { value: string }
    | undefined;
  if (row === undefined) {
    db.prepare("INSERT INTO meta (key, value) VALUES ('schema_version', ?)").run(
      String(SCHEMA_VERSION),
    );
    return;
  }
  if (Number(row.value) > SCHEMA_VERSION) {
    throw new Error(
      `the store was written by a newer gwenmap (schema version ${row.value}, this one reads up to ${SCHEMA_VERSION}): upgrade gwenmap or use another data directory`,
    );
  }
  // Version 1's unmapped requests stay in `requests` until the store moves them to the journal.
  if (Number(row.value) < SCHEMA_VERSION) {
    db.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").run(
      String(SCHEMA_VERSION),
    );
  }
}
