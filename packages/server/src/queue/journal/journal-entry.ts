import { crc32 } from "node:zlib";
import type { IngestRequest } from "../job-store.js";

/**
 * One acknowledged request as the journal keeps it: an 8-byte header (the
 * payload's length and its CRC-32, little-endian), then the payload, which is
 * the request's fields as one line of JSON, a newline, and the body exactly
 * as received. The checksum is how a torn write at the end of the journal is
 * told apart from a request that was acknowledged.
 */
export const ENTRY_HEADER_BYTES = 8;

type EntryFields = Omit<IngestRequest, "body">;

export function encodeEntry(request: IngestRequest): Buffer {
  const { body, ...fields } = request;
  const meta = `${JSON.stringify(fields satisfies EntryFields)}\n`;
  const metaBytes = Buffer.byteLength(meta);
  const payloadBytes = metaBytes + Buffer.byteLength(body);
  const entry = Buffer.allocUnsafe(ENTRY_HEADER_BYTES + payloadBytes);
  entry.write(meta, ENTRY_HEADER_BYTES);
  entry.write(body, ENTRY_HEADER_BYTES + metaBytes);
  entry.writeUInt32LE(payloadBytes, 0);
  entry.writeUInt32LE(crc32(entry.subarray(ENTRY_HEADER_BYTES)), 4);
  return entry;
}

/** What is at an offset of a journal buffer. */
export type DecodedEntry =
  | { readonly kind: "entry"; readonly request: IngestRequest; readonly bytes: number }
  /** The buffer ends inside the entry: read `bytes` from the offset to decode it. */
  | { readonly kind: "partial"; readonly bytes: number | undefined }
  | { readonly kind: "corrupt"; readonly problem: string };

/** Decodes the entry at `offset`, checking its checksum. */
export function decodeEntry(buffer: Buffer, offset: number): DecodedEntry {
  const available = buffer.length - offset;
  if (available < ENTRY_HEADER_BYTES) return { kind: "partial", bytes: undefined };
  const payloadBytes = buffer.readUInt32LE(offset);
  const bytes = ENTRY_HEADER_BYTES + payloadBytes;
  if (available < bytes) return { kind: "partial", bytes };
  const payload = buffer.subarray(offset + ENTRY_HEADER_BYTES, offset + bytes);
  if (crc32(payload) !== buffer.readUInt32LE(offset + 4)) {
    return { kind: "corrupt", problem: "its checksum does not match" };
  }
  const newline = payload.indexOf(0x0a);
  if (newline < 0) return { kind: "corrupt", problem: "it has no header line" };
  try {
    const fields = JSON.parse(payload.toString("utf8", 0, newline)) as EntryFields;
    const body = payload.toString("utf8", newline + 1);
    return { kind: "entry", request: { ...fields, body }, bytes };
  } catch (error) {
    return {
      kind: "corrupt",
      problem: `its header line is not JSON (${(error as Error).message})`,
    };
  }
}

/**
 * Whether `offset` starts the zeros the appender writes ahead of its entries
 * rather than an entry (whose length is never 0: its header line is in it).
 */
export function isPrefilled(buffer: Buffer, offset: number): boolean {
  return buffer.length - offset >= ENTRY_HEADER_BYTES && buffer.readUInt32LE(offset) === 0;
}

/** The length of the entry at `offset` without checking it (for entries known to be durable). */
export function entryBytesAt(buffer: Buffer, offset: number): number | undefined {
  if (buffer.length - offset < ENTRY_HEADER_BYTES) return undefined;
  return ENTRY_HEADER_BYTES + buffer.readUInt32LE(offset);
}
