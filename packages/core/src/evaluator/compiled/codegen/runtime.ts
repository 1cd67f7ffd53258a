import { locate, type Operation } from "../compile-binary.js";
import { type DirectCallSite, invokeBuiltin, noLeadingArgument } from "../compile-call.js";
import { lookupAcross } from "../compile-path.js";
import { appendInto } from "../compile-unary.js";
import { failedEntry } from "../concurrent-entries.js";
import { Frame, unbound } from "../frame.js";
import { roundHalfEven } from "../functions/numeric-functions.js";
import { codePointCount, replaceText, trimText } from "../functions/string-functions.js";
import { jsonataError } from "../jsonata-error.js";
import { integersBetween } from "../operators.js";
import { type Evaluate, markSite } from "../procedure.js";
import { readClock, run, spend } from "../run-state.js";
import { collapse, createSequence, markCons, pushItem, type Sequence } from "../sequence.js";
import { lookupField, toBoolean } from "../values.js";

/** An operator with its place in the expression: what `rt.operate` needs for the slow path. */
export interface OperatorSite {
  readonly operation: Operation;
  readonly operator: string;
  readonly position: number | undefined;
}

/**
 * What generated code calls: the closure compiler's own functions for
 * everything but the fast paths, so that a case the generated code does
 * not take inline behaves exactly as the closure compiler's evaluation.
 */
export const runtime = {
  collapse,
  createSequence,
  lookupField,
  lookupAcross,
  toBoolean,
  appendInto,
  markCons,
  locate,
  invokeBuiltin,
  noLeadingArgument,
  roundHalfEven,
  replaceText,
  codePointCount,
  trim: trimText,
  clock: readClock,

  tooDeep(): never {
    throw jsonataError("D1011", { value: run.maxDepth });
  },

  tooLong(size: number): never {
    throw jsonataError("D2015", { value: size });
  },

  operate(left: unknown, right: unknown, site: OperatorSite): unknown {
    try {
      return site.operation(left, right, site.operator);
    } catch (error) {
      throw locate(error, site.position, site.operator);
    }
  },

  negate(value: unknown, position: number | undefined): number {
    // a non-finite number raises D1001, as the closure compiler's isNumeric does
    if (typeof value === "number" && !Number.isNaN(value)) throw jsonataError("D1001", { value });
    throw jsonataError("D1002", { position, token: "-", value });
  },

  /** A constructor's entry failed: the entries from `from` on are evaluated, as `failedEntry` asks. */
  failedAmong(
    error: unknown,
    entries: readonly Evaluate[],
    from: number,
    input: unknown,
    frame: Frame,
  ): never {
    return failedEntry(
      error,
      () => {
        for (let index = from; index < entries.length; index++) entries[index]!(input, frame);
      },
      entries.length > 1,
    );
  },

  /** An empty sequence with room for `length` items: filled by index, then cut to what was filled. */
  presizedSequence(length: number): Sequence {
    const sequence = new Array(length) as unknown as Sequence;
    sequence.sequence = true;
    return sequence;
  },

  /** Push every item of `values`, within the sequence length limit. */
  pushAll(sequence: Sequence, values: readonly unknown[]): void {
    for (let index = 0; index < values.length; index++) pushItem(sequence, values[index]);
  },

  /**
   * `[a..b]`: the range made as the constructor's array at once, charged as
   * the range and then its appending are; its errors are the operator's.
   */
  rangeArray(left: unknown, right: unknown, site: OperatorSite): unknown[] {
    let values: unknown[] | undefined;
    try {
      values = integersBetween(left, right);
    } catch (error) {
      throw locate(error, site.position, site.operator);
    }
    if (values === undefined) return [];
    spend(values.length);
    return values;
  },

  /** `[value]` for one value: an empty array, with the value appended (`appendInto`). */
  arrayOf(value: unknown): unknown[] {
    const result: unknown[] = [];
    if (value !== undefined) appendInto(result, value);
    return result;
  },

  /**
   * A path's last step collected into a plain array for `[path]`: what
   * appending the path's value to an empty array gives. With one value
   * that is an array (one built by a constructor: others are flattened),
   * its items; else the values as they are, charged as appending charges.
   * When the last step found one plain array (`wholeArray`), its items were
   * collected, and are the result.
   */
  finishCollected(values: unknown[], wholeArray: boolean): unknown[] {
    if (!wholeArray && values.length === 1 && Array.isArray(values[0]))
      return runtime.arrayOf(values[0]);
    spend(values.length);
    return values;
  },

  markCall(site: DirectCallSite): void {
    markSite(site.callable, site.position, site.name);
  },

  allNumbers(values: readonly unknown[]): boolean {
    for (let index = 0; index < values.length; index++)
      if (typeof values[index] !== "number") return false;
    return true;
  },

  sumOf(values: readonly number[]): number {
    let total = 0;
    for (let index = 0; index < values.length; index++) total += values[index]!;
    return total;
  },
};

export type Runtime = typeof runtime;

/**
 * What generated code reads besides its constants `k`, by the names it
 * uses: fixed, and bound once per expression as constants (`const`) of the
 * function that makes the evaluation, which V8 can then fold into the code
 * it optimizes (`getProto(o) !== OP` and `OP[name]` of an own-field check
 * among them).
 */
export const generatedBindings = {
  rt: runtime,
  R: run,
  hasOwn: Object.prototype.hasOwnProperty,
  UNBOUND: unbound,
  Frame,
  OP: Object.prototype,
  getProto: Object.getPrototypeOf,
};
