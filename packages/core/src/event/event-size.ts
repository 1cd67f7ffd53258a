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
