import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { SavedFile } from "@gwenmap/playground/api";
import { readProjectFiles } from "./folder-files.js";
import { type PageFile, readPageFiles, shippedPageDir } from "./page-files.js";
import { Refusal } from "./refusal.js";
import { bearerToken, checkRequest, type Guard, guardFor } from "./request-guard.js";
import { MAX_FILE_BYTES, writeFolderFile } from "./write-folder-file.js";

export interface PlaygroundServerOptions {
  /** The mappings folder to serve and write into. */
  readonly dir: string;
  /** The folder as the user named it, to show paths as the other commands do. */
  readonly folder: string;
  /** Port on 127.0.0.1; 0 (the default) for a free one. */
  readonly port?: number;
  /** The built page; default the one the CLI ships. */
  readonly pageDir?: string;
  /** Told of every file written and every request refused. */
  readonly onEvent?: (line: string) => void;
}

export interface PlaygroundServer {
  /** The page's URL with its token: the one way in. */
  readonly url: string;
  close(): Promise<void>;
}

interface Context {
  readonly options: PlaygroundServerOptions;
  readonly page: ReadonlyMap<string, PageFile>;
  guard: Guard;
}

const pageHeaders = {
  // 'unsafe-eval': ajv compiles the payload validators in the page with new Function
  "content-security-policy":
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

/**
 * The playground's local server: on 127.0.0.1 only, it serves the built page
 * (`/?token=...`) and the folder's mappings and fixtures through a small JSON
 * API (see @gwenmap/playground/api), and writes mappings and fixtures back
 * inside the folder. Every request must name this server as its `Host`;
 * the API needs the token and, for writes, the page's own `Origin`.
 */
export async function startPlaygroundServer(
  options: PlaygroundServerOptions,
): Promise<PlaygroundServer> {
  const page = await readPageFiles(options.pageDir ?? shippedPageDir);
  const token = randomBytes(24).toString("base64url");
  const context: Context = { options, page, guard: guardFor(0, token) };
  const server = createServer((request, response) => void handle(context, request, response));
  const port = await listen(server, options.port ?? 0);
  context.guard = guardFor(port, token);
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: () => close(server),
  };
}

async function handle(context: Context, request: IncomingMessage, response: ServerResponse) {
  try {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const exchange = { request, response, url };
    if (url.pathname.startsWith("/api/")) await answerApi(context, exchange);
    else answerPage(context, exchange);
  } catch (error) {
    const refusal =
      error instanceof Refusal
        ? error
        : new Refusal("E_FILE", (error as Error).message, { cause: error });
    if (refusal.code !== "E_NOT_FOUND") {
      context.options.onEvent?.(
        `refused ${request.method} ${new URL(request.url ?? "/", "http://x").pathname}: ${refusal.code} ${refusal.message}`,
      );
    }
    sendJson(response, refusal.status, { error: { code: refusal.code, message: refusal.message } });
  }
}

/** One request to answer, its response, and its URL parsed. */
interface Exchange {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly url: URL;
}

function answerPage(context: Context, exchange: Exchange): void {
  const { request, response, url } = exchange;
  const method = request.method ?? "";
  if (method !== "GET" && method !== "HEAD")
    throw new Refusal("E_METHOD", `${method} is not served here`);
  const isIndex = url.pathname === "/" || url.pathname === "/index.html";
  checkRequest(
    context.guard,
    { method, headers: request.headers },
    isIndex ? url.searchParams.get("token") : undefined,
  );
  const file = context.page.get(isIndex ? "/" : url.pathname);
  if (!file) throw new Refusal("E_NOT_FOUND", `no ${url.pathname} here`);
  response.writeHead(200, {
    ...pageHeaders,
    "content-type": file.contentType,
    "content-length": file.body.length,
  });
  response.end(method === "HEAD" ? undefined : file.body);
}

async function answerApi(context: Context, exchange: Exchange): Promise<void> {
  const { request, response, url } = exchange;
  const method = request.method ?? "";
  checkRequest(context.guard, { method, headers: request.headers }, bearerToken(request.headers));
  const { dir, folder } = context.options;
  if (url.pathname === "/api/project") {
    if (method !== "GET") throw new Refusal("E_METHOD", "GET /api/project reads the folder");
    sendJson(response, 200, await readProjectFiles(dir, folder));
    return;
  }
  if (url.pathname.startsWith("/api/files/")) {
    if (method !== "PUT") throw new Refusal("E_METHOD", "PUT /api/files/<path> writes a file");
    const path = decodePath(url.pathname.slice("/api/files/".length));
    const text = await readBody(request);
    const created = await writeFolderFile(dir, path, text);
    context.options.onEvent?.(`${created ? "created" : "saved"} ${folder}/${path}`);
    sendJson(response, 200, { path, created } satisfies SavedFile);
    return;
  }
  throw new Refusal("E_NOT_FOUND", `no ${url.pathname} here`);
}

function decodePath(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new Refusal("E_PATH", `${encoded} is not a valid path`);
  }
}

/** The body as text; past MAX_FILE_BYTES the rest is drained and discarded, and the request refused. */
function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const collect = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_FILE_BYTES) {
        chunks.push(chunk);
        return;
      }
      request.off("data", collect);
      request.resume();
      reject(
        new Refusal(
          "E_TOO_LARGE",
          `a file the playground writes is at most ${MAX_FILE_BYTES} bytes`,
        ),
      );
    };
    request.on("data", collect);
    request.once("error", reject);
    request.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...pageHeaders,
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
