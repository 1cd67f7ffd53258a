/**
 * A bare `node:http` server, the ceiling other servers are measured against.
 * Run as a child process (one core, like the server): `http-ceiling.ts MODE`.
 * - `read`: reads the body, answers 200 `{}` (no work at all).
 * - `parse`: reads the body and `JSON.parse`s it, answers 400 when it is not JSON.
 * - `graphql`: reads the body, answers what the GWEN emulator answers to a `SendEvent`.
 * Prints `{"url": ...}` on stdout once it listens.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

type Mode = "read" | "parse" | "graphql";

const ANSWERS: Record<Mode, string> = {
  read: '{"ok":true}',
  parse: '{"ok":true}',
  graphql: '{"data":{"event":true}}',
};

const mode = process.argv[2] as Mode;
if (!(mode in ANSWERS)) throw new Error(`http-ceiling: unknown mode ${process.argv[2]}`);

function answer(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

function handle(request: IncomingMessage, response: ServerResponse): void {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    if (mode === "parse") {
      try {
        JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        answer(response, 400, '{"error":"not JSON"}');
        return;
      }
    }
    answer(response, 200, ANSWERS[mode]);
  });
}

const server = createServer(handle);
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
});
process.on("SIGTERM", () => process.exit(0));
