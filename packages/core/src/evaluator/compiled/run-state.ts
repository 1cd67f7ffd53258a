import type { EvaluationLimits } from "../evaluator.js";
import { jsonataError } from "./jsonata-error.js";

/**
 * The state of one evaluation: its guardrails and its clock. It lives in a
 * module variable rather than being threaded through every closure because
 * evaluation is synchronous; `beginRun`/`endRun` save and restore it, so a
 * nested evaluation (a binding that calls another evaluator) is safe.
 */
export interface RunState {
  /** jsonata's evaluation depth at the root of the body being evaluated, minus one. */
  depthBase: number;
  maxDepth: number;
  maxSequence: number;
  timeoutMs: number;
  /** Node evaluations left before the clock is read again. */
  ticks: number;
  /** When the time budget started (0 until the first clock read). */
  started: number;
  /** The instant $now() and $millis() report, fixed for the evaluation. */
  timestamp: number;
  /** The variables passed to `evaluate`, which may shadow built-in functions. */
  bindings: Readonly<Record<string, unknown>> | undefined;
  /** Tells evaluations apart: state a function value keeps is only read in the evaluation that wrote it. */
  id: number;
  /**
   * Calls of functions not made by jsonata (passed in bindings or data) so
   * far: such a function may change the input, so generated code reuses
   * what it read from the input only while there were none.
   */
  foreignCalls: number;
}

/** How many node evaluations pass between two reads of the clock. */
const ticksPerClockRead = 1024;

const idle = (): RunState => ({
  depthBase: 0,
  maxDepth: Number.POSITIVE_INFINITY,
  maxSequence: Number.POSITIVE_INFINITY,
  timeoutMs: 0,
  ticks: ticksPerClockRead,
  started: 0,
  timestamp: 0,
  bindings: undefined,
  id: 0,
  foreignCalls: 0,
});

let evaluations = 0;

/**
 * The state of the evaluation under way: one object for the life of the
 * process, so that code generated per expression can hold it. A nested
 * evaluation saves the outer one's fields in `saved` and puts them back.
 */
export const run: RunState = idle();

/** The states of evaluations interrupted by a nested one, innermost last; reused, so no allocation. */
const saved: RunState[] = [];
let nesting = 0;

function copyState(from: RunState, to: RunState): void {
  to.depthBase = from.depthBase;
  to.maxDepth = from.maxDepth;
  to.maxSequence = from.maxSequence;
  to.timeoutMs = from.timeoutMs;
  to.ticks = from.ticks;
  to.started = from.started;
  to.timestamp = from.timestamp;
  to.bindings = from.bindings;
  to.id = from.id;
  to.foreignCalls = from.foreignCalls;
}

/** An expression's limits as an evaluation applies them (0 and below: none), worked out once. */
export interface RunLimits {
  readonly maxDepth: number;
  readonly maxSequence: number;
  readonly timeoutMs: number;
}

export function runLimits(limits: EvaluationLimits): RunLimits {
  return {
    maxDepth: limits.maxDepth > 0 ? limits.maxDepth : Number.POSITIVE_INFINITY,
    maxSequence: limits.maxSequenceLength > 0 ? limits.maxSequenceLength : Number.POSITIVE_INFINITY,
    timeoutMs: limits.timeoutMs,
  };
}

/**
 * Start an evaluation; `endRun` ends it. Reading the clock costs as much
 * as evaluating a small mapping, so unless the expression needs a
 * timestamp the time budget starts at the first clock read, a few
 * microseconds in: a negligible extension of the limit.
 */
export function beginRun(
  limits: RunLimits,
  needsTimestamp: boolean,
  bindings: Readonly<Record<string, unknown>> | undefined,
): void {
  // outside any evaluation the state is the idle one, which endRun puts back without a copy
  if (nesting > 0) {
    let outer = saved[nesting];
    if (outer === undefined) {
      outer = idle();
      saved[nesting] = outer;
    }
    copyState(run, outer);
  }
  nesting++;
  const now = needsTimestamp ? Date.now() : 0;
  run.depthBase = 0;
  run.maxDepth = limits.maxDepth;
  run.maxSequence = limits.maxSequence;
  run.timeoutMs = limits.timeoutMs;
  run.ticks = ticksPerClockRead;
  run.started = now;
  run.timestamp = now;
  run.bindings = bindings;
  run.id = ++evaluations;
  run.foreignCalls = 0;
}

/** End the evaluation `beginRun` started, and resume the one it interrupted, if any. */
export function endRun(): void {
  nesting--;
  if (nesting > 0) {
    const outer = saved[nesting]!;
    copyState(outer, run);
    outer.bindings = undefined;
    return;
  }
  run.depthBase = 0;
  run.maxDepth = Number.POSITIVE_INFINITY;
  run.maxSequence = Number.POSITIVE_INFINITY;
  run.timeoutMs = 0;
  run.started = 0;
  run.timestamp = 0;
  run.bindings = undefined;
  run.id = 0;
  run.foreignCalls = 0;
}

/**
 * Called on entry to a node whose depth may exceed the limit, as jsonata
 * checks it on every `evaluate` (D1011): nodes in function bodies, whose
 * depth depends on the caller, and nodes statically too deep.
 */
export function enter(level: number): void {
  if (run.depthBase + level > run.maxDepth) throw jsonataError("D1011", { value: run.maxDepth });
}

/**
 * Called once per unit of repeated work (an item of a step, a predicate or
 * a group; a function call): the clock is read every `ticksPerClockRead`
 * units (D1012). Work that does not repeat is bounded by the expression's size.
 */
export function tick(): void {
  if (--run.ticks <= 0) readClock();
}

/**
 * Charge work that handles `units` values or characters at once (a range,
 * an array built, a string scanned or made), so that a step doing a lot
 * of work reads the clock as often as many steps doing little: the time
 * limit then holds within about one step of any expression.
 */
export function spend(units: number): void {
  run.ticks -= units;
  if (run.ticks <= 0) readClock();
}

/** Charge the size of a value a step consumed or produced: a string's characters, an array's items. */
export function weigh(value: unknown): void {
  if (typeof value === "string") spend(value.length);
  else if (Array.isArray(value)) spend(value.length);
}

/** Read the clock now (generated code charges work inline and calls this when its ticks run out). */
export function readClock(): void {
  run.ticks = ticksPerClockRead;
  if (run.timeoutMs <= 0) return;
  const now = Date.now();
  if (run.started === 0) run.started = now;
  else if (now - run.started > run.timeoutMs) throw jsonataError("D1012", { value: run.timeoutMs });
}
