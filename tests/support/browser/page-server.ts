import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** The page's title, which the library reports in every call's `context.page`. */
export const PAGE_TITLE = "gwenmap browser test";
export const SCRIPT_PATH = "/analytics-page.js";
/** A second page on the same origin, to navigate to: leaving the first one fires its `pagehide`. */
export const ELSEWHERE_PATH = "/elsewhere";

/** A web server for the test page, on an origin of its own (its own port). */
export interface PageServer {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const PAGES: Readonly<Record<string, string>> = {
  "/": `<!doctype html><html><head><meta charset="utf-8"><title>${PAGE_TITLE}</title><link rel="icon" href="data:,"><script src="${SCRIPT_PATH}"></script></head><body>test page</body></html>`,
  [ELSEWHERE_PATH]: `<!doctype html><html><head><meta charset="utf-8"><title>elsewhere</title><link rel="icon" href="data:,"></head><body>elsewhere</body></html>`,
};

/** Serves the page (`/`), its bundled script and a second page, on loopback. */
export async function startPageServer(script: string): Promise<PageServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    if (path === SCRIPT_PATH) {
      response.writeHead(200, { "content-type": "text/javascript; charset=utf-8" });
      response.end(script);
      return;
    }
    const page = PAGES[path];
    response.writeHead(page === undefined ? 404 : 200, {
      "content-type": "text/html; charset=utf-8",
    });
    response.end(page ?? "not found");
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
