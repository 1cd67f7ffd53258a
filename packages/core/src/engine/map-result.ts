/** One mapping's output for one event, valid against its action's schema: ready to send. */
export interface Delivery {
  readonly mapping: string;
  readonly action: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

/**
 * Why an event, or one mapping's output for it, cannot be delivered.
 * `E_EVENT_INVALID` and `E_EVENT_TOO_LARGE` concern the whole event (no `mapping`); every other code concerns one mapping.
 */
export type RejectionCode =
  | "E_EVENT_INVALID"
  /** Over Segment's 32 KB for one call (`eventSizeRejection`, called by the front ends). */
  | "E_EVENT_TOO_LARGE"
  | "E_TRIGGER_FAILED"
  | "E_EVALUATION_FAILED"
  | "E_EVALUATION_TIMEOUT"
  | "E_EVALUATION_DEPTH"
  | "E_PAYLOAD_NOT_OBJECT"
  | "E_PAYLOAD_INVALID"
  | "E_PAYLOAD_TOO_LARGE"
  | "E_PAYLOAD_TOO_DEEP";

/** One violated rule: where (a JSON pointer into the event or payload) and what. */
export interface Violation {
  /** JSON pointer, e.g. `/userId` or `/properties/total`; `""` for the root. */
  readonly path: string;
  readonly message: string;
  /** The offending value, when there is one. */
  readonly value?: unknown;
}

export interface Rejection {
  /** The mapping that failed; absent when the event itself is invalid. */
  readonly mapping?: string;
  readonly action?: string;
  readonly code: RejectionCode;
  /** A sentence a user can act on; names the mapping, field and messageId where known. */
  readonly message: string;
  /** JSON pointer of the first offending field, e.g. `/userId`. */
  readonly path?: string;
  /** Every violation, for schema failures (event or payload). */
  readonly violations?: readonly Violation[];
  /** The jsonata error code (`T2001`, `D1012`, ...) for evaluation failures. */
  readonly jsonataCode?: string;
  /**
   * For evaluation failures (`E_TRIGGER_FAILED`, `E_EVALUATION_*`): where
   * the sub-expression that failed is, in the trigger or the expression and
   * in the mapping file. Absent when the error has no place: the time and
   * depth limits, met between steps, are reported at the start of the part.
   */
  readonly location?: EvaluationLocation;
}

/** Where an evaluation failed, for `file:line:col` and a code frame. */
export interface EvaluationLocation {
  /** Which part of the mapping failed. */
  readonly part: "trigger" | "expression";
  /**
   * 0-based offset in the part's text (`Mapping.trigger` or
   * `Mapping.expression`) of the first character of the sub-expression that
   * failed: the operator, or the `$name` of a function call.
   */
  readonly offset: number;
  /** The mapping file, and the 1-based line and column of that character in it. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** Why a mapping did or did not fire for one event (`mapEvent(event, { explain: true })`). */
export interface MappingExplanation {
  readonly mapping: string;
  readonly action: string;
  /** `skipped-by-index`: its trigger cannot match this event type, so it was not evaluated. */
  readonly status: "fired" | "not-triggered" | "skipped-by-index" | "disabled" | "rejected";
  /** The trigger's value (for triggers the index decides alone, `true` without evaluating). */
  readonly triggerValue?: unknown;
  /** Set when the trigger index alone decided the trigger (`type = "track"` and the like). */
  readonly decidedByIndex?: boolean;
  readonly rejection?: Rejection;
}

/** The result of mapping one event: data, never exceptions. */
export interface MapResult {
  readonly messageId?: string;
  readonly deliveries: readonly Delivery[];
  readonly rejections: readonly Rejection[];
  readonly explanation?: readonly MappingExplanation[];
}
