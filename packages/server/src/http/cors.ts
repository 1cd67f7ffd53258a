import cors, { type FastifyCorsOptions } from "@fastify/cors";
import type { FastifyInstance } from "fastify";
import type { CorsOrigins } from "../config/server-options.js";
import { RequestError } from "../errors.js";

/** How long a browser may reuse a preflight's answer (Chromium caps it at 2 hours). */
const PREFLIGHT_MAX_AGE_SECONDS = 7200;

/**
 * CORS for the routes of `scope`, so that Segment's browser library can post
 * from a web page on another origin: preflights are answered, and every
 * answer, errors included, carries `Access-Control-Allow-Origin` for an
 * allowed origin. Credentials are never allowed (events carry the write key,
 * not cookies). With a list of origins, a request from any other origin is
 * refused with 403 before its body is read, preflight or not: a simple
 * request (`text/plain`, `sendBeacon`) reaches the server whatever CORS says,
 * so withholding the header alone would still store it. Requests without
 * `Origin` (server-side clients) are not browsers' and pass.
 */
export async function registerCors(scope: FastifyInstance, origins: CorsOrigins): Promise<void> {
  const options: FastifyCorsOptions = {
    origin: origins === "any" ? "*" : allowOnly(new Set(origins)),
    methods: ["POST"],
    credentials: false,
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
    // A bare OPTIONS (no Origin) gets the allowed methods, not a text/plain 400.
    strictPreflight: false,
  };
  await scope.register(cors, options);
}

function allowOnly(allowed: ReadonlySet<string>): FastifyCorsOptions["origin"] {
  return (origin, callback) => {
    if (origin === undefined) return callback(null, false);
    if (allowed.has(origin)) return callback(null, origin);
    callback(
      new RequestError(
        "E_ORIGIN_NOT_ALLOWED",
        `Requests from pages on ${origin} are not allowed: add the origin to GWENMAP_CORS_ORIGINS (comma-separated, such as https://shop.example.com) to let its pages send events.`,
      ),
      false,
    );
  };
}
