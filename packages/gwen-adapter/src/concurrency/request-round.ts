import type { LoadSignal } from "./load-signal.js";

/** What the requests of a round came to. */
export interface RoundResult {
  /** Their mean round trip in ms; undefined when none was answered. */
  readonly roundTripMs: number | undefined;
  /** GWEN asked for less on one of them (or on a later request: see `AdaptiveConcurrency`). */
  readonly backPressure: boolean;
  /** The back pressure was a 429: GWEN limits a rate. */
  readonly rateLimited: boolean;
  /** One of them left while as many as the limit were in flight: the round says what the limit costs. */
  readonly reachedLimit: boolean;
}

/**
 * The requests adaptive concurrency judges together: those that left from
 * `start` until `close` (ms of its clock), judged once all of them are back,
 * so that a judgement sees only requests sent under the limit it judges.
 */
export class RequestRound {
  readonly #start: number;
  #close: number;
  #outstanding = 0;
  #roundTrips = 0;
  #roundTripSum = 0;
  #backPressure = false;
  #rateLimited = false;
  #reachedLimit = false;

  constructor(start: number, close: number) {
    this.#start = start;
    this.#close = close;
  }

  /** The first round takes every request until it is closed (at the first answer). */
  static first(): RequestRound {
    return new RequestRound(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
  }

  /** A request left at `now`; `full`: the limit was reached with it. */
  left(now: number, full: boolean): void {
    if (now > this.#close) return;
    this.#outstanding += 1;
    if (full) this.#reachedLimit = true;
  }

  /** A request that left at `startedAt` came back at `now`. */
  returned(startedAt: number, now: number, signal: LoadSignal): void {
    if (signal === "back-pressure" || signal === "rate-limited") this.#backPressure = true;
    if (signal === "rate-limited") this.#rateLimited = true;
    if (!this.#holds(startedAt)) return;
    this.#outstanding -= 1;
    if (signal !== "answered") return;
    this.#roundTrips += 1;
    this.#roundTripSum += now - startedAt;
  }

  /** A request that left at `startedAt` ended without an answer about GWEN. */
  dropped(startedAt: number): void {
    if (this.#holds(startedAt)) this.#outstanding -= 1;
  }

  /** Takes no request that leaves after `now`. */
  closeAt(now: number): void {
    this.#close = Math.min(this.#close, now);
  }

  get answered(): boolean {
    return this.#roundTrips > 0;
  }

  /** Closed and every request back, or `patienceMs` past its close (stragglers are then left out). */
  due(now: number, patienceMs: number): boolean {
    if (now < this.#close) return false;
    return this.#outstanding <= 0 || now >= this.#close + patienceMs;
  }

  result(): RoundResult {
    return {
      roundTripMs: this.#roundTrips > 0 ? this.#roundTripSum / this.#roundTrips : undefined,
      backPressure: this.#backPressure,
      rateLimited: this.#rateLimited,
      reachedLimit: this.#reachedLimit,
    };
  }

  #holds(startedAt: number): boolean {
    return startedAt >= this.#start && startedAt <= this.#close;
  }
}
