/**
 * What a test started (server processes, emulators, PostgreSQL clusters,
 * mounts, directories) is stopped by the hooks registered here, whether the
 * test passed, failed an assertion or timed out: the last started first, and
 * every one of them even when another fails to stop.
 */
import { afterAll, afterEach } from "vitest";

export type Cleanup = () => Promise<unknown> | unknown;

/** Adds a cleanup, to run when the hook comes. */
export type AddCleanup = (cleanup: Cleanup) => void;

/** Call at the top of a test file: cleanups added during a test run after it. */
export function cleanupAfterEach(): AddCleanup {
  return registered(afterEach);
}

/** Call at the top of a test file: cleanups added run once its tests are done. */
export function cleanupAfterAll(): AddCleanup {
  return registered(afterAll);
}

function registered(hook: typeof afterEach): AddCleanup {
  const cleanups: Cleanup[] = [];
  hook(() => runAll(cleanups.splice(0).reverse()));
  return (cleanup) => {
    cleanups.push(cleanup);
  };
}

/** Runs every cleanup in order, then throws what failed (a cleanup that fails stops none of the others). */
async function runAll(cleanups: readonly Cleanup[]): Promise<void> {
  const failures: unknown[] = [];
  for (const cleanup of cleanups) {
    try {
      await cleanup();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, `${failures.length} cleanups failed`);
}
