/**
 * The SQLite store's one writer: a worker thread that owns the only write
 * connection. Operations queue up while a transaction (and its fsync) runs,
 * then all of them go into the next one: group commit without a timer, and the
 * main thread never waits on the disk.
 */
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import { configureWriter, migrate } from "./schema.js";
import { WriteOperations } from "./write-operations.js";
import type {
  WriteOperation,
  WriteRequest,
  WriteResult,
  WriterMessage,
  WriterSettings,
} from "./write-protocol.js";

const port = parentPort;
if (!port) throw new Error("writer-thread.js runs only as a worker thread");
const settings = workerData as WriterSettings;

let db: Database.Database;
let operations: WriteOperations;
try {
  db = new Database(settings.file);
  configureWriter(db, settings);
  migrate(db);
  operations = new WriteOperations(db);
  send({ type: "ready" });
} catch (error) {
  send({ type: "failed", ...describe(error) });
  process.exit(1);
}

/**
 * Operations that record only what became of deliveries (and forget old
 * message ids): a power cut that loses them repeats a delivery, as a crash
 * during its request does, and loses nothing. Their transactions are not
 * synced on their own (`synchronous = NORMAL`); the next synced commit
 * carries them to disk. Every other write is synced before it is answered.
 */
const OUTCOMES_ONLY: ReadonlySet<WriteOperation["op"]> = new Set(["settle", "cleanup"]);
let synced = true;

function syncCommits(sync: boolean): void {
  if (sync === synced) return;
  db.pragma(`synchronous = ${sync ? "FULL" : "NORMAL"}`);
  synced = sync;
}

let queue: WriteRequest[] = [];
let scheduled = false;

port.on("message", (message: WriteRequest | "close") => {
  if (message === "close") {
    if (queue.length > 0) flush();
    db.close();
    port.close();
    return;
  }
  queue.push(message);
  if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
});

function flush(): void {
  scheduled = false;
  const group = queue;
  queue = [];
  const results = commitGroup(group);
  if (group.some(({ operation }) => operation.op === "checkpoint")) truncateWal();
  send({ type: "results", results });
}

/**
 * Copies the WAL into the file and truncates it to nothing, giving its space
 * back to the disk. Waits for readers (the busy timeout); a checkpoint that
 * cannot finish now is simply asked for again later.
 */
function truncateWal(): void {
  try {
    db.pragma("wal_checkpoint(TRUNCATE)");
  } catch {}
}

/** One transaction for the whole group; a failing operation is rolled back alone. */
function commitGroup(group: readonly WriteRequest[]): WriteResult[] {
  const results: WriteResult[] = [];
  try {
    syncCommits(group.some(({ operation }) => !OUTCOMES_ONLY.has(operation.op)));
    db.exec("BEGIN IMMEDIATE");
    for (const { seq, operation } of group) {
      db.exec("SAVEPOINT operation");
      try {
        const { value, delta } = operations.apply(operation);
        db.exec("RELEASE operation");
        results.push({ seq, ok: true, value, delta });
      } catch (error) {
        db.exec("ROLLBACK TO operation");
        db.exec("RELEASE operation");
        results.push({ seq, ok: false, ...describe(error) });
      }
    }
    db.exec("COMMIT");
    return results;
  } catch (error) {
    if (db.inTransaction) db.exec("ROLLBACK");
    const failure = describe(error);
    return group.map(({ seq }) => ({ seq, ok: false, ...failure }));
  }
}

function describe(error: unknown): { message: string; sqliteCode?: string } {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? { message, sqliteCode: code } : { message };
}

function send(message: WriterMessage): void {
  port?.postMessage(message);
}
