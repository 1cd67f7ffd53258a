/**
 * Preloaded into the soak run's server (`NODE_OPTIONS=--expose-gc --import
 * .../report-memory.mjs`): every SOAK_MEMORY_INTERVAL_MS it collects garbage
 * and appends the process's memory to SOAK_MEMORY_FILE as a JSON line, so that
 * the soak run can read heap figures of a process it did not write.
 */
import { appendFileSync } from "node:fs";
import { isMainThread } from "node:worker_threads";

const file = process.env.SOAK_MEMORY_FILE;
const interval = Number(process.env.SOAK_MEMORY_INTERVAL_MS ?? 5_000);

// Preloads run in worker threads too (the SQLite writer): only the main thread reports.
if (file && isMainThread) {
  const timer = setInterval(() => {
    globalThis.gc?.();
    const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
    appendFileSync(
      file,
      `${JSON.stringify({ at: Date.now(), rss, heapUsed, heapTotal, external })}\n`,
    );
  }, interval);
  timer.unref();
}
