import type { Outcome } from "../outcome/outcome.js";
import {
  type AdaptiveConcurrencyOptions,
  type ResolvedAdaptiveOptions,
  resolveAdaptiveOptions,
} from "./adaptive-options.js";
import type { ConcurrencyLimit } from "./concurrency-limit.js";
import { readLoadSignal } from "./load-signal.js";
import { PipeEstimate } from "./pipe-estimate.js";
import { RequestRound, type RoundResult } from "./request-round.js";
import { RoundTripAverage } from "./round-trip-average.js";
import { SlowStart } from "./slow-start.js";

/**
 * A round trip within this share of the average never counts as rising,
 * however steady the round trips were: with a deviation near 0 (a steady
 * GWEN) any jitter would otherwise shrink the limit.
 */
const MIN_TOLERANCE = 0.05;
/**
 * Rounds in a row whose round trip rose past the threshold before the limit
 * shrinks for it: one slow round (a pause for garbage collection, a busy
 * neighbour on a shared machine) is noise, a rise that lasts is load.
 */
const RISING_ROUNDS = 2;
/** Steady rounds in a row that grow the limit by one each; after them the step doubles every round. */
const STEADY_ROUNDS = 3;
/** Growth stops at this multiple of what the pipe holds (see `PipeEstimate`). */
const PIPE_HEADROOM = 1.5;
/** A round is judged without its last requests once this many average round trips have passed since it closed. */
const STRAGGLER_WAIT = 2;

/**
 * Adaptive request concurrency, as Vector's ARC does it: additive increase
 * and multiplicative decrease on a smoothed round trip with a deviation
 * threshold. After a steady round at the limit (GWEN asked for nothing, the
 * mean round trip at or below its moving average) the limit grows by one;
 * after a round with back pressure (429, 503, timeouts: see
 * `readLoadSignal`) it shrinks to `decreaseRatio` of itself, and so it does
 * when the round trip rises above the average by `rttDeviationScale` moving
 * deviations. What differs from Vector, each for a reason the bench or the
 * tests showed:
 * - a slow start (see `SlowStart`): one request more per round trip would
 *   take a GWEN 50 ms away half a minute to reach the hundreds in flight it
 *   can carry;
 * - a round is the requests started in one average round trip, judged once
 *   they are back (see `RequestRound`), not whatever ends in an interval,
 *   which mixes in requests sent under the previous limit;
 * - a rise in round trips must last two rounds (a busy neighbour is noise);
 * - after three steady rounds in a row the step doubles each round, as TCP
 *   BIC probes (see `#adjustAimd`);
 * - growth stops at half again what GWEN can use by Little's law (see
 *   `PipeEstimate`), measured again every 10 s with half the limit for a
 *   round: a saturated GWEN's round trip rises as slowly as the average
 *   follows it, and Vector's rule alone lets the limit drift up without end.
 */
export class AdaptiveConcurrency implements ConcurrencyLimit {
  readonly mode = "adaptive";
  readonly ceiling: number;
  readonly #options: ResolvedAdaptiveOptions;
  readonly #average: RoundTripAverage;
  readonly #pipe = new PipeEstimate();
  #limit: number;
  #inFlight = 0;
  #round = RequestRound.first();
  /** The first round opens the connections (TCP, TLS) the others reuse: its round trip says nothing. */
  #warm = false;
  /** Until it ends, the slow start decides; then additive increase does. */
  #slowStart: SlowStart | undefined = new SlowStart();
  /** Steady rounds in a row since the slow start. */
  #steadyRounds = 0;
  /** Rounds in a row whose round trip rose, and the level the first one crossed. */
  #rising: { readonly rounds: number; readonly level: number } | undefined;
  /** While a round measures the lowest round trip with half the limit: the limit to go back to. */
  #probing: number | undefined;
  /** Back pressure on requests sent before the last shrink is already answered by it. */
  #shrunkAt = Number.NEGATIVE_INFINITY;

  /** Throws `InvalidOptionError` for an option out of range. */
  constructor(options: AdaptiveConcurrencyOptions = {}) {
    this.#options = resolveAdaptiveOptions(options);
    this.ceiling = this.#options.maxConcurrency;
    this.#limit = Math.min(this.#options.initialConcurrency, this.ceiling);
    this.#average = new RoundTripAverage(this.#options.ewmaAlpha);
  }

