/**
 * An exponentially weighted moving mean and variance of round trips, in ms:
 * the reference a new interval's round trip is compared with. A weight
 * `alpha` near 1 follows new intervals closely; near 0 it remembers longer.
 */
export class RoundTripAverage {
  readonly #alpha: number;
  #mean: number | undefined;
  #variance = 0;

  constructor(alpha: number) {
    this.#alpha = alpha;
  }

  /** The moving mean; undefined before the first sample. */
  get mean(): number | undefined {
    return this.#mean;
  }

  /** The moving standard deviation (0 before the second sample). */
  get deviation(): number {
    return Math.sqrt(this.#variance);
  }

  add(sample: number): void {
    if (this.#mean === undefined) {
      this.#mean = sample;
      return;
    }
    const difference = sample - this.#mean;
    const increment = this.#alpha * difference;
    this.#mean += increment;
    this.#variance = (1 - this.#alpha) * (this.#variance + difference * increment);
  }
}
