import { createConcurrencyLimit } from "@gwenmap/gwen-adapter";
import type { Logger } from "pino";
import type { ServerConfig } from "../config/server-options.js";
import { AuthGate } from "../workers/auth-gate.js";
import { DeliveryWorker } from "../workers/delivery-worker.js";
import { MappingWorker } from "../workers/mapping-worker.js";
import type { Closers } from "./closers.js";
import type { ServerParts } from "./open-parts.js";

const AUTH_PROBE_MAX_MS = 60_000;

/** The server's workers: mapping stored requests, delivering to GWEN, and the gate that pauses delivery for a refused key. */
export interface Workers {
  readonly gate: AuthGate;
  readonly delivery: DeliveryWorker;
  readonly mapping: MappingWorker;
  /** Starts mapping and delivering; both stop (gracefully) with `closers`. */
  start(closers: Closers): void;
}

export function createWorkers(
  config: ServerConfig,
  parts: ServerParts,
  context: { logger: Logger; authProbeMs: number },
): Workers {
  const { store, metrics, mappings, target, queue } = parts;
  const { logger } = context;
  const gate = new AuthGate({
    validate: () => target.client.validateApiKey(),
    logger,
    metrics,
    probeMs: context.authProbeMs,
    maxProbeMs: AUTH_PROBE_MAX_MS,
  });
  const concurrency = createConcurrencyLimit(config.concurrency);
  metrics.watchConcurrency(concurrency);
  const delivery = new DeliveryWorker({
    store,
    client: queue.limit(target.client),
    gate,
    metrics,
    logger,
    concurrency,
    batchSize: config.batchSize,
    leaseMs: config.leaseMs,
    policy: {
      retryWindowMs: config.retryWindowMs,
      baseDelayMs: config.retryBaseDelayMs,
      maxDelayMs: config.retryMaxDelayMs,
    },
  });
  const onMapped = () => delivery.wake();
  const mapping = new MappingWorker({ store, mappings, metrics, logger, onMapped });
  return {
    gate,
    delivery,
    mapping,
    start(closers) {
      closers.add(() => gate.stop());
      mapping.start();
      delivery.start();
      closers.add(() => delivery.stop(config.shutdownGraceMs));
      closers.add(() => mapping.stop());
    },
  };
}
