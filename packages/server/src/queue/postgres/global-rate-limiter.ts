import type { Pool } from "pg";

/** A token taken: when (database clock, ms since the epoch) and how long its holder must wait. */
interface Reservation {
  readonly at: number;
  readonly waitMs: number;
}

interface Waiter {
  resolve(reservation: Reservation): void;
  reject(error: unknown): void;
}

/**
 * A token bucket shared by every instance on one database: one row in
 * `rate_limit`, refilled at `ratePerSecond` up to a burst of that many
 * (at least one). Each caller takes a token; when none is left the bucket
 * goes negative and the caller waits for its turn, as the in-process limiter
 * of the GWEN client does, so that all instances together stay under the
 * rate. Callers that arrive while a reservation is on its way are served by
 * the next one (one statement for all of them), and the bucket is updated
 * without waiting for the disk (`synchronous_commit = off`): losing the last
 * update in a crash only lets a few requests through early. Times come from
 * the database's clock, which all instances share, read once the row is
 * locked (`clock_timestamp()`, not the statement's start), so that the
 * updates of all instances follow each other in time.
 */
export class GlobalRateLimiter {
  readonly #pool: Pool;
  readonly #table: string;
  readonly #name: string;
  readonly #rate: number;
  #waiting: Waiter[] = [];
  #reserving = false;

  /** `pool` should be one connection with `synchronous_commit = off`. */
  constructor(pool: Pool, options: { schema: string; ratePerSecond: number; name?: string }) {
    this.#pool = pool;
    this.#table = `${options.schema}.rate_limit`;
    this.#rate = options.ratePerSecond;
    this.#name = options.name ?? "gwen";
  }

  /**
   * Waits for a token; answers the moment (database clock, ms since the epoch)
   * it was granted for. Rejects with the database's error when the bucket
   * cannot be read, or the abort reason when `signal` aborts first.
   */
  async acquire(signal?: AbortSignal): Promise<number> {
    signal?.throwIfAborted();
    const { at, waitMs } = await this.#reserve();
    signal?.throwIfAborted();
    if (waitMs > 0) await wait(waitMs, signal);
    return at + waitMs;
  }

  #reserve(): Promise<Reservation> {
    return new Promise<Reservation>((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      if (!this.#reserving) void this.#reserveAll();
    });
  }

  async #reserveAll(): Promise<void> {
    this.#reserving = true;
    while (this.#waiting.length > 0) {
      const batch = this.#waiting;
      this.#waiting = [];
      try {
        const { before, at } = await this.#take(batch.length);
        batch.forEach((waiter, index) => {
          const left = before - (index + 1);
          const waitMs = left >= 0 ? 0 : (-left / this.#rate) * 1000;
          waiter.resolve({ at, waitMs });
        });
      } catch (error) {
        for (const waiter of batch) waiter.reject(error);
      }
    }
    this.#reserving = false;
  }

  /** Takes `count` tokens; answers how many there were after the refill, and the database's time. */
  async #take(count: number): Promise<{ before: number; at: number }> {
    const capacity = Math.max(1, this.#rate);
    const { rows } = await this.#pool.query<{ before: number; at: number }>(
      `INSERT INTO ${this.#table} AS bucket (name, tokens, updated_at)
       VALUES ($1, $2::float8 - $3::integer, clock_timestamp())
       ON CONFLICT (name) DO UPDATE SET
         tokens = least($2::float8, bucket.tokens
           + extract(epoch FROM clock_timestamp() - bucket.updated_at)::float8 * $4::float8) - $3::integer,
         updated_at = clock_timestamp()
       RETURNING bucket.tokens + $3::integer AS before,
         extract(epoch FROM bucket.updated_at)::float8 * 1000 AS at`,
      [this.#name, capacity, count, this.#rate],
    );
    const row = rows[0];
    if (!row) throw new Error("the rate limit row was not written");
    return { before: Number(row.before), at: Number(row.at) };
  }
}

function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
