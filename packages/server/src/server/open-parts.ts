import type { Logger } from "pino";
import type { ServerConfig } from "../config/server-options.js";
import { MappingSet } from "../mappings/mapping-set.js";
import { ServerMetrics } from "../metrics/server-metrics.js";
import type { JobStore } from "../queue/job-store.js";
import { type OpenedJobStore, openJobStore } from "../queue/open-job-store.js";
import type { Closers } from "./closers.js";
import { connectGwen, type GwenTarget } from "./gwen-target.js";

/** What the server runs on: its queue, metrics, mappings and GWEN. */
export interface ServerParts {
  readonly queue: OpenedJobStore;
  readonly store: JobStore;
  readonly metrics: ServerMetrics;
  readonly mappings: MappingSet;
  readonly target: GwenTarget;
}

/** Opens the queue, loads the mappings and connects to GWEN (or starts the emulator), each added to `closers`. */
export async function openParts(
  config: ServerConfig,
  context: { given: JobStore | undefined; logger: Logger; closers: Closers },
): Promise<ServerParts> {
  const { logger, closers } = context;
  const queue = await openJobStore(config, { given: context.given, logger });
  const store = queue.store;
  closers.add(() => store.close());
  const metrics = new ServerMetrics(() => store.stats());
  const mappings = await MappingSet.load(config.mappingsDir, { logger, metrics });
  closers.add(() => mappings.close());
  const target = await connectGwen(config, logger);
  closers.add(() => target.emulator?.close());
  closers.add(() => target.client.close());
  return { queue, store, metrics, mappings, target };
}
