import type { FastifyInstance } from "fastify";
import { RequestError } from "../errors.js";
import { parseBody } from "../http/parse-body.js";
import { sameSecret } from "../http/write-keys.js";
import type { FailureQuery, FailureState, JobStore, ReplaySelector } from "../queue/job-store.js";

export interface AdminContext {
  readonly store: JobStore;
  readonly adminToken?: string;
  /** Called after a replay was requested, to wake the mapping worker. */
  readonly onReplay: () => void;
}

/**
 * The dead-letter store over HTTP, behind `Authorization: Bearer <GWENMAP_ADMIN_TOKEN>`:
 * `GET /admin/dead-letters` lists dead deliveries and rejected events with
 * their reasons; `POST /admin/dead-letters/replay` sends them through the
 * current mappings again (all, by mapping, or by id).
 */
export function registerAdminRoutes(app: FastifyInstance, context: AdminContext): void {
  app.register(async (admin) => {
    admin.addHook("onRequest", async (request) => {
      checkToken(context.adminToken, request.headers.authorization);
    });

    admin.get("/admin/dead-letters", async (request) => {
      return context.store.listFailures(failureQuery(request.query as Record<string, string>));
    });

    admin.post("/admin/dead-letters/replay", { bodyLimit: 1024 * 1024 }, async (request) => {
      const text = typeof request.body === "string" && request.body !== "" ? request.body : "{}";
      const replayed = await context.store.requestReplay(replaySelector(parseBody(text)));
      if (replayed > 0) context.onReplay();
      return { replayed };
    });
  });
}

function checkToken(expected: string | undefined, header: string | undefined): void {
  if (expected === undefined) {
    throw new RequestError(
      "E_ADMIN_DISABLED",
      "The admin endpoints are off: set GWENMAP_ADMIN_TOKEN to turn them on.",
    );
  }
  const presented = /^\s*bearer\s+(.+?)\s*$/i.exec(header ?? "")?.[1];
  if (presented === undefined || !sameSecret(presented, expected)) {
    throw new RequestError(
      "E_ADMIN_UNAUTHORIZED",
      "Missing or wrong admin token: send Authorization: Bearer <GWENMAP_ADMIN_TOKEN>.",
    );
  }
}

function failureQuery(query: Record<string, string>): FailureQuery {
  return {
    ...(query.state === undefined ? {} : { state: failureState(query.state) }),
    ...(query.mapping ? { mapping: query.mapping } : {}),
    ...(query.limit === undefined
      ? {}
      : { limit: whole("limit", query.limit, { min: 1, max: 1000 }) }),
    ...(query.after === undefined ? {} : { afterId: whole("after", query.after, { min: 0 }) }),
  };
}

function replaySelector(body: unknown): ReplaySelector {
  const input = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const state = input.state === undefined ? undefined : failureState(input.state);
  const narrowed = state === undefined ? {} : { state };
  if (Array.isArray(input.ids)) {
    const ids = input.ids.map((id) => whole("ids[]", id, { min: 1 }));
    return { ids };
  }
  if (typeof input.mapping === "string" && input.mapping !== "") {
    return { mapping: input.mapping, ...narrowed };
  }
  if (input.all === true) return { all: true, ...narrowed };
  throw new RequestError(
    "E_BAD_REQUEST",
    'Say what to replay: {"all": true}, {"mapping": "<name>"} or {"ids": [1, 2]} (optionally with "state": "dead" or "rejected").',
  );
}

function failureState(value: unknown): FailureState {
  if (value === "dead" || value === "rejected") return value;
  throw new RequestError(
    "E_BAD_REQUEST",
    `state must be "dead" or "rejected", not ${JSON.stringify(value)}.`,
  );
}

function whole(name: string, value: unknown, range: { min: number; max?: number }): number {
  const { min, max = Number.MAX_SAFE_INTEGER } = range;
  const number = typeof value === "number" ? value : Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new RequestError(
      "E_BAD_REQUEST",
      `${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(value)}.`,
    );
  }
  return number;
}
