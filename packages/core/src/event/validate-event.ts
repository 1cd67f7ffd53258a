import type { ValidateFunction } from "ajv";
import type { Violation } from "../engine/map-result.js";
import { createAjv } from "../validation/create-ajv.js";
import { describeViolations } from "../validation/describe-violations.js";
import { acceptsSegmentEvent } from "./accepts-segment-event.js";
import { segmentEventSchema } from "./segment-event-schema.js";

/** A Segment call that passed the spec check: fields mappings can rely on. */
export interface SegmentEvent {
  readonly type: "track" | "identify" | "page" | "screen" | "group" | "alias";
  readonly event?: string;
  readonly userId?: string | number;
  readonly anonymousId?: string | number;
  readonly messageId?: string;
  readonly properties?: Readonly<Record<string, unknown>>;
  readonly traits?: Readonly<Record<string, unknown>>;
  readonly context?: Readonly<Record<string, unknown>>;
  readonly [field: string]: unknown;
}

export type EventValidation =
  | { readonly ok: true; readonly event: SegmentEvent }
  | { readonly ok: false; readonly message: string; readonly violations: readonly Violation[] };

let validator: ValidateFunction | undefined;

/**
 * Check one event against the Segment spec. Every violation is listed, and
 * the result is a value: bad input never throws.
 */
export function validateEvent(event: unknown): EventValidation {
  if (acceptsSegmentEvent(event)) return { ok: true, event };
  validator ??= createAjv().compile(segmentEventSchema);
  if (validator(event)) return { ok: true, event: event as SegmentEvent };
  const violations = describeViolations(validator.errors ?? [], segmentEventSchema, "The event");
  const list = violations.map((violation) => violation.message).join(" ");
  return { ok: false, message: `not a valid Segment event: ${list}`, violations };
}
