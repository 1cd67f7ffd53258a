import { PassThrough, type Readable, type Transform } from "node:stream";
import { createGunzip, createInflate } from "node:zlib";
import type { FastifyInstance } from "fastify";
import { RequestError } from "../errors.js";

const DECODERS: Readonly<Record<string, () => Transform>> = {
  gzip: createGunzip,
  "x-gzip": createGunzip,
  deflate: createInflate,
};

/** What fastify reads to check `Content-Length` against the bytes on the wire. */
type DecodedPayload = PassThrough & { receivedEncodedLength?: number };

/**
 * Decompresses request bodies sent with `Content-Encoding: gzip` (Segment's
 * iOS library gzips its batches, and Segment's API takes them) or `deflate`. The body
 * limits apply to the decompressed JSON, as Segment's do, which also stops a
 * small compressed body that inflates without end.
 */
export function registerBodyDecoding(app: FastifyInstance): void {
  // A callback hook: it runs for every request, and most bodies are not compressed.
  // biome-ignore lint/complexity/useMaxParams: fastify calls a preParsing hook with (request, reply, payload, done).
  app.addHook("preParsing", (request, _reply, payload, done) => {
    const encoding = request.headers["content-encoding"]?.trim().toLowerCase();
    if (encoding === undefined || encoding === "" || encoding === "identity") {
      return done(null, payload);
    }
    const decoder = DECODERS[encoding];
    if (decoder === undefined) {
      return done(
        new RequestError(
          "E_UNSUPPORTED_ENCODING",
          `Content-Encoding "${encoding}" is not supported: send the body uncompressed, or compressed with gzip or deflate.`,
        ),
      );
    }
    done(null, decode(payload, decoder(), encoding));
  });
}

function decode(payload: Readable, decoder: Transform, encoding: string): DecodedPayload {
  const decoded: DecodedPayload = new PassThrough();
  decoded.receivedEncodedLength = 0;
  payload.on("data", (chunk: Buffer) => {
    decoded.receivedEncodedLength = (decoded.receivedEncodedLength ?? 0) + chunk.length;
  });
  payload.on("error", (error) => decoded.destroy(error));
  decoder.on("error", (cause) => {
    decoded.destroy(
      new RequestError(
        "E_BAD_REQUEST",
        `The body is not valid ${encoding} data (Content-Encoding: ${encoding}): ${cause.message}.`,
        { cause },
      ),
    );
  });
  // Fastify may answer (413 by Content-Length) without reading: an unread error must not kill the process.
  decoded.on("error", () => {});
  payload.pipe(decoder).pipe(decoded);
  return decoded;
}
