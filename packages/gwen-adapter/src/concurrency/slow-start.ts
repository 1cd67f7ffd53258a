/** A round of requests as the slow start judges it. */
export interface SlowStartRound {
  /** The limit the round's requests were sent under. */
  readonly limit: number;
  /** The requests in flight over the round, on average (with the round trip, Little's law gives the rate). */
  readonly inFlight: number;
  /** Their mean round trip, in ms; undefined when none was answered. */
  readonly roundTripMs: number | undefined;
  /** The round filled the limit: its round trip says what that many requests in flight cost. */
  readonly reachedLimit: boolean;
  readonly backPressure: boolean;
}

/** What the slow start makes of a round: double the limit, keep it, or end with a new limit. */
export type SlowStartStep =
  | { readonly kind: "double" }
  | { readonly kind: "hold" }
  | { readonly kind: "end"; readonly limit: number | "shrink" };

/** The delivery rate must grow by this share from one doubling to the next to count as growing (BBR's 25%). */
const GROWTH = 1.25;
/** Rounds in a row without that growth that end the slow start (BBR waits for 3; each of ours doubles, so 2). */
const STALLED_ROUNDS = 2;
/** A round trip this many times the lowest one counts as no growth, whatever the rate says. */
const QUEUED = 2;

/**
 * The start of adaptive concurrency: the limit doubles every round while
 * the delivery rate it buys (requests in flight over their round trip, by
 * Little's law) keeps growing, as TCP BBR's startup judges a full pipe. The
 * rate, not the round trip alone, decides: a round trip that rises by less
 * than the limit grew still buys throughput, and a noisy round trip (a
 * shared machine) would end a round-trip rule early. But a round whose
 * round trip doubled the lowest one counts as adding nothing either: the
 * first rounds of a fresh process (connections opening, code not yet
 * optimised) are slow, and rates measured against them kept growing past
 * the point where more in flight only queued. Once two rounds in a row add
 * less than a quarter, the limit goes back to the one that gave the best
 * rate (as BBR drains what its startup piled up), where additive increase
 * takes over; back pressure ends it at once with a shrink.
 */
export class SlowStart {
  /** The best rate so far, in requests per ms, and the limit that gave it. */
  #best = { rate: 0, limit: 1 };
  #stalled = 0;
  #lowestMs = Number.POSITIVE_INFINITY;

  judge(round: SlowStartRound): SlowStartStep {
    if (round.backPressure) return { kind: "end", limit: "shrink" };
    const roundTripMs = round.roundTripMs;
    if (roundTripMs === undefined || !round.reachedLimit) return { kind: "hold" };
    const rate = round.inFlight / roundTripMs;
    this.#lowestMs = Math.min(this.#lowestMs, roundTripMs);
    const queued = roundTripMs >= QUEUED * this.#lowestMs;
    if (rate >= this.#best.rate * GROWTH && !queued) this.#stalled = 0;
    else this.#stalled += 1;
    if (rate > this.#best.rate) this.#best = { rate, limit: round.limit };
    if (this.#stalled < STALLED_ROUNDS) return { kind: "double" };
    return { kind: "end", limit: this.#best.limit };
  }
}
