import { isRecord } from "./is-record.js";

/**
 * The `context.library.name` of Segment's libraries that run on the user's
 * device (browser, phone): Segment's servers give their events the address the
 * request came from, as the user's `context.ip`. Server-side libraries
 * (`@segment/analytics-node`, Python, Go, ...) are not here: their address is
 * the sender's server, not the user.
 */
const DEVICE_LIBRARIES: ReadonlySet<string> = new Set([
  "analytics.js",
  "analytics-ios",
  "analytics-android",
  "analytics-swift",
  "analytics-kotlin",
]);

/**
 * Fills `context.ip` with the address the event's request came from, as
 * Segment's tracking API does "for client side events only": the event has
 * no address of its own (`ip` absent, `null` or empty: a sender's value,
 * `0.0.0.0` for an anonymized one included, is kept), and it comes from a
 * device library (`context.library.name`) or asks for it with
 * `context.direct: true` (Segment's switch for HTTP calls made from a user's
 * device). Changes `event` (a copy made by the caller); a `context` that is
 * not an object is left alone.
 */
export function fillClientIp(event: Record<string, unknown>, clientIp: string): void {
  const context = event.context;
  if (!isRecord(context)) return;
  const ip = context.ip;
  if (ip !== undefined && ip !== null && ip !== "") return;
  if (context.direct !== true && !fromDeviceLibrary(context.library)) return;
  event.context = { ...context, ip: clientIp };
}

function fromDeviceLibrary(library: unknown): boolean {
  return (
    isRecord(library) && typeof library.name === "string" && DEVICE_LIBRARIES.has(library.name)
  );
}
