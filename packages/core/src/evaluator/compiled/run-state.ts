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
  readonly maxDepth: number;
  readonly maxSequence: number;
  readonly timeoutMs: number;
  /** Node evaluations left before the clock is read again. */
  ticks: number;
  /** When the time budget started (0 until the first clock read). */
  started: number;
  /** The instant $now() and $millis() report, fixed for the evaluation. */
  readonly timestamp: number;
}

/** How many node evaluations pass between two reads of the clock. */
const ticksPerClockRead = 1024;

const idle: RunState = {
  depthBase: 0,
  maxDepth: Number.POSITIVE_INFINITY,
  maxSequence: Number.POSITIVE_INFINITY,
  timeoutMs: 0,
  ticks: ticksPerClockRead,
  started: 0,
  timestamp: 0,
};

export let run: RunState = idle;

/**
 * Start an evaluation; returns the state to hand back to `endRun`. Reading
 * the clock costs as much as evaluating a small mapping, so unless the
 * expression needs a timestamp the time budget starts at the first clock
 * read, a few microseconds in: a negligible extension of the limit.
 */
export function beginRun(limits: EvaluationLimits, needsTimestamp: boolean): RunState {
  const previous = run;
  const now = needsTimestamp ? Date.now() : 0;
  run = {
    depthBase: 0,
    maxDepth: limits.maxDepth > 0 ? limits.maxDepth : Number.POSITIVE_INFINITY,
    maxSequence: limits.maxSequenceLength > 0 ? limits.maxSequenceLength : Number.POSITIVE_INFINITY,
    timeoutMs: limits.timeoutMs,
    ticks: ticksPerClockRead,
    started: now,
    timestamp: now,
  };
  return previous;
}

export function endRun(previous: RunState): void {
  run = previous;
}

/**
 * Called on entry to every node, as jsonata calls its guardrails on every
 * `evaluate`: the depth of the node is checked exactly (jsonata's D1011),
 * the clock only every `ticksPerClockRead` nodes (jsonata's D1012).
 */
export function enter(level: number): void {
  if (run.depthBase + level > run.maxDepth) throw jsonataError("D1011", { value: run.maxDepth });
  if (--run.ticks <= 0) readClock();
}

function readClock(): void {
  run.ticks = ticksPerClockRead;
  if (run.timeoutMs <= 0) return;
  const now = Date.now();
  if (run.started === 0) run.started = now;
  else if (now - run.started > run.timeoutMs) throw jsonataError("D1012", { value: run.timeoutMs });
}