  get limit(): number {
    return this.#limit;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  available(): number {
    return Math.max(0, this.#limit - this.#inFlight);
  }

  start(): number {
    const now = this.#options.now();
    this.#judgeIfDue(now);
    this.#inFlight += 1;
    this.#round.left(now, this.#inFlight >= this.#limit);
    return now;
  }

  finish(startedAt: number, outcomes: readonly Outcome[]): void {
    const now = this.#options.now();
    this.#inFlight = Math.max(0, this.#inFlight - 1);
    const signal = readLoadSignal(outcomes);
    const answered = signal === "back-pressure" && startedAt < this.#shrunkAt ? "silent" : signal;
    this.#round.returned(startedAt, now, answered);
    // Until there is a reference, the first answer closes a round.
    if (this.#average.mean === undefined && this.#round.answered) this.#round.closeAt(now);
    this.#judgeIfDue(now);
  }

  cancel(startedAt: number): void {
    this.#inFlight = Math.max(0, this.#inFlight - 1);
    this.#round.dropped(startedAt);
    this.#judgeIfDue(this.#options.now());
  }

  /** Once a round is due: adjusts the limit and opens the next round. */
  #judgeIfDue(now: number): void {
    const average = this.#average.mean;
    const patienceMs = average === undefined ? Number.POSITIVE_INFINITY : STRAGGLER_WAIT * average;
    if (!this.#round.due(now, patienceMs)) return;
    const round = this.#round.result();
    const before = this.#limit;
    if (this.#probing !== undefined) this.#endProbe(this.#probing, round, now);
    else {
      // The first rounds only set the reference.
      if (average === undefined && round.roundTripMs === undefined) return;
      if (average !== undefined) this.#adjust(average, round);
      if (this.#warm) this.#record(round, before, now);
      this.#warm = true;
      if (this.#slowStart === undefined && this.#pipe.stale(now)) {
        this.#probing = this.#limit;
        this.#limit = Math.max(1, Math.floor(this.#limit / 2));
      }
    }
    if (this.#limit < before) this.#shrunkAt = now;
    this.#round = new RequestRound(now, now + (this.#average.mean ?? 0));
  }

  #adjust(average: number, round: RoundResult): void {
    if (this.#slowStart) this.#adjustSlowStart(this.#slowStart, round);
    else this.#adjustAimd(average, round);
  }

  /** Takes a round sent under `limit` into the pipe estimate (if it filled the limit) and the moving average. */
  #record(round: RoundResult, limit: number, now: number): void {
    const roundTripMs = round.roundTripMs;
    if (roundTripMs === undefined) return;
    if (round.reachedLimit && !round.backPressure) this.#pipe.add(limit, roundTripMs, now);
    this.#average.add(roundTripMs);
  }

  /**
   * A round with half the limit has measured the lowest round trip again:
   * the limit goes back to what it was (shrunk, if GWEN pushed back). A
   * round with nothing answered measures again. Its round trip stays out of
   * the moving average, which it would pull below what the full limit costs.
   */
  #endProbe(restore: number, round: RoundResult, now: number): void {
    if (round.roundTripMs === undefined && !round.backPressure) return;
    this.#probing = undefined;
    if (round.roundTripMs !== undefined) this.#pipe.measuredLowest(round.roundTripMs, now);
    this.#limit = restore;
    if (round.backPressure) this.#shrink();
  }

  #adjustSlowStart(slowStart: SlowStart, round: RoundResult): void {
    const step = slowStart.judge({ limit: this.#limit, ...round });
    if (step.kind === "double") this.#limit = Math.min(this.ceiling, this.#limit * 2);
    if (step.kind !== "end") return;
    this.#slowStart = undefined;
    if (step.limit === "shrink") this.#shrink();
    // Where the best rate came from, unless noise made that more than GWEN can use.
    else this.#limit = Math.min(this.ceiling, step.limit, Math.max(1, Math.ceil(this.#room())));
  }

  /** The most in flight worth growing to: half again what GWEN can use (see `PipeEstimate`). */
  #room(): number {
    return PIPE_HEADROOM * (this.#pipe.inFlight ?? Number.POSITIVE_INFINITY);
  }

  /**
   * Vector's rule, with a step that grows: one request for each of three
   * steady rounds in a row, then twice the step each steady round (2, 4,
   * 8, ...) until a round is not steady, as TCP BIC probes for more past its
   * last maximum. One request per round would take minutes to win back a few
   * hundred after a shrink that noise caused; near what GWEN can take the
   * round trip rises, growth stops, and the step is one again.
   */
  #adjustAimd(average: number, round: RoundResult): void {
    const current = round.roundTripMs;
    const threshold = Math.max(
      this.#options.rttDeviationScale * this.#average.deviation,
      MIN_TOLERANCE * average,
    );
    // A rise is judged against the level its first round crossed: the average takes the rise in.
    const level = this.#rising?.level ?? average + threshold;
    const rising = current !== undefined && current >= level;
    this.#rising = rising ? { rounds: (this.#rising?.rounds ?? 0) + 1, level } : undefined;
    const room = this.#room();
    const steady = current !== undefined && current <= average;
    if (steady && !round.backPressure && round.reachedLimit && this.#limit < room) {
      this.#steadyRounds += 1;
      const step = 2 ** Math.max(0, this.#steadyRounds - STEADY_ROUNDS);
      const most = Math.max(this.#limit + 1, Math.floor(room));
      this.#limit = Math.min(this.ceiling, this.#limit + step, most);
      return;
    }
    this.#steadyRounds = 0;
    if (round.backPressure || (this.#rising?.rounds ?? 0) >= RISING_ROUNDS) {
      this.#shrink();
      // Judged afresh from here: a GWEN that stays slower for good costs one shrink, not all of them.
      this.#rising = undefined;
    }
  }

  #shrink(): void {
    this.#limit = Math.max(1, Math.floor(this.#limit * this.#options.decreaseRatio));
  }
}
