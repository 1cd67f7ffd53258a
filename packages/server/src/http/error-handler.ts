import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ServerError, type ServerErrorCode } from "../errors.js";

const STATUS: Readonly<Record<ServerErrorCode, number>> = {
  E_CONFIG: 500,
  E_MAPPINGS_INVALID: 500,
  E_MAPPER_STOPPED: 503,
  E_STORE_OPEN: 503,
  E_QUEUE_FULL: 503,
  E_STORE_UNAVAILABLE: 503,
  E_DISK_LOW: 503,
  E_STORE_CLOSED: 503,
  E_START: 500,
  E_BAD_JSON: 400,
  E_BAD_REQUEST: 400,
  E_UNAUTHORIZED: 401,
  E_BAD_SIGNATURE: 401,
  E_ORIGIN_NOT_ALLOWED: 403,
  E_TOO_LARGE: 413,
  E_UNSUPPORTED_ENCODING: 415,
  E_ADMIN_DISABLED: 404,
  E_ADMIN_UNAUTHORIZED: 401,
};

/** The answer body of every refused request: Segment's `success` flag, a stable code and a sentence. */
export interface ErrorAnswer {
  readonly success: false;
  readonly code: string;
  readonly message: string;
}

/**
 * The one place where errors become HTTP answers. Server errors keep their
 * status and message; fastify's own (body too large, bad content) are
 * translated; anything else is a 500 whose details go to the log only.
 */
export function installErrorHandler(app: FastifyInstance, limits: { readonly batchBytes: number }) {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof ServerError) {
      if (error.retryAfterSeconds !== undefined) {
        reply.header("retry-after", String(error.retryAfterSeconds));
      }
      if (error.code === "E_UNAUTHORIZED")
        reply.header("www-authenticate", 'Basic realm="gwenmap"');
      if (STATUS[error.code] >= 500)
        request.log.warn({ reqId: request.id, code: error.code }, error.message);
      return answer(reply, STATUS[error.code], { code: error.code, message: error.message });
    }
    if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
      const limit = request.routeOptions.bodyLimit ?? limits.batchBytes;
      return answer(reply, 413, {
        code: "E_TOO_LARGE",
        message: `The body is larger than ${formatBytes(limit)}, the limit of ${request.url.split("?")[0]} (Segment's limits: 32 KB per event, 500 KB per batch): send fewer events per request.`,
      });
    }
    if (typeof error.statusCode === "number" && error.statusCode < 500) {
      return answer(reply, error.statusCode, { code: "E_BAD_REQUEST", message: error.message });
    }
    request.log.error(
      { reqId: request.id, err: error },
      "internal error while answering a request",
    );
    return answer(reply, 500, {
      code: "E_INTERNAL",
      message: "Internal error: the server's log has the details.",
    });
  });
  app.setNotFoundHandler(answerNotFound);
}

/** The 404 of every unknown path (a scope with its own hooks, such as CORS, sets it again for its prefix). */
export function answerNotFound(request: FastifyRequest, reply: FastifyReply) {
  return answer(reply, 404, {
    code: "E_NOT_FOUND",
    message: `No endpoint ${request.method} ${request.url.split("?")[0]}.`,
  });
}

function answer(reply: FastifyReply, status: number, error: Omit<ErrorAnswer, "success">) {
  const body: ErrorAnswer = { success: false, ...error };
  return reply.code(status).type("application/json").send(JSON.stringify(body));
}

function formatBytes(bytes: number): string {
  return bytes % 1024 === 0 ? `${bytes / 1024} KB` : `${bytes} bytes`;
}
