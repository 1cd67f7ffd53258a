import { randomUUID } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { DEV_WRITE_KEY } from "../config/server-options.js";
import { RequestError } from "../errors.js";
import { crashPoint } from "../faults/crash-point.js";
import type { ServerMetrics } from "../metrics/server-metrics.js";
import type { JobStore, RequestKind } from "../queue/job-store.js";
import { parseBody } from "./parse-body.js";
import { verifyWebhookSignature } from "./webhook-signature.js";
import type { WriteKeys } from "./write-keys.js";

/** Segment's limits: 32 KB for a single call, 500 KB for a batch. */
export const SINGLE_BODY_LIMIT = 32 * 1024;
export const BATCH_BODY_LIMIT = 500 * 1024;

const SINGLE_KINDS = ["track", "identify", "page", "screen", "group", "alias"] as const;
const SUCCESS = '{"success":true}';
/** The `source` of webhook requests let in by their signature. */
const WEBHOOK_SOURCE = "webhook";

export interface IngestContext {
  readonly store: JobStore;
  readonly writeKeys: WriteKeys;
  readonly webhookSecret?: string;
  /** True when no key is configured and only the development key is accepted: a 401 then names it. */
  readonly devWriteKey?: boolean;
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
 * Segment's HTTP tracking API: one endpoint per call type, `/v1/batch`, and
 * `/v1/webhook` for Segment's Webhooks destination. A request is answered
 * `200 {"success":true}` only once its body is committed to the store.
 */
export function registerIngestRoutes(app: FastifyInstance, context: IngestContext): void {
  app.decorateRequest("gwenmapSource", "");
  // A wrong Basic key is refused before its body is read. A callback hook, not
  // an async one: fastify runs it for every request, and a promise each is measurable.
  app.addHook("onRequest", (request, _reply, done) => {
    if (!request.url.startsWith("/v1/")) return done();
    const authorization = context.writeKeys.authorize(request.headers.authorization);
    if (authorization.kind === "unknown") return done(unauthorized(context));
    if (authorization.kind === "known") request.gwenmapSource = authorization.source;
    done();
  });

  for (const kind of SINGLE_KINDS) {
    app.post(`/v1/${kind}`, { bodyLimit: SINGLE_BODY_LIMIT }, async (request, reply) => {
      const body = request.body as string;
      const parsed = parseBody(body);
      if (!isRecord(parsed)) {
        throw new RequestError(
          "E_BAD_REQUEST",
          `The body of /v1/${kind} must be a JSON object (one Segment call); send several calls to /v1/batch.`,
        );
      }
      const source = request.gwenmapSource || bodySource(context, parsed);
      await store(context, { kind, body, events: 1, source });
      return reply.type("application/json").send(SUCCESS);
    });
  }

  app.post("/v1/batch", { bodyLimit: BATCH_BODY_LIMIT }, async (request, reply) => {
    const body = request.body as string;
    const parsed = parseBody(body);
    if (!isRecord(parsed) || !Array.isArray(parsed.batch)) {
      throw new RequestError(
        "E_BAD_REQUEST",
        'The body of /v1/batch must be a JSON object with a "batch" array of Segment calls.',
      );
    }
    const source = request.gwenmapSource || bodySource(context, parsed);
    await store(context, { kind: "batch", body, events: parsed.batch.length, source });
    return reply.type("application/json").send(SUCCESS);
  });

  app.post("/v1/webhook", { bodyLimit: BATCH_BODY_LIMIT }, async (request, reply) => {
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
  });
}

async function store(
  context: IngestContext,
  request: { kind: RequestKind; body: string; events: number; source: string },
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
