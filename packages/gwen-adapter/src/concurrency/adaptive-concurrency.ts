import type { Outcome } from "../outcome/outcome.js";
import {
  type AdaptiveConcurrencyOptions,
  type ResolvedAdaptiveOptions,
  resolveAdaptiveOptions,
} from "./adaptive-options.js";
import { AnswerRate } from "./answer-rate.js";
import type { ConcurrencyLimit } from "./concurrency-limit.js";
import { readLoadSignal } from "./load-signal.js";
import { Occupancy } from "./occupancy.js";
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
/** The share of the limit kept after a 429. */
const RATE_LIMITED_RATIO = 0.5;
/**
 * After a 429 the limit stays below this share of what GWEN accepted over
 * the last second (times the lowest round trip), for `RATE_CAP_MS`: a rate limit is
 * a wall, and growing back to it (one request per round trip, dozens of
 * round trips a second) meets it again in every window. The limit at the 429
 * says nothing: a slow start may have doubled far past the wall.
 */
const RATE_CAP_RATIO = 0.8;
/**
 * The share of the last second's answers that must be 429s for a cap: a
 * rate limit refuses in bursts (all that is in flight once its window is
 * used up), while a 429 now and then is answered by halving alone (a cap at
 * each lets the limit dwindle: see the test with 0.2% of 429s).
 */
const RATE_LIMITED_SHARE = 0.02;
/** And at least this many 429s in that second. */
const RATE_LIMITED_FEWEST = 3;
/** How long a 429's cap holds; then the limit may probe past it again (GWEN's limit may have been raised). */
const RATE_CAP_MS = 30_000;
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
 * - a slow start's round lasts 150 ms at least, so that it meets a rate
 *   limit with fewer requests in flight (see `#roundMs`);
 * - a round is the requests started in one average round trip, judged once
 *   they are back (see `RequestRound`), not whatever ends in an interval,
 *   which mixes in requests sent under the previous limit;
 * - a rise in round trips must last two rounds (a busy neighbour is noise);
 * - after three steady rounds in a row the step doubles each round, as TCP
 *   BIC probes (see `#adjustAimd`);
 * - the first round opens the connections and sets nothing;
 * - a round that GWEN pushed back on whole restarts from the initial limit
 *   with a slow start up to half the limit, as TCP after a timeout (see
 *   `#restart`), and a 429 halves the limit (see `#shrink`).
 */
