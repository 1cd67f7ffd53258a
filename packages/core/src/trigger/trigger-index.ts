import type { Mapping } from "../mapping/mapping.js";
import type { TriggerFilter } from "./classify-trigger.js";

/** A mapping that may fire for an event; `exact` ones fire without evaluating their trigger. */
export interface Candidate {
  readonly mapping: Mapping;
  readonly exact: boolean;
  /** Position in the mapping set, so deliveries keep a stable order. */
  readonly order: number;
}

interface Bucket {
  readonly anyEvent: Candidate[];
  readonly byEvent: Map<string, Candidate[]>;
}

const maxCachedKeys = 10_000;
const none: readonly Candidate[] = [];

/**
 * Mappings filed by the event types (and track event names) their triggers
 * can match, so that an event costs only the triggers that could fire for it,
 * however many mappings exist for other types.
 */
export class TriggerIndex {
  readonly #byType = new Map<string, Bucket>();
  readonly #anyType: Bucket = newBucket();
  readonly #cache = new Map<string, readonly Candidate[]>();

  constructor(entries: readonly { mapping: Mapping; filter: TriggerFilter }[]) {
    entries.forEach(({ mapping, filter }, order) => {
      const candidate: Candidate = { mapping, exact: filter.exact, order };
      const buckets = filter.types
        ? [...filter.types].map((type) => this.#bucketFor(type))
        : [this.#anyType];
      for (const bucket of buckets) file(bucket, candidate, filter.events);
    });
  }

  /** The mappings whose triggers could be true for an event of this type and name, in set order. */
  candidates(type: unknown, event: unknown): readonly Candidate[] {
    const typeKey = typeof type === "string" ? type : undefined;
    const eventKey = typeof event === "string" ? event : undefined;
    const key = `${typeKey ?? ""}\u0000${eventKey ?? ""}`;
    const cached = this.#cache.get(key);
    if (cached) return cached;
    const found = this.#collect(typeKey, eventKey);
    if (this.#cache.size >= maxCachedKeys) this.#cache.clear();
    this.#cache.set(key, found);
    return found;
  }

  #collect(type: string | undefined, event: string | undefined): readonly Candidate[] {
    const typed = type === undefined ? undefined : this.#byType.get(type);
    const lists = [...fromBucket(this.#anyType, event), ...(typed ? fromBucket(typed, event) : [])];
    const found = lists.flat();
    if (found.length === 0) return none;
    return found.sort((a, b) => a.order - b.order);
  }

  #bucketFor(type: string): Bucket {
    let bucket = this.#byType.get(type);
    if (!bucket) {
      bucket = newBucket();
      this.#byType.set(type, bucket);
    }
    return bucket;
  }
}

function newBucket(): Bucket {
  return { anyEvent: [], byEvent: new Map() };
}

function file(bucket: Bucket, candidate: Candidate, events: ReadonlySet<string> | undefined): void {
  if (!events) {
    bucket.anyEvent.push(candidate);
    return;
  }
  for (const event of events) {
    const list = bucket.byEvent.get(event);
    if (list) list.push(candidate);
    else bucket.byEvent.set(event, [candidate]);
  }
}

function fromBucket(bucket: Bucket, event: string | undefined): Candidate[][] {
  const named = event === undefined ? undefined : bucket.byEvent.get(event);
  return named ? [bucket.anyEvent, named] : [bucket.anyEvent];
}
