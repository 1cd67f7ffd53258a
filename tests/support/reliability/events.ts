/**
 * Track events with one user each, so that what reached the emulator can be
 * traced back to the event that produced it (the shipped `send-event` mapping
 * turns each into one `SendEvent` for its user).
 */

/** A uuid that names the run (`run`, up to 8 hex digits) and the event's index. */
export function userIdFor(run: number, index: number): string {
  const prefix = run.toString(16).padStart(8, "0");
  return `${prefix}-9b3d-4e7f-8a5c-${index.toString(16).padStart(12, "0")}`;
}

/** The index of the event behind a user id made by `userIdFor`. */
export function indexOf(userId: string): number {
  return Number.parseInt(userId.slice(-12), 16);
}

/**
 * One track event: unique user, unique messageId; `padding` characters more
 * in its properties make it as large as a track call with many properties.
 */
export function trackEvent(run: number, index: number, padding = 0): Record<string, unknown> {
  return {
    type: "track",
    event: "Level Completed",
    userId: userIdFor(run, index),
    messageId: `run-${run}-event-${index}`,
    properties: padding > 0 ? { index, notes: "x".repeat(padding) } : { index },
  };
}

/** The events `from` (inclusive) to `to` (exclusive) as a `/v1/batch` body. */
export function batchBody(run: number, from: number, to: number): string {
  return eventsBody(run, { from, to });
}

/** The events of `range` as a `/v1/batch` body, each with `padding` characters more (see `trackEvent`). */
export function eventsBody(
  run: number,
  range: { readonly from: number; readonly to: number; readonly padding?: number },
): string {
  const batch = [];
  for (let index = range.from; index < range.to; index++) {
    batch.push(trackEvent(run, index, range.padding));
  }
  return JSON.stringify({ batch });
}

/** The HTTP Basic header Segment's libraries send for `writeKey`. */
export function basicAuth(writeKey: string): string {
  return `Basic ${Buffer.from(`${writeKey}:`).toString("base64")}`;
}
