import type { Logger } from "pino";
import type { ServerConfig } from "../config/server-options.js";
import { watchMappings } from "../mappings/watch-mappings.js";
import type { Closers } from "./closers.js";
import type { Workers } from "./create-workers.js";
import type { ServerParts } from "./open-parts.js";

const CLEANUP_INTERVAL_MS = 60_000;

/**
 * What runs beside the workers once the server listens: reloading the
 * mappings when their files change, forgetting old dedupe entries, waking
 * the workers when another instance on the PostgreSQL queue commits work
 * they may take, and asking GWEN whether the API key works (a refused key
 * pauses delivery at once rather than after the first failed delivery).
 */
export async function startChores(
  config: ServerConfig,
  parts: ServerParts & { readonly workers: Workers },
  context: { logger: Logger; closers: Closers },
): Promise<void> {
  const { store, mappings, target, workers, queue, metrics } = parts;
  const { logger, closers } = context;
  if (config.watch) {
    closers.add(await watchMappings(config.mappingsDir, () => mappings.reload(), logger));
  }
  const cleanup = setInterval(() => {
    store.cleanup().catch((error: unknown) => logger.warn({ err: error }, "cleanup failed"));
  }, CLEANUP_INTERVAL_MS);
  cleanup.unref();
  closers.add(() => clearInterval(cleanup));
  await queue.watchOtherInstances((work) => {
    metrics.instanceWakeups.inc({ work });
    if (work === "requests") workers.mapping.wake();
    else workers.delivery.wake();
  });
  void target.client.validateApiKey().then((validation) => {
    if (validation.ok) return;
    if (validation.outcome.kind === "auth") workers.gate.pause(validation.outcome.message);
    else
      logger.warn(
        { outcome: validation.outcome.kind },
        "GWEN could not be asked whether the API key works; delivering anyway",
      );
  });
}
