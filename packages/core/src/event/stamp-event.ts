import { randomUUID } from "node:crypto";

export interface StampOptions {
  /** When the event was received. */
  readonly now: Date;
  /** The call type implied by the endpoint (`/v1/track` -> "track"); it wins over the body's. */
  readonly type?: string;
}

/**
 * Fill in what Segment's tracking API fills in when a client leaves it out:
 * `messageId`, `receivedAt`, and `timestamp`, which Segment corrects for the
 * client's clock (`receivedAt - (sentAt - originalTimestamp)`) when the client
 * sent both. Returns a new object; the input is not changed.
 */
export function stampEvent(
  event: Readonly<Record<string, unknown>>,
  options: StampOptions,
): Record<string, unknown> {
  const stamped: Record<string, unknown> = { ...event };
  if (options.type !== undefined) stamped.type = options.type;
  if (!nonEmptyString(stamped.messageId)) stamped.messageId = `gwenmap-${randomUUID()}`;
  if (!nonEmptyString(stamped.receivedAt)) stamped.receivedAt = options.now.toISOString();
  if (!nonEmptyString(stamped.timestamp)) stamped.timestamp = correctedTimestamp(stamped);
  return stamped;
}

function correctedTimestamp(event: Record<string, unknown>): string {
  const receivedAt = Date.parse(String(event.receivedAt));
  const sentAt = nonEmptyString(event.sentAt) ? Date.parse(event.sentAt) : Number.NaN;
  const original = nonEmptyString(event.originalTimestamp)
    ? Date.parse(event.originalTimestamp)
    : Number.NaN;
  if (Number.isFinite(receivedAt) && Number.isFinite(sentAt) && Number.isFinite(original)) {
    return new Date(receivedAt - (sentAt - original)).toISOString();
  }
  if (Number.isFinite(original)) return String(event.originalTimestamp);
  return String(event.receivedAt);
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value !== "";
}
