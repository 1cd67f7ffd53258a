import type { IncomingMessage, ServerResponse } from "node:http";

/** The largest request body the emulator reads (GWEN requests are a few hundred bytes). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** The whole request body, `"too-large"` past `MAX_BODY_BYTES`, or undefined if the client went away. */
export function readBody(request: IncomingMessage): Promise<Buffer | "too-large" | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on("end", () => {
      if (size > MAX_BODY_BYTES) resolve("too-large");
      else resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    });
    request.on("error", () => resolve(undefined));
    // Settles nothing after "end"; before it, the client went away mid-body.
    request.on("close", () => resolve(undefined));
  });
}

/** Writes a complete JSON answer (`text` is already JSON), with any header set on `response` before. */
export function sendJsonText(response: ServerResponse, status: number, text: string): void {
  if (response.destroyed) return;
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

/** Writes `value` as a complete JSON answer, with any header set on `response` before. */
export function sendJson(response: ServerResponse, status: number, value: unknown): void {
  sendJsonText(response, status, JSON.stringify(value));
}

/** A GraphQL-style error body: `{ "errors": [{ "message", "extensions": { "code" } }] }`. */
export function graphQLErrorBody(message: string, code: string): { errors: unknown[] } {
  return { errors: [{ message, extensions: { code } }] };
}
