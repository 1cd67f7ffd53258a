/**
 * The last resort for what a test started (server processes, private
 * PostgreSQL clusters, mounts): run when the test worker process ends, also
 * when vitest ends it with SIGTERM (as it does once a file is done, while a
 * test that timed out may still be starting things). The hooks of
 * `cleanups.ts` stop everything first in every other case.
 */

let terminating = false;

/** Runs `cleanup` (synchronous) when the worker exits; answers how to take it back once done. */
export function onWorkerExit(cleanup: () => void): () => void {
  if (!terminating) {
    terminating = true;
    // By default SIGTERM ends the process without its 'exit' listeners.
    process.once("SIGTERM", () => process.exit(143));
  }
  process.once("exit", cleanup);
  return () => {
    process.off("exit", cleanup);
  };
}
