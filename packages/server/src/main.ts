/**
 * Runs the server from environment variables (see the README):
 * `node packages/server/dist/main.js`. SIGTERM and SIGINT shut it down
 * gracefully (a second one stops at once); SIGHUP reloads the mappings.
 */

import { ServerError } from "./errors.js";
import { createLogger, isLogFormat } from "./logging/create-logger.js";
import { startServer } from "./server/start-server.js";

// A bad GWENMAP_LOG_FORMAT is reported by startServer, through this logger.
const format = process.env.GWENMAP_LOG_FORMAT?.trim().toLowerCase() ?? "";
const logger = createLogger(
  process.env.GWENMAP_LOG_LEVEL?.trim() || "info",
  isLogFormat(format) ? format : "auto",
);

try {
  const server = await startServer({ logger });
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn(`${signal} again: stopping at once`);
      process.exit(1);
    }
    stopping = true;
    logger.info(`${signal}: shutting down`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  process.on("SIGHUP", () => {
    logger.info("SIGHUP: reloading mappings");
    void server.reload();
  });
} catch (error) {
  if (error instanceof ServerError) logger.fatal({ code: error.code }, error.message);
  else logger.fatal({ err: error }, "the server failed to start");
  process.exitCode = 1;
}
