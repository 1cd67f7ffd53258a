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
});

let evaluations = 0;

export let run: RunState = idle();

/** A finished evaluation's state, reused by the next one: no allocation per evaluation. */
let spare: RunState | undefined;

/**
 * Start an evaluation; returns the state to hand back to `endRun`. Reading
 * the clock costs as much as evaluating a small mapping, so unless the
 * expression needs a timestamp the time budget starts at the first clock
 * read, a few microseconds in: a negligible extension of the limit.
 */
export function beginRun(
  limits: EvaluationLimits,
  needsTimestamp: boolean,
  bindings: Readonly<Record<string, unknown>> | undefined,
): RunState {
  const previous = run;
  const now = needsTimestamp ? Date.now() : 0;
  const state = spare ?? idle();
  spare = undefined;
  state.depthBase = 0;
  state.maxDepth = limits.maxDepth > 0 ? limits.maxDepth : Number.POSITIVE_INFINITY;
  state.maxSequence =
    limits.maxSequenceLength > 0 ? limits.maxSequenceLength : Number.POSITIVE_INFINITY;
  state.timeoutMs = limits.timeoutMs;
  state.ticks = ticksPerClockRead;
  state.started = now;
  state.timestamp = now;
  state.bindings = bindings;
  state.id = ++evaluations;
  run = state;
  return previous;
}

export function endRun(previous: RunState): void {
  run.bindings = undefined;
  spare = run;
  run = previous;
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

function readClock(): void {
  run.ticks = ticksPerClockRead;
  if (run.timeoutMs <= 0) return;
  const now = Date.now();
  if (run.started === 0) run.started = now;
  else if (now - run.started > run.timeoutMs) throw jsonataError("D1012", { value: run.timeoutMs });
}
