import type { GwenClient } from "@gwenmap/gwen-adapter";
import type { Emulator } from "@gwenmap/gwen-adapter/emulator";
import type { Logger } from "pino";
import { registerAdminRoutes } from "../admin/admin-routes.js";
import { type Environment, resolveConfig } from "../config/resolve-config.js";
import { DEV_WRITE_KEY, type ServerOptions } from "../config/server-options.js";
import { ServerError } from "../errors.js";
import { createApp } from "../http/create-app.js";
import { registerHealthRoutes } from "../http/health-routes.js";
import { registerIngestRoutes } from "../http/ingest-routes.js";
import { WriteKeys } from "../http/write-keys.js";
import { createLogger } from "../logging/create-logger.js";
import { MappingSet, type ReloadResult } from "../mappings/mapping-set.js";
import { watchMappings } from "../mappings/watch-mappings.js";
import { ServerMetrics } from "../metrics/server-metrics.js";
import { openJobStore } from "../queue/open-job-store.js";
import { AuthGate } from "../workers/auth-gate.js";
import { DeliveryWorker } from "../workers/delivery-worker.js";
import { MappingWorker } from "../workers/mapping-worker.js";
import { connectGwen } from "./gwen-target.js";

/** A server that is listening. */
export interface RunningServer {
  /** Where it listens, e.g. `http://127.0.0.1:3000` (loopback when bound to every interface). */
  readonly url: string;
  readonly port: number;
  /** The in-process GWEN emulator, when it stands in for GWEN. */
  readonly emulator?: Emulator;
  /** Loads the mappings again (as SIGHUP does); a broken set is refused and the running one kept. */
  reload(): Promise<ReloadResult>;
  /** Stops accepting, finishes or releases deliveries in flight, and closes the store. Safe to call twice. */
  close(): Promise<void>;
}

const CLEANUP_INTERVAL_MS = 60_000;
const AUTH_PROBE_MS = 5_000;
const AUTH_PROBE_MAX_MS = 60_000;

/**
 * Starts gwenmap's server: Segment-compatible ingestion into a durable queue,
 * mapping with the mappings in `mappingsDir`, and delivery to GWEN (or to an
 * in-process emulator without `GWEN_API_KEY`). Throws `ServerError`
 * (`E_CONFIG`, `E_MAPPINGS_INVALID`, `E_STORE_OPEN`, `E_START`).
 */
export async function startServer(
  options: ServerOptions = {},
  env: Environment = process.env,
): Promise<RunningServer> {
  const config = resolveConfig(options, env);
  const logger = options.logger ?? createLogger(config.logLevel, config.logFormat);
  const closers: (() => Promise<void> | void)[] = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close();
  };
  try {
    const queue = await openJobStore(config, { given: options.store, logger });
    const store = queue.store;
    closers.push(() => store.close());
    const metrics = new ServerMetrics(() => store.stats());
    const mappings = await MappingSet.load(config.mappingsDir, { logger, metrics });
    closers.push(() => mappings.close());
    const target = await connectGwen(config, logger);
    closers.push(() => target.emulator?.close());
    closers.push(() => target.client.close());
    if (config.devWriteKey) {
      logger.warn(
        `GWENMAP_WRITE_KEYS is not set: accepting the dev write key "${DEV_WRITE_KEY}" (only ever with the emulator)`,
      );
    }
    const gate = new AuthGate({
      validate: () => target.client.validateApiKey(),
      logger,
      metrics,
      probeMs: options.authProbeMs ?? AUTH_PROBE_MS,
      maxProbeMs: AUTH_PROBE_MAX_MS,
    });
    closers.push(() => gate.stop());
    const delivery = new DeliveryWorker({
      store,
      client: queue.limit(target.client),
      gate,
      metrics,
      logger,
      concurrency: config.concurrency,
      batchSize: config.batchSize,
      leaseMs: config.leaseMs,
      policy: {
        retryWindowMs: config.retryWindowMs,
        baseDelayMs: config.retryBaseDelayMs,
        maxDelayMs: config.retryMaxDelayMs,
      },
    });
    const mapping = new MappingWorker({
      store,
      mappings,
      metrics,
      logger,
      onMapped: () => delivery.wake(),
    });
    let shuttingDown = false;
    const app = createApp(logger);
    registerIngestRoutes(app, {
      store,
      writeKeys: new WriteKeys(config.writeKeys),
      devWriteKey: config.devWriteKey,
      corsOrigins: config.corsOrigins,
      ...(config.webhookSecret === undefined ? {} : { webhookSecret: config.webhookSecret }),
      metrics,
      onStored: () => mapping.stored(),
    });
    registerHealthRoutes(app, {
      store,
      metrics,
      deliveryPausedBecause: () => gate.pausedBecause,
      unavailableBecause: () => delivery.unavailableBecause,
      mappingCount: () => mappings.count,
      shuttingDown: () => shuttingDown,
    });
    registerAdminRoutes(app, {
      store,
      ...(config.adminToken === undefined ? {} : { adminToken: config.adminToken }),
      onReplay: () => mapping.wake(),
    });
    mapping.start();
    delivery.start();
    closers.push(() => delivery.stop(config.shutdownGraceMs));
    closers.push(() => mapping.stop());
    closers.push(() => app.close());
    const port = await listen(app, config);
    if (config.watch) {
      closers.push(await watchMappings(config.mappingsDir, () => mappings.reload(), logger));
    }
    const cleanup = setInterval(() => {
      store.cleanup().catch((error: unknown) => logger.warn({ err: error }, "cleanup failed"));
    }, CLEANUP_INTERVAL_MS);
    cleanup.unref();
    closers.push(() => clearInterval(cleanup));
    void checkApiKey(target.client, gate, logger);
    const host = ["0.0.0.0", "::", ""].includes(config.host) ? "127.0.0.1" : config.host;
    const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
    logger.info(
      {
        url,
        port,
        dataDir: config.dataDir,
        queue: queue.location,
        mappingsDir: config.mappingsDir,
        gwen: target.description,
      },
      `gwenmap server listening on ${url}, delivering to ${target.description}`,
    );
    let closing: Promise<void> | undefined;
    return {
      url,
      port,
      ...(target.emulator ? { emulator: target.emulator } : {}),
      reload: () => mappings.reload(),
      close: () => {
        closing ??= (async () => {
          shuttingDown = true;
          logger.info("shutting down: no new requests; finishing deliveries in flight");
          await closeAll();
          logger.info("stopped");
        })();
        return closing;
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

async function listen(
  app: ReturnType<typeof createApp>,
  config: { port: number; host: string },
): Promise<number> {
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (cause) {
    throw new ServerError(
      "E_START",
      `The server cannot listen on ${config.host}:${config.port} (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}): set PORT to a free port, or 0 for any.`,
      { cause },
    );
  }
  const address = app.server.address();
  return typeof address === "object" && address !== null ? address.port : config.port;
}

/** At start-up, a refused key pauses delivery at once rather than after the first failed delivery. */
async function checkApiKey(client: GwenClient, gate: AuthGate, logger: Logger): Promise<void> {
  const validation = await client.validateApiKey();
  if (validation.ok) return;
  if (validation.outcome.kind === "auth") gate.pause(validation.outcome.message);
  else
    logger.warn(
      { outcome: validation.outcome.kind },
      "GWEN could not be asked whether the API key works; delivering anyway",
    );
}
