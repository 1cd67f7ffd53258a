import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import type { Logger } from "pino";
import type { TrustProxy } from "../config/server-options.js";
import { registerBodyDecoding } from "./decode-body.js";
import { installErrorHandler } from "./error-handler.js";
import { BATCH_BODY_LIMIT } from "./ingest-routes.js";

/**
 * The fastify instance every route is registered on. Bodies are kept as
 * text whatever their content type (Segment's clients send JSON; curl's
 * default form type is read as JSON too): the ingest routes store the text
 * as received and parse it themselves, to answer malformed JSON with where it broke.
 * Compressed bodies (gzip, deflate) are decompressed first. `trustProxy`
 * decides whose `X-Forwarded-For` sets `request.ip` (nobody's by default).
 */
export function createApp(logger: Logger, trustProxy: TrustProxy = false): FastifyInstance {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // One log line per request would cost more than storing it; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    // No child logger per request: pino redacts each child's bindings, which cost
    // more than a single event's journal entry. The error handler names the request itself.
    childLoggerFactory: (logger) => logger,
    bodyLimit: BATCH_BODY_LIMIT,
    return503OnClosing: true,
    trustProxy: typeof trustProxy === "object" ? [...trustProxy] : trustProxy,
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string" }, (_request, body, done) => {
    done(null, body);
  });
  registerBodyDecoding(app);
  installErrorHandler(app, { batchBytes: BATCH_BODY_LIMIT });
  return app;
}
