import type { ClaimedDelivery, MappingCommit } from "../job-store.js";
import type { Leases } from "../leases/leases.js";

/** How much the feed holds at most; beyond it new deliveries wait in SQLite only. */
export interface FeedLimits {
  readonly maxDeliveries: number;
  /** Characters of prepared variables (the payloads), the bulk of what an entry holds. */
  readonly maxPayloadChars: number;
}

/** About 5 MB at most: more than a mapping round gives (3,200 events of 100-event batches), so a feed that keeps up never overflows. */
export const DEFAULT_FEED_LIMITS: FeedLimits = {
  maxDeliveries: 5_000,
  maxPayloadChars: 4 * 1024 * 1024,
};

/**
 * Deliveries this process has just committed and nobody has claimed yet,
 * oldest first. Claiming them from here instead of reading them back from
 * SQLite saves a table read per delivery (a page read each, since every
 * commit drops the reader's page cache), which was the biggest single cost
 * of the main thread while deliveries keep up with what arrives. The rows
 * stay the truth: an entry is a copy, forgotten as soon as a claim reads its
 * row from SQLite, and a delivery that does not fit waits in SQLite alone.
 */
export class DeliveryFeed {
  readonly #limits: FeedLimits;
  readonly #entries = new Map<number, ClaimedDelivery>();
  #payloadChars = 0;

  constructor(limits: FeedLimits) {
    this.#limits = limits;
  }

  get size(): number {
    return this.#entries.size;
  }

  /**
   * Adds the deliveries of a mapping commit. `deliveryIds` has an entry for
   * each record of each event, in order: its row id, or 0 (not a delivery,
   * or not written). `windowStart` is the commit's time. Rows a claim has
   * leased meanwhile are left out, and so is whatever does not fit.
   */
  addCommitted(
    commit: MappingCommit,
    deliveryIds: readonly number[],
    context: { readonly windowStart: number; readonly leases: Leases },
  ): void {
    let index = 0;
    for (const event of commit.events) {
      for (const record of event.records) {
        const id = deliveryIds[index++] ?? 0;
        if (id === 0 || record.kind !== "delivery" || context.leases.held(id)) continue;
        if (!this.#fits(record.variables)) continue;
        this.#entries.set(id, {
          id,
          messageId: event.messageId,
          mapping: record.mapping,
          action: record.action,
          variables: record.variables,
          attempts: 0,
          receivedAt: event.receivedAt,
          windowStart: context.windowStart,
        });
        this.#payloadChars += record.variables.length;
      }
    }
  }

  /** Leases and hands out up to `limit` entries, oldest first. */
  take(limit: number, leases: Leases): ClaimedDelivery[] {
    const claimed: ClaimedDelivery[] = [];
    for (const entry of this.#entries.values()) {
      if (claimed.length >= limit) break;
      this.forget(entry.id);
      if (leases.held(entry.id)) continue;
      leases.take(entry.id);
      claimed.push(entry);
    }
    return claimed;
  }

  /** Drops the entry of a row that a claim read from SQLite. */
  forget(id: number): void {
    const entry = this.#entries.get(id);
    if (!entry) return;
    this.#entries.delete(id);
    this.#payloadChars -= entry.variables.length;
  }

  #fits(variables: string): boolean {
    return (
      this.#entries.size < this.#limits.maxDeliveries &&
      this.#payloadChars + variables.length <= this.#limits.maxPayloadChars
    );
  }
}
