import { randomUUID } from "node:crypto";
import { isIPv4 } from "node:net";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type CorsOrigins, DEV_WRITE_KEY } from "../config/server-options.js";
import { RequestError } from "../errors.js";
import { crashPoint } from "../faults/crash-point.js";
import type { ServerMetrics } from "../metrics/server-metrics.js";
import type { JobStore, RequestKind } from "../queue/job-store.js";
import { registerCors } from "./cors.js";
import { answerNotFound } from "./error-handler.js";
import { parseBody } from "./parse-body.js";
import { verifyWebhookSignature } from "./webhook-signature.js";
import type { WriteKeys } from "./write-keys.js";

/** Segment's limits: 32 KB for a single call, 500 KB for a batch. */
export const SINGLE_BODY_LIMIT = 32 * 1024;
export const BATCH_BODY_LIMIT = 500 * 1024;

/**
 * The single-call endpoints, by the call type they imply, with the short path
 * Segment's browser library (`@segment/analytics-next`) posts to: the type's first letter.
 */
const SINGLE_CALLS = {
  track: ["/track", "/t"],
  identify: ["/identify", "/i"],
  page: ["/page", "/p"],
  screen: ["/screen", "/s"],
  group: ["/group", "/g"],
  alias: ["/alias", "/a"],
} as const satisfies Partial<Record<RequestKind, readonly string[]>>;
/** `/v1/b` is the browser library's batching mode. */
const BATCH_PATHS = ["/batch", "/b"] as const;
/** The browser library's own telemetry: answered, not stored (it holds no events). */
const LIBRARY_METRICS_PATH = "/m";
const SUCCESS = '{"success":true}';
/** The `source` of webhook requests let in by their signature. */
const WEBHOOK_SOURCE = "webhook";
/** How a dual-stack socket shows an IPv4 client. */
const IPV4_MAPPED = "::ffff:";

export interface IngestContext {
  readonly store: JobStore;
  readonly writeKeys: WriteKeys;
  readonly webhookSecret?: string;
  /** True when no key is configured and only the development key is accepted: a 401 then names it. */
  readonly devWriteKey?: boolean;
  /** The origins whose pages may send events from a browser (`GWENMAP_CORS_ORIGINS`). */
  readonly corsOrigins: CorsOrigins;
  readonly metrics: ServerMetrics;
  /** Called after each stored request, to wake the mapping worker. */
  readonly onStored: () => void;
}

declare module "fastify" {
  interface FastifyRequest {
    /** The write key's position, when HTTP Basic auth let the request in. */
    gwenmapSource: string;
  }
}

/**
 * Segment's HTTP tracking API under `/v1`: one endpoint per call type,
 * `/v1/batch`, the short paths of Segment's browser library, and
 * `/v1/webhook` for Segment's Webhooks destination. A request is answered
 * `200 {"success":true}` only once its body is committed to the store. The
 * routes live in their own scope, so that CORS applies to them (and to their
 * 404s) and not to the health and admin endpoints.
 */
export function registerIngestRoutes(app: FastifyInstance, context: IngestContext): void {
  app.register(
    async (scope) => {
      // First, so that every answer below (a 401 or a 404 included) carries the CORS headers.
      await registerCors(scope, context.corsOrigins);
      scope.setNotFoundHandler(answerNotFound);
      registerWriteKeyCheck(scope, context);
      for (const [kind, paths] of Object.entries(SINGLE_CALLS)) {
        const handler = singleCallHandler(context, kind as keyof typeof SINGLE_CALLS);
        for (const path of paths) scope.post(path, { bodyLimit: SINGLE_BODY_LIMIT }, handler);
      }
      for (const path of BATCH_PATHS) {
        scope.post(path, { bodyLimit: BATCH_BODY_LIMIT }, batchHandler(context));
      }
      scope.post(LIBRARY_METRICS_PATH, { bodyLimit: SINGLE_BODY_LIMIT }, async (_request, reply) =>
        reply.type("application/json").send(SUCCESS),
      );
      scope.post("/webhook", { bodyLimit: BATCH_BODY_LIMIT }, webhookHandler(context));
    },
    { prefix: "/v1" },
  );
}

/**
 * A wrong Basic key is refused before its body is read. A callback hook, not
 * an async one: fastify runs it for every request, and a promise each is measurable.
 */
function registerWriteKeyCheck(scope: FastifyInstance, context: IngestContext): void {
  scope.decorateRequest("gwenmapSource", "");
  scope.addHook("onRequest", (request, _reply, done) => {
    const authorization = context.writeKeys.authorize(request.headers.authorization);
    if (authorization.kind === "unknown") return done(unauthorized(context));
    if (authorization.kind === "known") request.gwenmapSource = authorization.source;
    done();
  });
}

type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

function singleCallHandler(context: IngestContext, kind: keyof typeof SINGLE_CALLS): Handler {
  return async (request, reply) => {
    const body = request.body as string;
    const parsed = parseBody(body);
    if (!isRecord(parsed)) {
      throw new RequestError(
        "E_BAD_REQUEST",
        `The body of ${request.url.split("?")[0]} must be a JSON object (one Segment ${kind} call); send several calls to /v1/batch.`,
      );
    }
    const source = request.gwenmapSource || bodySource(context, parsed);
    await store(context, { kind, body, events: 1, source, ...clientIpOf(request) });
    return reply.type("application/json").send(SUCCESS);
  };
}

