/** The span answers are counted over, in ms: a rate limit's usual window. */
const SPAN_MS = 1_000;
/** Buckets of the span: the count is exact to one bucket's width. */
const BUCKETS = 20;
const BUCKET_MS = SPAN_MS / BUCKETS;

/**
 * How many answers of a kind came over the last second: of requests GWEN
 * accepted, at a 429, about what its rate limit allows, which a cap on
 * requests in flight can be set from (that rate times the round trip, by
 * Little's law).
 */
export class AnswerRate {
  readonly #counts = new Array<number>(BUCKETS).fill(0);
  /** The bucket `#counts[bucket % BUCKETS]` last counted into, as a number since the epoch of the clock. */
  #bucket = 0;
  /** An answer came at `now` (ms). */
  add(now: number): void {
    this.#advance(now);
    this.#counts[this.#bucket % BUCKETS]! += 1;
  }

  /**
   * Answers per ms over the last second before `now`, divided by the whole
   * second even when the first came later: at a 429 the window's budget is
   * spent, however early, and dividing by a shorter span overstated the rate
   * (a second burst of 429s in the bench).
   */
  perMs(now: number): number {
    return this.count(now) / SPAN_MS;
  }

  /** Answers over the last second before `now`. */
  count(now: number): number {
    this.#advance(now);
    return this.#counts.reduce((sum, count) => sum + count, 0);
  }

  /** Clears the buckets that went by since the last count. */
  #advance(now: number): void {
    const bucket = Math.floor(now / BUCKET_MS);
    const passed = Math.min(BUCKETS, bucket - this.#bucket);
    for (let step = 1; step <= passed; step++) this.#counts[(this.#bucket + step) % BUCKETS] = 0;
    this.#bucket = Math.max(this.#bucket, bucket);
  }
}
