import type { Pool } from "pg";
import type { QueueStats } from "../job-store.js";

/** The counts `stats()` reports, without the oldest pending time. */
export type Counts = Omit<QueueStats, "oldestPendingAt" | "disk">;

/** A change to the counts made by one of this instance's writes. */
export type CountDelta = Partial<Record<keyof Counts, number>>;

const EMPTY: Counts = {
  unmappedEvents: 0,
  pendingDeliveries: 0,
  dead: 0,
  rejected: 0,
  replaying: 0,
};

/** How old counted figures may get before they are counted again. */
const REFRESH_MS = 1_000;

/**
 * What the queue holds, cheaply. Counting rows on every append would cost a
 * scan each time, and a counter row updated by every write would make all
 * instances queue behind its lock. So the tables are counted at most once a
 * second (each count walks one partial index), and this instance's own
 * writes are added as they commit. Other instances' writes show up at the
 * next count: the depth limit is back-pressure, a second behind is fine.
 */
export class QueueCounts {
  readonly #pool: Pool;
  readonly #tables: string;
  #base: Counts = EMPTY;
  #delta: Record<keyof Counts, number> = { ...EMPTY };
  #countedAt = Number.NEGATIVE_INFINITY;
  #counting: Promise<void> | undefined;

  constructor(pool: Pool, schema: string) {
    this.#pool = pool;
    this.#tables = schema;
  }

  /** The counts now; counted again first when the last count is over a second old. */
  async current(): Promise<Counts> {
    if (performance.now() - this.#countedAt > REFRESH_MS) await this.refresh();
    return this.#sum();
  }

  /** The counts as last known, starting a count in the background when they are old (for the depth check). */
  estimate(): Counts {
    if (performance.now() - this.#countedAt > REFRESH_MS && !this.#counting) {
      void this.refresh().catch(() => {});
    }
    return this.#sum();
  }

  apply(delta: CountDelta): void {
    for (const [name, change] of Object.entries(delta) as [keyof Counts, number][]) {
      this.#delta[name] += change;
    }
  }

  /** Counts the tables; deltas applied while counting are kept on top of the new figures. */
  refresh(): Promise<void> {
    this.#counting ??= this.#count().finally(() => {
      this.#counting = undefined;
    });
    return this.#counting;
  }

  async #count(): Promise<void> {
    const before = { ...this.#delta };
    const t = this.#tables;
    const result = await this.#pool.query<Counts>(
      `SELECT
         (SELECT coalesce(sum(events), 0) FROM ${t}.requests)::bigint AS "unmappedEvents",
         (SELECT count(*) FROM ${t}.records WHERE state = 'pending') AS "pendingDeliveries",
         (SELECT count(*) FROM ${t}.records WHERE state IN ('dead', 'rejected') AND state = 'dead') AS dead,
         (SELECT count(*) FROM ${t}.records WHERE state IN ('dead', 'rejected') AND state = 'rejected') AS rejected,
         (SELECT count(*) FROM ${t}.records WHERE state = 'replay') AS replaying`,
    );
    this.#base = result.rows[0] ?? EMPTY;
    for (const name of Object.keys(this.#delta) as (keyof Counts)[]) {
      this.#delta[name] -= before[name];
    }
    this.#countedAt = performance.now();
  }

  #sum(): Counts {
    const sum = { ...EMPTY };
    for (const name of Object.keys(sum) as (keyof Counts)[]) {
      sum[name] = Math.max(0, this.#base[name] + this.#delta[name]);
    }
    return sum;
  }
}
