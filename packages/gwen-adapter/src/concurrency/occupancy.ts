/**
 * How many requests were in flight over time: the mean since a mark, which
 * with their mean round trip gives the delivery rate by Little's law. (The
 * limit alone would overstate it while in-flight requests still rise to it.)
 */
export class Occupancy {
  #inFlight = 0;
  #changedAt = 0;
  /** The integral of requests in flight over time, in request-ms. */
  #area = 0;
  #mark = { at: 0, area: 0 };

  /** Requests in flight now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** `delta` requests started (1) or ended (-1) at `now`. */
  change(now: number, delta: number): void {
    this.#accrue(now);
    this.#inFlight += delta;
  }

  /** Starts the span `meanSince` averages over. */
  mark(now: number): void {
    this.#accrue(now);
    this.#mark = { at: now, area: this.#area };
  }

  /** The mean in flight from the mark to `now` (in flight now, when no time has passed). */
  meanSince(now: number): number {
    this.#accrue(now);
    const span = now - this.#mark.at;
    return span > 0 ? (this.#area - this.#mark.area) / span : this.#inFlight;
  }

  #accrue(now: number): void {
    if (now > this.#changedAt) this.#area += this.#inFlight * (now - this.#changedAt);
    this.#changedAt = Math.max(this.#changedAt, now);
  }
}
