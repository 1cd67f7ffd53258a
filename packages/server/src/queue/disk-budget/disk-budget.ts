import { statfsSync } from "node:fs";
import { defaultReserveBytes } from "./disk-sizes.js";

/** A filesystem's space, in bytes, as `df` shows it. */
export interface DiskSpace {
  /** Free for an unprivileged user (root's reserved blocks are not counted). */
  readonly freeBytes: number;
  readonly totalBytes: number;
}

/** Reads the space of the filesystem that holds `dir`. */
export type MeasureDisk = (dir: string) => DiskSpace;

export const measureDisk: MeasureDisk = (dir) => {
  const stats = statfsSync(dir);
  return { freeBytes: stats.bavail * stats.bsize, totalBytes: stats.blocks * stats.bsize };
};

/** What the budget knows of the data directory's disk, and what it allows. */
export interface DiskState extends DiskSpace {
  readonly dir: string;
  /** Free inside the store's files: written again before they grow (SQLite keeps a file's size). */
  readonly reusableBytes: number;
  readonly reserveBytes: number;
  /**
   * No new events are taken: free space plus reusable space is below the
   * reserve, or free space alone below half of it (the journal and the WAL
   * need the disk itself). It ends once both are back above by a margin.
   */
  readonly low: boolean;
  /** The same at twice the reserve (see `mappingAllowance`); the WAL is truncated often. */
  readonly short: boolean;
  /** Free plus reusable space at which a low disk takes events again. */
  readonly resumeBytes: number;
}

export interface DiskBudgetOptions {
  /** The data directory; its filesystem is measured. */
  readonly dir: string;
  /** The bytes to keep free (`GWENMAP_DISK_RESERVE_MB`); default: `defaultReserveBytes` of the disk. */
  readonly reserveBytes?: number;
  /** Bytes free inside the store's files (default none). */
  readonly reusable?: () => number;
  /** Told each time `low` or `short` changes, and at the start when either holds. */
  readonly onChange?: (state: DiskState) => void;
  readonly measure?: MeasureDisk;
  /** A monotonic clock in ms (tests pass their own). */
  readonly now?: () => number;
}

/**
 * What a request costs on disk for a while once mapped, per byte it takes in
 * the journal: its records (each event's text again, and each mapping's
 * payload, plus the row that remembers its message id and the indexes),
 * first in the WAL, then copied into the file by the checkpoint.
 */
export const MAPPING_GROWTH = 6;

/**
 * How many bytes of journal requests may be handed to mapping now (see
 * `MAPPING_GROWTH`): what keeps free space, with what the file can reuse,
 * above twice the reserve while mapping runs ahead of delivery (GWEN down or
 * slow: those rows wait), and above half of it while mapping feeds delivery,
 * which frees space again (the store's own work, which the reserve is for).
 * The WAL's half of the cost needs the disk itself.
 */
export function mappingAllowance(state: DiskState, feedsDelivery: boolean): number {
  const floor = feedsDelivery ? state.reserveBytes / 2 : 2 * state.reserveBytes;
  const room = state.freeBytes + state.reusableBytes - floor;
  const disk = 2 * (state.freeBytes - floor / 2);
  return Math.max(0, Math.floor(Math.min(room, disk) / MAPPING_GROWTH));
}

/** Free space is measured at most this often; bytes written meanwhile are subtracted from it. */
export const MEASURE_EVERY_MS = 250;

/**
 * The disk budget of the SQLite store: free space in the data directory
 * stays above a reserve, so that the store always has room for its own work
 * (checkpoints, mapping, settling and deleting, each of which writes before
 * it frees). Below the reserve the store takes no new events; below twice
 * the reserve it does not map ahead of delivery. Space free inside the
 * store's files counts, since the store writes there first; but at least half
 * the reserve must be free on the disk itself, for the journal and the WAL.
 * A state is left only a margin (a tenth of the reserve) above where it was
 * entered, so that refusals do not flap at its edge. The disk is measured
 * lazily, by whoever asks, at most every `MEASURE_EVERY_MS`.
 */
