import type { Rejection } from "../engine/map-result.js";

/** Segment's limit for one call: 32 KB of JSON, in a batch or on its own. */
export const MAX_EVENT_BYTES = 32 * 1024;

/**
 * The rejection for an event over Segment's 32 KB, or undefined when it is
 * within. `bytes` is the UTF-8 length of the event's JSON, measured by the
 * front end that holds it (the server has the text it stores, the CLI the
 * bytes it read), so the engine never serializes an event to measure it.
 */
export function eventSizeRejection(bytes: number, messageId?: string): Rejection | undefined {
  if (bytes <= MAX_EVENT_BYTES) return undefined;
  const which = messageId === undefined ? "the event (no messageId)" : `event ${messageId}`;
  return {
    code: "E_EVENT_TOO_LARGE",
    message: `${which} is ${bytes} bytes; Segment's limit for one event is ${MAX_EVENT_BYTES} bytes (32 KB): send less in properties or traits`,
  };
}

/** The size of one call as the front end holds it (see `callSizeRejection`). */
export interface CallSize {
  /** UTF-8 bytes of the event as it stands (filled in, when it came from a batch). */
  readonly bytes: number;
  /** The bytes of the call as the client sent it, before anything was filled in; absent when the same. */
  readonly sentBytes?: () => number;
}

/**
 * Segment's 32 KB limit, on the call as the client sent it: what was filled in
 * (a batch's `context`, `messageId`, timestamps, `context.ip`) never pushes a
 * call Segment takes over it. The event as it stands is at hand and never
 * smaller but for a removed `writeKey`, so the call as sent is measured only
 * when that is over. The server and the CLI both decide with it.
 */
export function callSizeRejection(size: CallSize, messageId?: string): Rejection | undefined {
  const over = eventSizeRejection(size.bytes, messageId);
  if (!over || !size.sentBytes) return over;
  return eventSizeRejection(size.sentBytes(), messageId);
}
