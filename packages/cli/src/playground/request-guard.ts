import { timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { Refusal } from "./refusal.js";

/** What a request to the playground must show to be served. */
export interface Guard {
  /** `Host` values that are this server: `127.0.0.1:PORT` and `localhost:PORT`. */
  readonly hosts: ReadonlySet<string>;
  /** `Origin` values that are this server's page. */
  readonly origins: ReadonlySet<string>;
  readonly token: string;
}

/** The guard for a server listening on 127.0.0.1:`port` with `token`. */
export function guardFor(port: number, token: string): Guard {
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  return { hosts, origins: new Set([...hosts].map((host) => `http://${host}`)), token };
}

/**
 * Refuse (throw `Refusal`) a request another web page could have made: a
 * `Host` that is not this server (a DNS-rebinding name), an `Origin` that is
 * not its page (required for writes, checked whenever sent), or, when
 * `token` is given, a token that is not the printed one.
 */
export function checkRequest(
  guard: Guard,
  request: { method: string; headers: IncomingHttpHeaders },
  token?: string | undefined | null,
): void {
  const host = request.headers.host ?? "";
  if (!guard.hosts.has(host)) {
    throw new Refusal(
      "E_FOREIGN_HOST",
      `the playground answers only requests to ${[...guard.hosts].join(" or ")}, not ${host || "no Host"}`,
    );
  }
  const origin = request.headers.origin;
  const writes = request.method !== "GET" && request.method !== "HEAD";
  if ((origin !== undefined || writes) && !guard.origins.has(origin ?? "")) {
    throw new Refusal(
      "E_FOREIGN_ORIGIN",
      `the playground takes ${writes ? "writes" : "requests"} only from its own page, not from ${origin ?? "no Origin"}`,
    );
  }
  if (token !== undefined && !sameToken(token ?? "", guard.token)) {
    throw new Refusal(
      "E_TOKEN",
      "the token is missing or wrong: open the URL gwenmap playground printed, with its ?token=",
    );
  }
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(headers: IncomingHttpHeaders): string | null {
  const match = /^Bearer ([\w-]+)$/.exec(headers.authorization ?? "");
  return match?.[1] ?? null;
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
