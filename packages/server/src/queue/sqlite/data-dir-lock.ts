import { realpathSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { StoreError } from "../../errors.js";

/** The file whose lock says a server is using the data directory. */
export const LOCK_FILE = "queue.lock";

/** This process's locks, by directory: opening one store twice in a process (tests do, to simulate a restart) shares it. */
const held = new Map<string, { readonly db: Database.Database; users: number }>();

/** A held lock on a data directory; `release` lets another process take it. */
export interface DataDirLock {
  release(): void;
}

/**
 * Locks `dataDir` for this process: an exclusive SQLite transaction on
 * `queue.lock`, kept open. SQLite takes an OS file lock for it, which the
 * kernel drops when the process ends, a crash included, so no stale lock is
 * ever left behind. A second server on the same directory would append to
 * the same journal segment and corrupt acknowledged requests: it is refused
 * at start instead.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const key = realpathSync(dataDir);
  let lock = held.get(key);
  if (!lock) {
    lock = { db: takeLock(join(key, LOCK_FILE), dataDir), users: 0 };
    held.set(key, lock);
  }
  lock.users += 1;
  const taken = lock;
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      taken.users -= 1;
      if (taken.users > 0) return;
      held.delete(key);
      taken.db.close();
    },
  };
}

function takeLock(file: string, dataDir: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { timeout: 0 });
    db.exec("BEGIN EXCLUSIVE");
    return db;
  } catch (cause) {
    db?.close();
    const busy = (cause as { code?: unknown }).code === "SQLITE_BUSY";
    throw new StoreError(
      "E_STORE_OPEN",
      busy
        ? `The data directory ${dataDir} is in use by another gwenmap server (it holds ${file}): run one server per data directory (GWENMAP_DATA_DIR), or let several instances share a PostgreSQL queue (GWENMAP_QUEUE_URL).`
        : `The data directory ${dataDir} cannot be locked (${(cause as Error).message}): check that GWENMAP_DATA_DIR is a writable directory.`,
      { cause },
    );
  }
}