function batchHandler(context: IngestContext): Handler {
  return async (request, reply) => {
    const body = request.body as string;
    const parsed = parseBody(body);
    if (!isRecord(parsed) || !Array.isArray(parsed.batch)) {
      throw new RequestError(
        "E_BAD_REQUEST",
        `The body of ${request.url.split("?")[0]} must be a JSON object with a "batch" array of Segment calls.`,
      );
    }
    const source = request.gwenmapSource || bodySource(context, parsed);
    await store(context, {
      kind: "batch",
      body,
      events: parsed.batch.length,
      source,
      ...clientIpOf(request),
    });
    return reply.type("application/json").send(SUCCESS);
  };
}

function webhookHandler(context: IngestContext): Handler {
  return async (request, reply) => {
    const body = request.body as string;
    const parsed = parseBody(body);
    if (!isRecord(parsed) && !Array.isArray(parsed)) {
      throw new RequestError(
        "E_BAD_REQUEST",
        "The body of /v1/webhook must be one Segment event (a JSON object) or an array of them.",
      );
    }
    const source = webhookSource(context, request, { body, parsed });
    const events = Array.isArray(parsed) ? parsed.length : 1;
    await store(context, { kind: "webhook", body, events, source });
    return reply.type("application/json").send(SUCCESS);
  };
}

async function store(
  context: IngestContext,
  request: { kind: RequestKind; body: string; events: number; source: string; clientIp?: string },
): Promise<void> {
  if (request.events === 0) return;
  await context.store.appendRequest({
    requestId: randomUUID(),
    receivedAt: Date.now(),
    ...request,
  });
  crashPoint("before-reply");
  context.metrics.eventsReceived.inc({ endpoint: request.kind }, request.events);
  context.onStored();
}

/**
 * The address the request came from, kept with it for the events whose
 * `context.ip` Segment fills (core's `fillClientIp`): the socket's, or the
 * client named in `X-Forwarded-For` by a proxy `GWENMAP_TRUST_PROXY` trusts.
 * An IPv4 client of a dual-stack listener is written as IPv4 (`::ffff:` dropped),
 * as the client knows its address. Webhook requests have none: they come from
 * Segment, which filled `context.ip` already.
 */
function clientIpOf(request: FastifyRequest): { clientIp?: string } {
  const ip = request.ip;
  if (typeof ip !== "string" || ip === "") return {};
  return {
    clientIp:
      ip.startsWith(IPV4_MAPPED) && isIPv4(ip.slice(IPV4_MAPPED.length))
        ? ip.slice(IPV4_MAPPED.length)
        : ip,
  };
}

/** The write key in the body (`writeKey`), as some clients send it instead of Basic auth. */
function bodySource(context: IngestContext, parsed: Record<string, unknown>): string {
  const key = parsed.writeKey;
  const source = typeof key === "string" ? context.writeKeys.identify(key) : undefined;
  if (source === undefined) throw unauthorized(context);
  return source;
}

/**
 * Segment's Webhooks destination sends no write key: with a shared secret
 * configured, a valid `X-Signature` lets the request in; a write key (Basic
 * or in the body) works too, and is the only way in without a secret.
 */
function webhookSource(
  context: IngestContext,
  request: FastifyRequest,
  body: { body: string; parsed: unknown },
): string {
  if (request.gwenmapSource) return request.gwenmapSource;
  const header = request.headers["x-signature"];
  const signature = Array.isArray(header) ? header[0] : header;
  const secret = context.webhookSecret;
  if (secret !== undefined && signature !== undefined) {
    if (verifyWebhookSignature(secret, { signature, ...body })) return WEBHOOK_SOURCE;
    throw new RequestError(
      "E_BAD_SIGNATURE",
      "The X-Signature header does not match the body: check that GWENMAP_WEBHOOK_SECRET is the shared secret set in Segment's Webhooks destination.",
    );
  }
  if (isRecord(body.parsed) && typeof body.parsed.writeKey === "string") {
    return bodySource(context, body.parsed);
  }
  if (secret !== undefined) {
    throw new RequestError(
      "E_BAD_SIGNATURE",
      "No X-Signature header: set the shared secret in Segment's Webhooks destination to GWENMAP_WEBHOOK_SECRET, or send a write key.",
    );
  }
  throw unauthorized(context);
}

function unauthorized(context: IngestContext): RequestError {
  const keys = context.devWriteKey
    ? `GWENMAP_WRITE_KEYS is not set, so this server (delivering to its GWEN emulator) accepts only the development key "${DEV_WRITE_KEY}"`
    : "the keys are set in GWENMAP_WRITE_KEYS";
  return new RequestError(
    "E_UNAUTHORIZED",
    `Missing or unknown write key: send it as the HTTP Basic user name (as Segment's libraries do) or as writeKey in the body; ${keys}.`,
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
