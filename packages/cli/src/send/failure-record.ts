import { parseJson, type RejectionCode } from "@gwenmap/core";
import type { DeliveryFailureCode, Outcome } from "@gwenmap/gwen-adapter";

/**
 * Why an event (or one of its deliveries) did not reach GWEN: the engine's
 * code for a rejection (`E_PAYLOAD_INVALID`, ...), the adapter's delivery
 * policy's for what GWEN answered (`E_DELIVERY_PERMANENT`, `E_DELIVERY_RETRY_WINDOW`,
 * `E_DELIVERY_AUTH`: also for deliveries not sent once GWEN refused the key), or:
 */
export type FailureCode =
  | RejectionCode
  | DeliveryFailureCode
  /** The line is not JSON; the record keeps its text to fix by hand. */
  | "E_NOT_JSON"
  /** Ctrl-C stopped the run before this delivery was confirmed. */
  | "E_INTERRUPTED";

export interface Failure {
  readonly code: FailureCode;
  readonly message: string;
  readonly mapping?: string;
  readonly path?: string;
  readonly outcome?: { readonly kind: Outcome["kind"]; readonly status?: number };
}

/**
 * One line of a failures file. `gwenmap send` reads these back: it sends the
 * `event` again through the listed `mappings` only (all mappings when absent),
 * so deliveries that succeeded are not duplicated. A line that was not JSON
 * keeps its `text` instead of an `event`.
 */
export type FailureRecord =
  | {
      readonly event: unknown;
      readonly mappings?: readonly string[];
      readonly line: number;
      readonly failure: Failure;
    }
  | { readonly text: string; readonly line: number; readonly failure: Failure };

/** What to send for one input document: the event, and the mappings to limit it to. */
export type Unwrapped =
  | { readonly ok: true; readonly event: unknown; readonly only?: ReadonlySet<string> }
  | { readonly ok: false; readonly text: string; readonly message: string };

/**
 * A raw Segment event passes through; a failure record gives back its event
 * and mappings (a record's `failure` field never occurs in a Segment event).
 * A record of a line that was not JSON is parsed again: it may have been fixed.
 */
export function unwrapRecord(value: unknown): Unwrapped {
  if (!isRecord(value)) return { ok: true, event: value };
  if (typeof value.text === "string") {
    const parsed = parseJson(value.text);
    return parsed.ok
      ? { ok: true, event: parsed.value }
      : { ok: false, text: value.text, message: `not JSON: ${parsed.message}` };
  }
  const mappings = Array.isArray(value.mappings)
    ? new Set(value.mappings.filter((name): name is string => typeof name === "string"))
    : undefined;
  return { ok: true, event: value.event, ...(mappings ? { only: mappings } : {}) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const { failure } = value as Record<string, unknown>;
  return (
    typeof failure === "object" &&
    failure !== null &&
    typeof (failure as Record<string, unknown>).code === "string" &&
    ("event" in value || "text" in value)
  );
}
