import type { SegmentEvent } from "./validate-event.js";

/**
 * The Segment event schema's checks written out by hand, for the engine's
 * fast path: true only for an event the schema accepts, so a true answer
 * skips ajv. Every other event (and any doubt) goes to ajv, which decides and
 * says what is wrong. `accepts-segment-event.test.ts` holds it to the schema.
 */
export function acceptsSegmentEvent(event: unknown): event is SegmentEvent {
  if (!isObject(event)) return false;
  // fields read by name, not in a loop over names: property loads V8 can cache
  const fields = event as Record<string, unknown>;
  const type = fields.type;
  if (!isEventType(type)) return false;
  const { userId, anonymousId } = fields;
  if (userId === undefined && anonymousId === undefined) return false;
  if (!required(fields, type)) return false;
  if (!isIdentity(userId) || !isIdentity(anonymousId)) return false;
  if (!isIdentity(fields.previousId) || !isIdentity(fields.groupId)) return false;
  if (!isOptionalObject(fields.properties) || !isOptionalObject(fields.traits)) return false;
  if (!isOptionalObject(fields.integrations)) return false;
  if (!isOptionalString(fields.messageId) || !isOptionalString(fields.timestamp)) return false;
  if (!isOptionalString(fields.sentAt) || !isOptionalString(fields.receivedAt)) return false;
  if (!isOptionalString(fields.originalTimestamp)) return false;
  const name = fields.name;
  if (name !== undefined && name !== null && typeof name !== "string") return false;
  const eventName = fields.event;
  if (eventName !== undefined && (typeof eventName !== "string" || eventName === "")) return false;
  const context = fields.context;
  if (context === undefined) return true;
  if (!isObject(context)) return false;
  return isOptionalObject((context as Record<string, unknown>).traits);
}

function isEventType(type: unknown): type is string {
  return (
    type === "track" ||
    type === "identify" ||
    type === "page" ||
    type === "screen" ||
    type === "group" ||
    type === "alias"
  );
}

function isOptionalObject(value: unknown): boolean {
  return value === undefined || isObject(value);
}

function isOptionalString(value: unknown): boolean {
  return value === undefined || typeof value === "string";
}

function required(fields: Record<string, unknown>, type: string): boolean {
  if (type === "track") return fields.event !== undefined;
  if (type === "group") return fields.groupId !== undefined;
  if (type === "alias") return fields.previousId !== undefined;
  return true;
}

/** ajv's "object": not null, not an array. */
function isObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Absent, a non-empty string, or a finite number (ajv's "number"). */
function isIdentity(value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value === "string") return value !== "";
  return typeof value === "number" && Number.isFinite(value);
}
