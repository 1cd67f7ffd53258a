import { jsonataError } from "./jsonata-error.js";
import { run, spend } from "./run-state.js";

/**
 * jsonata's sequences: arrays flagged `sequence`, which collapse to their
 * single item or to undefined when a node's value is taken, unless flagged
 * `keepSingleton` (the `[]` suffix). `outerWrapper` marks the singleton that
 * wraps an input array; `cons` marks an array built by a constructor at the
 * end of a path, which must not be flattened. Only arrays created here carry
 * flags: input arrays are never touched.
 */
export interface Sequence extends Array<unknown> {
  sequence: true;
  keepSingleton?: boolean;
  outerWrapper?: boolean;
}

export function createSequence(): Sequence {
  const sequence = [] as unknown as Sequence;
  sequence.sequence = true;
  return sequence;
}

/** A sequence of one item (jsonata's `createSequence(item)`, which also wraps `undefined`). */
export function sequenceOf(item: unknown): Sequence {
  const sequence = createSequence();
  sequence.push(item);
  return sequence;
}

export function isSequence(value: unknown): value is Sequence {
  return Array.isArray(value) && (value as Partial<Sequence>).sequence === true;
}

/** Push into a sequence, enforcing the sequence length limit (jsonata's D2015). */
export function pushItem(sequence: Sequence, item: unknown): void {
  if (sequence.length >= run.maxSequence) throw jsonataError("D2015", { value: run.maxSequence });
  sequence.push(item);
}

export function isCons(value: unknown[]): boolean {
  return (value as { cons?: boolean }).cons === true;
}

/** Flag an array as built by a constructor; non-enumerable, as jsonata defines it. */
export function markCons(value: unknown[]): void {
  Object.defineProperty(value, "cons", { enumerable: false, configurable: false, value: true });
}

/**
 * What jsonata does with every node's value: an empty sequence is
 * undefined, a singleton sequence is its item unless kept as an array.
 */
export function collapse(value: unknown, keepArray: boolean): unknown {
  if (!Array.isArray(value) || (value as Partial<Sequence>).sequence !== true) return value;
  if (keepArray) (value as Sequence).keepSingleton = true;
  if (value.length === 0) return undefined;
  if (value.length === 1 && (value as Sequence).keepSingleton !== true) return value[0];
  return value;
}

/**
 * `$append` and the array constructor: undefined is ignored, non-arrays are
 * wrapped, and the result is a plain array (jsonata's `concat` drops the
 * sequence flag).
 */
export function append(first: unknown, second: unknown): unknown {
  if (first === undefined) return second;
  if (second === undefined) return first;
  const left = Array.isArray(first) ? first : sequenceOf(first);
  const right = Array.isArray(second) ? second : [second];
  const size = left.length + right.length;
  if (size > run.maxSequence) throw jsonataError("D2015", { value: size });
  spend(size);
  return left.concat(right);
}
