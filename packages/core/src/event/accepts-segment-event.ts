import type { SegmentEvent } from "./validate-event.js";

const eventTypes = new Set(["track", "identify", "page", "screen", "group", "alias"]);
const identities = ["userId", "anonymousId", "previousId", "groupId"] as const;
const objects = ["properties", "traits", "integrations"] as const;
const strings = ["messageId", "timestamp", "sentAt", "receivedAt", "originalTimestamp"] as const;

/**
 * The Segment event schema's checks written out by hand, for the engine's
 * fast path: true only for an event the schema accepts, so a true answer
 * skips ajv. Every other event (and any doubt) goes to ajv, which decides and
 * says what is wrong. `accepts-segment-event.test.ts` holds it to the schema.
 */
export function acceptsSegmentEvent(event: unknown): event is SegmentEvent {
  if (!isObject(event)) return false;
  const fields = event as Record<string, unknown>;
  const type = fields.type;
  if (typeof type !== "string" || !eventTypes.has(type)) return false;
  if (fields.userId === undefined && fields.anonymousId === undefined) return false;
  if (!required(fields, type)) return false;
  for (const name of identities) if (!isIdentity(fields[name])) return false;
  for (const name of objects)
    if (fields[name] !== undefined && !isObject(fields[name])) return false;
  for (const name of strings)
    if (fields[name] !== undefined && typeof fields[name] !== "string") return false;
  const name = fields.name;
  if (name !== undefined && name !== null && typeof name !== "string") return false;
  const eventName = fields.event;
  if (eventName !== undefined && (typeof eventName !== "string" || eventName === "")) return false;
  const context = fields.context;
  if (context === undefined) return true;
  if (!isObject(context)) return false;
  const traits = (context as Record<string, unknown>).traits;
  return traits === undefined || isObject(traits);
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
