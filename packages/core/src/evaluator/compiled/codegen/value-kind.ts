/**
 * What the generator knows about a value at compile time: which kinds of
 * JavaScript value it may be at run time, as bits. A comparison is a
 * boolean or undefined; `&` is always a string; a path may be anything,
 * including one of jsonata's sequences. The generator leaves out checks
 * and calls (a collapse, a type test of a function's argument) that the
 * kinds prove needless.
 */
export const Kind = {
  undefined: 1,
  string: 2,
  number: 4,
  boolean: 8,
  null: 16,
  object: 32,
  /** An array that is not a sequence. */
  array: 64,
  /** A jsonata sequence (an array flagged `sequence`), which collapses to its item. */
  sequence: 128,
  function: 256,
} as const;

export const anyKind = 511;

/** A generated value: a JavaScript expression (a variable or a literal, cheap to read twice) and its kinds. */
export interface Value {
  readonly code: string;
  readonly kind: number;
}

/** Whether every kind `value` may be is among `kinds`. */
export function only(value: Value, kinds: number): boolean {
  return (value.kind & ~kinds) === 0;
}

/** Whether `value` may be of one of `kinds`. */
export function may(value: Value, kinds: number): boolean {
  return (value.kind & kinds) !== 0;
}

/** The kind of a literal value. */
export function kindOf(value: unknown): number {
  switch (typeof value) {
    case "undefined":
      return Kind.undefined;
    case "string":
      return Kind.string;
    case "number":
      return Kind.number;
    case "boolean":
      return Kind.boolean;
    case "function":
      return Kind.function;
    default:
      if (value === null) return Kind.null;
      return Array.isArray(value) ? anyKind : Kind.object;
  }
}
