import type { Emulator } from "@gwenmap/gwen-adapter/emulator";
import { type Environment, resolveConfig } from "../config/resolve-config.js";
import type { ServerOptions } from "../config/server-options.js";
import { createLogger } from "../logging/create-logger.js";
import type { ReloadResult } from "../mappings/mapping-set.js";
import { Closers } from "./closers.js";
import { createServerApp } from "./create-server-app.js";
import { createWorkers } from "./create-workers.js";
import { listen, serverUrl } from "./listen.js";
import { openParts } from "./open-parts.js";
import { startChores } from "./start-chores.js";

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

const AUTH_PROBE_MS = 5_000;

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
  const closers = new Closers();
  try {
    const parts = await openParts(config, { given: options.store, logger, closers });
    const authProbeMs = options.authProbeMs ?? AUTH_PROBE_MS;
    const workers = createWorkers(config, parts, { logger, authProbeMs });
    let shuttingDown = false;
    const app = createServerApp(
      config,
      { ...parts, workers },
      {
        logger,
        shuttingDown: () => shuttingDown,
      },
    );
    workers.start(closers);
    closers.add(() => app.close());
    const port = await listen(app, config);
    await startChores(config, { ...parts, workers }, { logger, closers });
    const url = serverUrl(config.host, port);
    const { queue, target } = parts;
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
      reload: () => parts.mappings.reload(),
      close: () => {
        closing ??= (async () => {
          shuttingDown = true;
          logger.info("shutting down: no new requests; finishing deliveries in flight");
          await closers.closeAll();
          logger.info("stopped");
        })();
        return closing;
      },
    };
  } catch (error) {
    await closers.closeAll();
    throw error;
  }
}
