import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { registerAdminRoutes } from "../admin/admin-routes.js";
import { DEV_WRITE_KEY, type ServerConfig } from "../config/server-options.js";
import { createApp } from "../http/create-app.js";
import { registerHealthRoutes } from "../http/health-routes.js";
import { registerIngestRoutes } from "../http/ingest-routes.js";
import { WriteKeys } from "../http/write-keys.js";
import type { Workers } from "./create-workers.js";
import type { ServerParts } from "./open-parts.js";

/** The HTTP side: Segment's ingestion routes, health and metrics, and the admin routes. */
export function createServerApp(
  config: ServerConfig,
  parts: ServerParts & { readonly workers: Workers },
  context: { logger: Logger; shuttingDown: () => boolean },
): FastifyInstance {
  const { store, metrics, mappings, workers } = parts;
  const { logger } = context;
  if (config.devWriteKey) {
    logger.warn(
      `GWENMAP_WRITE_KEYS is not set: accepting the dev write key "${DEV_WRITE_KEY}" (only ever with the emulator)`,
    );
  }
  const app = createApp(logger, config.trustProxy);
  registerIngestRoutes(app, {
    store,
    writeKeys: new WriteKeys(config.writeKeys),
    devWriteKey: config.devWriteKey,
    corsOrigins: config.corsOrigins,
    ...(config.webhookSecret === undefined ? {} : { webhookSecret: config.webhookSecret }),
    metrics,
    onStored: () => workers.mapping.stored(),
  });
  registerHealthRoutes(app, {
    store,
    metrics,
    deliveryPausedBecause: () => workers.gate.pausedBecause,
    unavailableBecause: () => workers.delivery.unavailableBecause,
    mappingCount: () => mappings.count,
    shuttingDown: context.shuttingDown,
  });
  registerAdminRoutes(app, {
    store,
    ...(config.adminToken === undefined ? {} : { adminToken: config.adminToken }),
    onReplay: () => workers.mapping.wake(),
  });
  return app;
}
