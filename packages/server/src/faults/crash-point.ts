/**
 * FOR TESTS ONLY: a fault hook that kills the server with SIGKILL at a named
 * stage, so that the reliability suite can prove what survives a crash there.
 * Reached on a worker thread, it ends only that thread (as a fatal error in
 * it would), and the count of hits starts again in the thread that replaces it.
 * It does nothing unless `GWENMAP_CRASH_AT` names a stage; never set it in
 * production.
 *
 * - `GWENMAP_CRASH_AT=<stage>`: the stage (see `CrashStage`).
 * - `GWENMAP_CRASH_AFTER_HITS=<n>` (default 1): kill at the n-th time the stage is reached.
 * - `GWENMAP_CRASH_DELAY_MS=<ms>` (default 0): kill that long after the hit
 *   instead of at once (e.g. while the GWEN request just sent is in flight).
 */

import { isMainThread } from "node:worker_threads";

/** Where the server can be made to crash. */
export type CrashStage =
  /**
   * Inside the ingest transaction: the request is written to the journal but
   * not synced (SQLite), or its insert is handed to PostgreSQL and not
   * confirmed committed.
   */
  | "ingest-commit"
  /** The request is committed; the HTTP answer is not sent yet. */
  | "before-reply"
  /** A GWEN request is about to be sent (use a delay to crash while it is in flight). */
  | "gwen-in-flight"
  /** GWEN answered; the delivery's outcome is not recorded yet. */
  | "gwen-answered"
  /** The mapping thread is handed a round to map (only that thread dies). */
  | "mapping-thread";

const stage = process.env.GWENMAP_CRASH_AT?.trim() || undefined;
const hitsBeforeCrash = Number(process.env.GWENMAP_CRASH_AFTER_HITS ?? 1);
const delayMs = Number(process.env.GWENMAP_CRASH_DELAY_MS ?? 0);
let hits = 0;

/** Kills this process with SIGKILL when `GWENMAP_CRASH_AT` names `at` (after the configured hits). */
export function crashPoint(at: CrashStage): void {
  if (stage !== at) return;
  hits += 1;
  if (hits !== hitsBeforeCrash) return;
  const kill = isMainThread ? () => process.kill(process.pid, "SIGKILL") : () => process.exit(70);
  if (delayMs > 0) setTimeout(kill, delayMs);
  else kill();
}
