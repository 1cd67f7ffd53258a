/** Rounds whose best delivery rate the estimate keeps: a second or two of round trips. */
const RATE_ROUNDS = 16;
/** The lowest round trip is measured again when none as low was seen for this long (ms). */
export const LOWEST_ROUND_TRIP_FOR_MS = 10_000;

/**
 * How many requests in flight GWEN (and the sender's own cores) can use,
 * by Little's law: the best delivery rate of the latest rounds (requests in
 * flight over their round trip) times the lowest round trip seen, as TCP
 * BBR and brpc's auto concurrency limiter estimate it. More in flight than
 * that only queues: the round trip then grows as fast as the limit, which a
 * moving average of round trips takes in without ever seeing it rise. The
 * lowest round trip is only seen with little in flight, so it is kept until
 * `LOWEST_ROUND_TRIP_FOR_MS` passes without one as low; then the caller
 * measures it again with fewer requests for a round (`measuredLowest`), as
 * BBR's ProbeRTT and Envoy's adaptive concurrency do. Noisy round trips
 * inflate the best rate and deflate the lowest round trip alike, so their
 * product stays near the truth.
 */
export class PipeEstimate {
  readonly #rates: number[] = [];
  #lowest: { readonly roundTripMs: number; readonly at: number } | undefined;

  /** A round that filled `limit` requests in flight, with their mean round trip, judged at `now`. */
  add(limit: number, roundTripMs: number, now: number): void {
    if (roundTripMs <= 0) return;
    this.#rates.push(limit / roundTripMs);
    if (this.#rates.length > RATE_ROUNDS) this.#rates.shift();
    if (this.#lowest === undefined || roundTripMs <= this.#lowest.roundTripMs) {
      this.#lowest = { roundTripMs, at: now };
    }
  }

  /** The round trip of a round sent with fewer requests to measure it: the lowest from now on. */
  measuredLowest(roundTripMs: number, now: number): void {
    this.#lowest = { roundTripMs, at: now };
  }

  /** Whether the lowest round trip is too old to bound the limit with. */
  stale(now: number): boolean {
    return this.#lowest !== undefined && now - this.#lowest.at > LOWEST_ROUND_TRIP_FOR_MS;
  }

  /** The requests in flight GWEN can use; undefined before any round. */
  get inFlight(): number | undefined {
    if (this.#lowest === undefined) return undefined;
    return Math.max(...this.#rates) * this.#lowest.roundTripMs;
  }
}