export class DiskBudget {
  readonly #options: DiskBudgetOptions;
  readonly #measure: MeasureDisk;
  readonly #now: () => number;
  readonly #reserveBytes: number;
  /** The last measurement. */
  #measured: DiskSpace & { readonly reusableBytes: number };
  /** The state last answered: which states hold (for their margins) and what was reported. */
  #state: DiskState;
  #measuredAt: number;
  /** Bytes written since the last measurement. */
  #spent = 0;
  /** Bytes about to be written (see `hold`), not seen by any measurement yet. */
  #held = 0;
  /** `#spent + #held` when `#state` was judged. */
  #judgedWith = 0;
  /**
   * While free space stays at or above this, more bytes spent or held change
   * neither `low` nor `short`: ingestion asks on every request, and is then
   * answered without judging again (the state's `freeBytes` lags by what was spent).
   */
  #unchangedAbove = 0;

  constructor(options: DiskBudgetOptions) {
    this.#options = options;
    this.#measure = options.measure ?? measureDisk;
    this.#now = options.now ?? (() => performance.now());
    const space = this.#measure(options.dir);
    this.#reserveBytes = options.reserveBytes ?? defaultReserveBytes(space.totalBytes);
    this.#measuredAt = this.#now();
    this.#measured = { ...space, reusableBytes: this.#reusable() };
    this.#state = this.#judge(this.#measured, undefined);
    this.#unchangedAbove = this.#flipsBelow(this.#state);
    if (this.#state.low || this.#state.short) options.onChange?.(this.#state);
  }

  /**
   * The budget now: measured again when the last measurement is older than
   * `MEASURE_EVERY_MS`, less what was written since and what is held.
   */
  current(): DiskState {
    if (this.#now() - this.#measuredAt >= MEASURE_EVERY_MS) return this.measure();
    return this.#estimate();
  }

  /** Measures the disk now (after a write failed for lack of space, or before mapping). */
  measure(): DiskState {
    this.#measured = { ...this.#measure(this.#options.dir), reusableBytes: this.#reusable() };
    this.#measuredAt = this.#now();
    this.#spent = 0;
    this.#judgedWith = Number.NaN;
    return this.#estimate();
  }

  /** `bytes` were just written to the disk: they count until the next measurement sees them. */
  spend(bytes: number): void {
    this.#spent += bytes;
    if (this.#measured.freeBytes - this.#spent - this.#held >= this.#unchangedAbove) return;
    // Perhaps the disk has more than the estimate says: look before refusing.
    if (this.#estimate().low) this.measure();
  }

  /**
   * Counts `bytes` that work in progress is about to write (a mapping round
   * not committed yet) as used, until the returned function is called once
   * the work is done or abandoned.
   */
  hold(bytes: number): () => void {
    this.#held += bytes;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#held -= bytes;
    };
  }

  /** The last measurement less what was written and held since; reports a change of state. */
  #estimate(): DiskState {
    const used = this.#spent + this.#held;
    if (used === this.#judgedWith) return this.#state;
    const { freeBytes, ...rest } = this.#measured;
    const free = Math.max(0, freeBytes - used);
    // More used, and still nowhere near a limit: nothing to judge.
    if (used > this.#judgedWith && free >= this.#unchangedAbove) return this.#state;
    this.#judgedWith = used;
    const before = this.#state;
    this.#state = this.#judge({ ...rest, freeBytes: free }, before);
    this.#unchangedAbove = this.#flipsBelow(this.#state);
    if (this.#state.low !== before.low || this.#state.short !== before.short) {
      this.#options.onChange?.(this.#state);
    }
    return this.#state;
  }

  /** The free space below which `state` would turn low or short (with its reusable space as it is). */
  #flipsBelow(state: DiskState): number {
    const reserve = this.#reserveBytes;
    let below = 0;
    for (const [factor, held] of [
      [1, state.low],
      [2, state.short],
    ] as const) {
      if (!held)
        below = Math.max(below, factor * reserve - state.reusableBytes, (factor * reserve) / 2);
    }
    return below;
  }

  #reusable(): number {
    return this.#options.reusable?.() ?? 0;
  }

  #judge(
    space: DiskSpace & { readonly reusableBytes: number },
    before: DiskState | undefined,
  ): DiskState {
    const reserve = this.#reserveBytes;
    const margin = Math.ceil(reserve / 10);
    const room = space.freeBytes + space.reusableBytes;
    // Below `factor` reserves, or a state held before that has not come back above it by the margin.
    const below = (factor: number, held: boolean | undefined) => {
      const extra = held ? margin : 0;
      return room < factor * reserve + extra || space.freeBytes < (factor * reserve) / 2 + extra;
    };
    return {
      ...space,
      dir: this.#options.dir,
      reserveBytes: reserve,
      resumeBytes: reserve + margin,
      low: below(1, before?.low),
      short: below(2, before?.short),
    };
  }
}
