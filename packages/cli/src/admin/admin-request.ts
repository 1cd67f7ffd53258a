import { CliError, UsageError } from "../errors.js";

export interface AdminTarget {
  /** The server's base URL, e.g. `http://127.0.0.1:3000`. */
  readonly server: string;
  readonly token: string;
}

/** The server and admin token from options or GWENMAP_SERVER / GWENMAP_ADMIN_TOKEN. */
export function adminTarget(args: {
  server?: string | undefined;
  "admin-token"?: string | undefined;
}): AdminTarget {
  const token = args["admin-token"]?.trim() || process.env.GWENMAP_ADMIN_TOKEN?.trim();
  if (!token) {
    throw new UsageError(
      "no admin token: pass --admin-token or set GWENMAP_ADMIN_TOKEN (the server's GWENMAP_ADMIN_TOKEN)",
    );
  }
  const server =
    args.server?.trim() ||
    process.env.GWENMAP_SERVER?.trim() ||
    `http://127.0.0.1:${process.env.PORT?.trim() || "3000"}`;
  if (!/^https?:\/\//.test(server)) {
    throw new UsageError(
      `--server must be an http(s) URL, not "${server}" (e.g. --server http://127.0.0.1:3000)`,
    );
  }
  return { server: server.replace(/\/+$/, ""), token };
}

/**
 * Call one of the server's admin endpoints and return its JSON answer. A
 * refused token is `E_AUTH`, a server that cannot be reached
 * `E_UNREACHABLE`, any other error answer `E_START`-free `E_UNREACHABLE`
 * with the server's own code and message.
 */
export async function adminRequest(
  target: AdminTarget,
  path: string,
  init: { method: "GET" | "POST"; body?: unknown },
): Promise<unknown> {
  const url = `${target.server}${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method,
      headers: {
        authorization: `Bearer ${target.token}`,
        ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  } catch (cause) {
    const inner = (cause as { cause?: { message?: string } }).cause?.message;
    const reason = networkCode(cause) ?? inner ?? (cause as Error).message;
    throw new CliError(
      "E_UNREACHABLE",
      `cannot reach the gwenmap server at ${target.server} (${reason})`,
      {
        cause,
        details: "Check --server or GWENMAP_SERVER, and that gwenmap serve is running.",
      },
    );
  }
  const text = await response.text();
  const answer = parse(text);
  if (response.ok) return answer;
  const { code, message } = (answer ?? {}) as { code?: string; message?: string };
  const said = `${code ?? `HTTP ${response.status}`} ${message ?? text.slice(0, 200)}`;
  if (response.status === 401 || response.status === 403) {
    throw new CliError("E_AUTH", `the server refused the admin token: ${said}`);
  }
  throw new CliError(
    "E_UNREACHABLE",
    `the server answered ${response.status} to ${init.method} ${path}: ${said}`,
  );
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

type NetworkError = { code?: unknown; cause?: unknown; errors?: unknown[] } | undefined;

/** The system error code (ECONNREFUSED, ...) somewhere under fetch's "fetch failed". */
function networkCode(error: unknown): string | undefined {
  let current = error as NetworkError;
  for (let depth = 0; current && depth < 5; depth++) {
    if (typeof current.code === "string") return current.code;
    current = (current.errors?.[0] ?? current.cause) as NetworkError;
  }
  return undefined;
}
