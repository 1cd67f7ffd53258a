import { setImmediate as nextTurn } from "node:timers/promises";

/**
 * Keeps long CPU work from starving the HTTP server that shares its thread:
 * `pause()` gives the event loop a turn once `sliceMs` of work have passed
 * since the last turn, so requests are acknowledged while a big backlog is mapped.
 */
export class TimeSlice {
  readonly #sliceMs: number;
  #started = performance.now();

  constructor(sliceMs: number) {
    this.#sliceMs = sliceMs;
  }

  async pause(): Promise<void> {
    if (performance.now() - this.#started < this.#sliceMs) return;
    await nextTurn();
    this.#started = performance.now();
  }
}