export class AdaptiveConcurrency implements ConcurrencyLimit {
  readonly mode = "adaptive";
  readonly ceiling: number;
  readonly #options: ResolvedAdaptiveOptions;
  readonly #average: RoundTripAverage;
  #limit: number;
  #round = RequestRound.first();
  /** Requests in flight, now and over time (the mean of each round, for Little's law). */
  readonly #occupancy = new Occupancy();
  /** The first round opens the connections (TCP, TLS) the others reuse: its round trip says nothing. */
  #warm = false;
  /** Until it ends, the slow start decides; then additive increase does. */
  #slowStart: SlowStart | undefined = new SlowStart();
  /** Where a slow start ends by itself: the ceiling at first, half the limit after a restart. */
  #slowStartUntil = Number.POSITIVE_INFINITY;
  /** Steady rounds in a row since the slow start. */
  #steadyRounds = 0;
  /** The limit at the latest back pressure, which growth approaches with care (see `#step`). */
  #pushedBackAt: number | undefined;
  /** Rounds in a row whose round trip rose, and the level the first one crossed. */
  #rising: { readonly rounds: number; readonly level: number } | undefined;
  /** Back pressure on requests sent before the last shrink is already answered by it. */
  #shrunkAt = Number.NEGATIVE_INFINITY;
  /** The lowest mean round trip of a round: GWEN's own time, without the queue more in flight adds. */
  #lowestMs = Number.POSITIVE_INFINITY;
  /** Requests GWEN accepted lately: at a 429, what its rate limit allows. */
  readonly #accepted = new AnswerRate();
  /** Requests GWEN answered 429 lately. */
  readonly #refused = new AnswerRate();
  /** Below a 429's rate limit: the most the limit may be, until when (see `RATE_CAP_RATIO`). */
  #rateCap: { readonly limit: number; readonly until: number } | undefined;

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
    return this.#occupancy.inFlight;
  }

  available(): number {
    return Math.max(0, this.#limit - this.#occupancy.inFlight);
  }

  start(): number {
    const now = this.#options.now();
    this.#judgeIfDue(now);
    this.#occupancy.change(now, 1);
    this.#round.left(now, this.#occupancy.inFlight >= this.#limit);
    return now;
  }

  finish(startedAt: number, outcomes: readonly Outcome[]): void {
    const now = this.#options.now();
    this.#ended(now);
    const signal = readLoadSignal(outcomes);
    if (signal === "answered") this.#accepted.add(now);
    if (signal === "rate-limited") {
      this.#refused.add(now);
      this.#capAtRateLimit(now);
    }
    const pushedBack = signal === "back-pressure" || signal === "rate-limited";
    const answered = pushedBack && startedAt < this.#shrunkAt ? "silent" : signal;
    this.#round.returned(startedAt, now, answered);
    // Until there is a reference, the first answer closes a round.
    if (this.#average.mean === undefined && this.#round.answered) this.#round.closeAt(now);
    this.#judgeIfDue(now);
  }

  cancel(startedAt: number): void {
    const now = this.#options.now();
    this.#ended(now);
    this.#round.dropped(startedAt);
    this.#judgeIfDue(now);
  }

  #ended(now: number): void {
    if (this.#occupancy.inFlight === 0) return;
    this.#occupancy.change(now, -1);
  }

  /** Once a round is due: adjusts the limit and opens the next round. */
  #judgeIfDue(now: number): void {
    const average = this.#average.mean;
    const patienceMs = average === undefined ? Number.POSITIVE_INFINITY : STRAGGLER_WAIT * average;
    if (!this.#round.due(now, patienceMs)) return;
    const round = { ...this.#round.result(), inFlight: this.#occupancy.meanSince(now) };
    const before = this.#limit;
    // The first rounds only set the reference.
    if (average !== undefined) this.#adjust(average, round);
    if (this.#rateCap && now >= this.#rateCap.until) this.#rateCap = undefined;
    if (this.#rateCap) this.#limit = Math.min(this.#limit, this.#rateCap.limit);
    if (this.#warm && round.roundTripMs !== undefined) {
      this.#average.add(round.roundTripMs);
      this.#lowestMs = Math.min(this.#lowestMs, round.roundTripMs);
    }
    this.#warm = true;
    if (this.#limit < before) this.#shrunkAt = now;
    this.#round = new RequestRound(now, now + this.#roundMs());
    this.#occupancy.mark(now);
  }

  /**
   * How long the next round takes requests: an average round trip, and in a
   * slow start at least `slowStartRoundMs`, so the limit doubles at most that
   * often. Past a rate limit's wall every request sent until the first 429
   * comes back is refused: as many as are in flight. A limit that doubles
   * every round trip meets the wall with as many in flight as it sent
   * before, half the window's budget (the bench saw 511 429s where GWEN
   * takes 1,000 requests a second, 20 ms away); held 150 ms at each level,
   * a level sends several round trips' worth before the next, and the wall
   * comes while a few times fewer are in flight.
   */
  #roundMs(): number {
    // Until there is a reference, a round lasts until its first answer.
    const average = this.#average.mean ?? Number.POSITIVE_INFINITY;
    return this.#slowStart ? Math.max(average, this.#options.slowStartRoundMs) : average;
  }

  /**
   * A burst of 429s: the limit stays under what GWEN accepted over the last second
   * times its lowest round trip (Little's law; round trips grown by a queue
   * would overstate it), for a while. Measured as the 429 arrives: the rate
   * is GWEN's limit then, and drops while the server honours `Retry-After`.
   */
  #capAtRateLimit(now: number): void {
    const refused = this.#refused.count(now);
    const share = refused / (refused + this.#accepted.count(now));
    if (refused < RATE_LIMITED_FEWEST || share < RATE_LIMITED_SHARE) return;
    if (this.#lowestMs === Number.POSITIVE_INFINITY) return;
    const perMs = this.#accepted.perMs(now);
    const limit = Math.max(1, Math.floor(RATE_CAP_RATIO * perMs * this.#lowestMs));
    // Measured afresh each time, not ratcheted down: a 429 now and then must not starve delivery.
    this.#rateCap = { limit, until: now + RATE_CAP_MS };
  }

  #adjust(average: number, round: RoundResult & { readonly inFlight: number }): void {
    if (round.backPressure && round.roundTripMs === undefined) this.#restart();
    else if (this.#slowStart) this.#adjustSlowStart(this.#slowStart, round);
    else this.#adjustAimd(average, round);
  }

  /**
   * GWEN pushed back on every request of a round (a 429 burst, a 503
   * storm, an outage): as TCP after a retransmission timeout, the limit
   * goes back to where it started (or to half, below that), and a slow
   * start climbs again, up to half the limit it had: resuming at the old
   * limit would meet a rate limit's next window, or a GWEN coming back,
   * with all of it at once.
   */
  #restart(): void {
    this.#pushedBackAt = this.#limit;
    this.#slowStartUntil = Math.max(1, Math.floor(this.#limit / 2));
    this.#limit = Math.max(1, Math.min(this.#slowStartUntil, this.#options.initialConcurrency));
    this.#slowStart = new SlowStart();
    this.#steadyRounds = 0;
    this.#rising = undefined;
  }

  #adjustSlowStart(slowStart: SlowStart, round: RoundResult & { readonly inFlight: number }): void {
    const step = slowStart.judge({ limit: this.#limit, ...round });
    if (step.kind === "double") {
      this.#limit = Math.min(this.ceiling, this.#slowStartUntil, this.#limit * 2);
      // A slow start after a restart stops where the limit was halved to.
      if (this.#limit >= this.#slowStartUntil) this.#slowStart = undefined;
    }
    if (step.kind !== "end") return;
    this.#slowStart = undefined;
    if (step.limit !== "shrink") this.#limit = Math.min(this.ceiling, step.limit);
    else {
      this.#pushedBackAt = this.#limit;
      this.#shrink(round.rateLimited);
    }
  }

  /**
   * Vector's rule, with a step that grows (see `#step`): one request for
   * each of three steady rounds in a row, then twice the step each steady
   * round (2, 4, 8, ...) until a round is not steady, as TCP BIC probes for
   * more past its last maximum. One request per round would take minutes to
   * win back a few hundred after a shrink that noise caused; near what GWEN
   * can take the round trip rises, growth stops, and the step is one again.
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
    const steady = current !== undefined && current <= average;
    if (steady && !round.backPressure && round.reachedLimit) {
      this.#steadyRounds += 1;
      this.#limit = Math.min(this.ceiling, this.#limit + this.#step());
      return;
    }
    this.#steadyRounds = 0;
    if (round.backPressure) this.#pushedBackAt = this.#limit;
    if (round.backPressure || (this.#rising?.rounds ?? 0) >= RISING_ROUNDS) {
      this.#shrink(round.rateLimited);
      // Judged afresh from here: a GWEN that stays slower for good costs one shrink, not all of them.
      this.#rising = undefined;
    }
  }

  /**
   * One, or after three steady rounds in a row twice the last step; but
   * below the limit GWEN last pushed back at (429, 503, timeouts) at most
   * half the way there, and from there on one at a time, as TCP BIC searches
   * near its last maximum: a GWEN that refuses above a rate is met again
   * slowly, not with a step that doubled.
   */
  #step(): number {
    const doubled = 2 ** Math.max(0, this.#steadyRounds - STEADY_ROUNDS);
    if (this.#pushedBackAt === undefined) return doubled;
    const way = this.#pushedBackAt - this.#limit;
    return way > 1 ? Math.min(doubled, Math.floor(way / 2)) : 1;
  }

  /** To `decreaseRatio` of the limit; to half of it on a 429, as TCP halves on loss: GWEN said how it stands. */
  #shrink(rateLimited = false): void {
    const ratio = rateLimited ? RATE_LIMITED_RATIO : this.#options.decreaseRatio;
    this.#limit = Math.max(1, Math.floor(this.#limit * ratio));
  }
}
