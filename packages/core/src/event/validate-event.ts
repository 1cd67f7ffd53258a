import type { Violation } from "../engine/map-result.js";
import { describeValue } from "../validation/describe-violations.js";

/** The call types Segment's tracking API routes; a `type` outside them is not a call. */
export const SEGMENT_CALL_TYPES = [
  "track",
  "identify",
  "page",
  "screen",
  "group",
  "alias",
] as const;

export type SegmentCallType = (typeof SEGMENT_CALL_TYPES)[number];

/**
 * A Segment call that passed the event rules. Only `type` is sure; every
 * other field is as the source sent it (Segment passes odd values on, and so
 * does gwenmap): a mapping meets `null`, numbers, arrays where the spec has
 * strings or objects, exactly as Segment's destination would.
 */
export interface SegmentEvent {
  readonly type: SegmentCallType;
  readonly [field: string]: unknown;
}

export type EventValidation =
  | { readonly ok: true; readonly event: SegmentEvent }
  | { readonly ok: false; readonly message: string; readonly violations: readonly Violation[] };

/**
 * Check one event against what Segment's tracking API refuses, and nothing
 * more (core's README lists the rules and why each exists): it must be a
 * JSON object, with a `type` among the six calls, a `userId` or an
 * `anonymousId`, and for a track call an `event` name. Everything else maps,
 * and a value the action cannot take is rejected later, by the payload's
 * schema, naming the payload field, as Segment's destination does. Size
 * (32 KB) is measured where the event's bytes are: `eventSizeRejection`.
 * Every violation is listed, and the result is a value: bad input never throws.
 */
export function validateEvent(event: unknown): EventValidation {
  if (typeof event !== "object" || event === null || Array.isArray(event)) {
    return invalid([
      { path: "", message: `The event must be a JSON object but it was ${describeValue(event)}.` },
    ]);
  }
  const fields = event as Record<string, unknown>;
  const type = fields.type;
  const typed = isCallType(type);
  // the usual event passes three property reads and comparisons: no list is built
  if (typed && (present(fields.userId) || present(fields.anonymousId))) {
    if (type !== "track" || present(fields.event))
      return { ok: true, event: fields as SegmentEvent };
  }
  const violations: Violation[] = [];
  if (!typed) violations.push(typeViolation(type));
  if (!present(fields.userId) && !present(fields.anonymousId)) {
    violations.push({
      path: "/userId",
      message:
        "The event needs one of the fields 'userId' or 'anonymousId' (Segment refuses a call with neither).",
    });
  }
  if (type === "track" && !present(fields.event)) {
    violations.push({
      path: "/event",
      message: "The event is missing the required field 'event' (a track call's name).",
      value: fields.event,
    });
  }
  return invalid(violations);
}

function isCallType(type: unknown): type is SegmentCallType {
  return (
    type === "track" ||
    type === "identify" ||
    type === "page" ||
    type === "screen" ||
    type === "group" ||
    type === "alias"
  );
}

/** Segment counts `null` and `""` as absent, like a missing field. */
function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "";
}

function typeViolation(type: unknown): Violation {
  const allowed = SEGMENT_CALL_TYPES.map((name) => `"${name}"`).join(", ");
  if (type === undefined) {
    return {
      path: "/type",
      message: `The event is missing the required field 'type' (one of ${allowed}).`,
    };
  }
  const got = typeof type === "string" ? JSON.stringify(type.slice(0, 40)) : describeValue(type);
  return {
    path: "/type",
    message: `Event type must be one of ${allowed} but it was ${got}.`,
    value: type,
  };
}

function invalid(violations: readonly Violation[]): EventValidation {
  const list = violations.map((violation) => violation.message).join(" ");
  return { ok: false, message: `not a valid Segment event: ${list}`, violations };
}
