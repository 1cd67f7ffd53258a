import {
  type BoundedPlainJson,
  type PayloadWalker,
  type PlainEvent,
  plainJsonCharsWalked,
  toPlainJsonTrusting,
  toPlainJsonWithin,
} from "../evaluator/plain-json.js";
import { dropEmptyFields } from "./drop-empty-fields.js";
import type { PayloadShape } from "./payload-shape.js";

/** How big a payload may be. */
export interface PayloadBounds {
  /** Most characters of JSON. */
  readonly maxChars: number;
  /** Most levels of nested arrays and objects, the payload object itself being the first. */
  readonly maxDepth: number;
}

/** A mapping's result made into a payload, or why it cannot be one. */
export type FinishedPayload =
  | { readonly ok: true; readonly payload: Record<string, unknown> }
  /** `got` says what came instead of an object: "nothing", "an array", or the value as JSON. */
  | { readonly ok: false; readonly problem: "not-object"; readonly got: string }
  /** `chars`: where measuring stopped, just past the bound. */
  | { readonly ok: false; readonly problem: "too-large"; readonly chars: number }
  | { readonly ok: false; readonly problem: "too-deep" };

/** What a mapping's payloads are finished by: its action's schema, the bounds, and what its expression builds. */
export interface PayloadRules {
  readonly schema: Readonly<Record<string, unknown>>;
  readonly bounds: PayloadBounds;
  /** Where the payload may hold parts of the event (`payloadShapeOf`): given a plain JSON event, those are not walked again. */
  readonly shape?: PayloadShape | undefined;
  /** The walker generated for the object constructors of the mapping that built the payload (`payloadWalkerFor`). */
  readonly walker?: PayloadWalker | undefined;
}

/**
 * Turn what a mapping's expression returned into the payload to validate:
 * an object, with Segment's empty-field rule applied to its fields, made
 * plain JSON within `bounds` in one walk that stops at the first bound it
 * passes, and that skips the parts of a plain JSON event the payload holds
 * as they are (`toPlainJsonTrusting`), given the plain `event`; the
 * mapping's own walker, when it has one, first reads what its constructors
 * built (`plainJsonCharsWalked`).
 * Whichever answers, the answer is the walk's. Never throws: a payload nested
 * deeper than the stack allows is too deep long before it is walked that far.
 */
export function finishPayload(
  raw: unknown,
  rules: PayloadRules,
  event?: PlainEvent,
): FinishedPayload {
  const { schema, bounds } = rules;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    const got =
      raw === undefined || typeof raw === "function"
        ? "nothing"
        : Array.isArray(raw)
          ? "an array"
          : asJson(raw);
    return { ok: false, problem: "not-object", got };
  }
  const kept = dropEmptyFields(raw as Record<string, unknown>, schema);
  // the mapping's walker answers for a payload plain JSON as it is, within the bounds
  if (plainJsonCharsWalked(kept, rules, event) !== undefined) return { ok: true, payload: kept };
  let plain: BoundedPlainJson;
  try {
    plain =
      (event && toPlainJsonTrusting(kept, rules, event)) ??
      toPlainJsonWithin(kept, bounds.maxChars, bounds.maxDepth);
  } catch (thrown) {
    // only a maxDepth of tens of thousands lets the walk reach the end of the stack
    if (thrown instanceof RangeError) return { ok: false, problem: "too-deep" };
    throw thrown;
  }
  if (plain.ok) return { ok: true, payload: plain.value as Record<string, unknown> };
  return plain.over === "chars"
    ? { ok: false, problem: "too-large", chars: plain.chars }
    : { ok: false, problem: "too-deep" };
}

function asJson(scalar: unknown): string {
  try {
    return String(JSON.stringify(scalar));
  } catch {
    // a bigint, handed in by JavaScript code rather than made by an expression
    return String(scalar);
  }
}
