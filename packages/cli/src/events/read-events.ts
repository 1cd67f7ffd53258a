import type { Readable } from "node:stream";
import {
  callSizeRejection,
  type Engine,
  isSegmentBatch,
  MAX_EVENT_BYTES,
  type MapResult,
  messageIdOf,
  splitSegmentBatch,
} from "@gwenmap/core";
import { type InputDocument, readDocuments } from "./read-documents.js";

/**
 * One event of the input, or input that is not one (bad JSON, a batch element that is not an object).
 * An event of a batch keeps the call as the client sent it, what Segment's 32 KB limit is measured on.
 */
export type InputEvent =
  | (Extract<InputDocument, { ok: true }> & { readonly sent?: unknown })
  | Extract<InputDocument, { ok: false }>;

/**
 * The events of an input in every form people have them: NDJSON, pretty-printed
 * documents, JSON arrays of events, and Segment batch bodies (`{"batch": [...],
 * "context": ...}`), which core's Segment batch rules (`splitSegmentBatch`, the
 * server's too) turn into events: the batch's `context` and `integrations`
 * shared, `messageId`, `receivedAt` and `timestamp` filled in. Each event
 * keeps the line its document starts on.
 */
export async function* readEvents(input: Readable): AsyncGenerator<InputEvent> {
  for await (const document of readDocuments(input)) {
    if (!document.ok || !isSegmentBatch(document.value)) {
      yield document;
      continue;
    }
    const { line } = document;
    for (const element of splitSegmentBatch(document.value, { now: new Date() })) {
      if ("event" in element) {
        yield { ok: true, line, value: element.event, sent: element.sent };
        continue;
      }
      yield {
        ok: false,
        line,
        column: 1,
        text: JSON.stringify(element.value) ?? "",
        message: `line ${line}: ${element.problem} in the batch that starts there; give each call of "batch" as a JSON object`,
      };
    }
  }
}

/**
 * Map one input event as the server does: Segment's 32 KB limit first (on
 * the line's bytes when the event was one line, else on its JSON; for a
 * batch's event, on the call as sent when that is over: `callSizeRejection`),
 * then the engine, told the event is plain JSON of at most that size.
 */
export async function mapInputEvent(
  engine: Engine,
  event: { readonly value: unknown; readonly bytes?: number; readonly sent?: unknown },
  options?: { explain?: boolean },
): Promise<MapResult> {
  // a line is never shorter than the event's JSON: measure exactly only past the limit
  const bytes =
    event.bytes !== undefined && event.bytes <= MAX_EVENT_BYTES
      ? event.bytes
      : Buffer.byteLength(JSON.stringify(event.value) ?? "");
  const messageId = messageIdOf(event.value);
  const sent = event.sent;
  const sentBytes =
    sent === undefined ? undefined : () => Buffer.byteLength(JSON.stringify(sent) ?? "");
  const tooLarge = callSizeRejection({ bytes, ...(sentBytes ? { sentBytes } : {}) }, messageId);
  if (tooLarge) {
    return { ...(messageId ? { messageId } : {}), deliveries: [], rejections: [tooLarge] };
  }
  // parsed from JSON (or built from parsed parts) of at most `bytes`: its parts need no second walk
  return engine.mapEvent(event.value, { ...options, plainJsonBytes: bytes });
}
