import type { Logger } from "pino";
import type { MappingSet } from "../mappings/mapping-set.js";
import type { ServerMetrics } from "../metrics/server-metrics.js";
import type { JobStore, MappingCommit, NewRecord, StoredRequest } from "../queue/job-store.js";
import { IngestFirst } from "./ingest-first.js";
import { WakeSignal } from "./wake-signal.js";

const REQUESTS_PER_CLAIM = 32;
/** A round claims on until it holds this many events (fewer, bigger commits for single calls). */
const EVENTS_PER_ROUND = 512;
const REQUESTS_PER_ROUND = 256;
/** Mapping's share of the time while requests saturate the event loop (see `IngestFirst`). */
const SHARE_WHILE_INGESTING = 0.1;
const REPLAYS_PER_ROUND = 200;
const IDLE_WAIT_MS = 1_000;
const ERROR_WAIT_MS = 1_000;

export interface MappingWorkerOptions {
  readonly store: JobStore;
  readonly mappings: MappingSet;
  readonly metrics: ServerMetrics;
  readonly logger: Logger;
  /** Called after each commit that created deliveries, to wake the delivery worker. */
  readonly onMapped: () => void;
}

/**
 * Claims acknowledged requests and has the mapping thread split them into
 * events and map them with the mappings in use now; replays re-map dead or
 * rejected records the same way. Each round's records are written in the
 * transaction that removes its requests.
 */
export class MappingWorker {
  readonly #options: MappingWorkerOptions;
  readonly #signal = new WakeSignal();
  readonly #ingestFirst = new IngestFirst(SHARE_WHILE_INGESTING);
  #running: Promise<void> | undefined;
  #stopping = false;

  constructor(options: MappingWorkerOptions) {
    this.#options = options;
  }

  start(): void {
    this.#running ??= this.#loop();
  }

  /** Work has arrived: stop sleeping. */
  wake(): void {
    this.#signal.notify();
  }

  /** A request was stored: map it, after the requests arriving now are acknowledged. */
  stored(): void {
    this.#ingestFirst.arrived();
    this.#signal.notify();
  }

  /** Finishes the round in progress, then stops. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#signal.notify();
    await this.#running;
  }

  /**
   * Maps a round while the round before it commits, so that the mapping
   * thread and the store's writer work side by side (unless requests are
   * arriving: see `IngestFirst`). Commits stay one at a time and in order, so
   * what each commit records as mapped only ever moves forward.
   */
  async #loop(): Promise<void> {
    let committing: Promise<boolean> = Promise.resolve(true);
    while (!this.#stopping) {
      try {
        const started = performance.now();
        const round = await this.#mapRound();
        if (!(await committing)) {
          committing = Promise.resolve(true);
          await this.#signal.wait(ERROR_WAIT_MS);
        }
        if (!round) {
          await this.#signal.wait(IDLE_WAIT_MS);
          continue;
        }
        // Never rejects: a round that is not written loses nothing (its claims run out and are mapped again).
        committing = this.#commit(round).then(
          () => true,
          (error: unknown) => {
            this.#roundFailed(error);
            return false;
          },
        );
        if (!this.#ingestFirst.quiet()) {
          // Ingestion comes first: the commit counts in the round's share, so it is not overlapped.
          await committing;
          await this.#ingestFirst.rest(performance.now() - started);
        }
      } catch (error) {
        this.#roundFailed(error);
        await this.#signal.wait(ERROR_WAIT_MS);
      }
    }
    await committing;
  }

  /** Claims one round of requests and replays and maps them; undefined when there was nothing to do. */
  async #mapRound(): Promise<MappingCommit | undefined> {
    const { store, mappings } = this.#options;
    const replays = await store.claimReplays(REPLAYS_PER_ROUND);
    const requests = await claimRound(store);
    if (replays.length === 0 && requests.length === 0) return undefined;
    const [events, replacements] = await Promise.all([
      requests.length > 0 ? mappings.mapRequests(requests) : [],
      replays.length > 0 ? mappings.mapReplays(replays) : [],
    ]);
    return { requestIds: requests.map((request) => request.id), events, replacements };
  }

  /** Writes a mapped round, then reports its rejections and wakes delivery. */
  async #commit(round: MappingCommit): Promise<void> {
    const { store, metrics, logger } = this.#options;
    const result = await store.commitMapping(round);
    const duplicates = new Set(result.duplicates);
    metrics.eventsDuplicate.inc(result.duplicates.length);
    for (const event of round.events) {
      if (!duplicates.has(event.messageId)) this.#report(event.messageId, event.records);
    }
    for (const replacement of round.replacements)
      this.#report(`record ${replacement.id}`, replacement.records);
    if (round.replacements.length > 0) {
      const replayed = round.replacements.length;
      logger.info({ replayed }, `re-mapped ${replayed} replayed records`);
    }
    if (result.created > 0) this.#options.onMapped();
  }

  #roundFailed(error: unknown): void {
    this.#options.logger.error({ err: error }, "mapping round failed; retrying shortly");
  }

  #report(messageId: string, records: readonly NewRecord[]): void {
    for (const record of records) {
      if (record.kind !== "rejection") continue;
      this.#options.metrics.eventsRejected.inc({ code: record.reason.code });
      this.#options.logger.warn(
        { messageId, mapping: record.mapping, code: record.reason.code, path: record.reason.path },
        `rejected: ${record.reason.message}`,
      );
    }
  }
}

/** Requests up to `EVENTS_PER_ROUND` events (or `REQUESTS_PER_ROUND` requests), oldest first. */
async function claimRound(store: JobStore): Promise<StoredRequest[]> {
  const requests: StoredRequest[] = [];
  let events = 0;
  while (events < EVENTS_PER_ROUND && requests.length < REQUESTS_PER_ROUND) {
    const claimed = await store.claimRequests(REQUESTS_PER_CLAIM);
    requests.push(...claimed);
    for (const request of claimed) events += request.events;
    if (claimed.length < REQUESTS_PER_CLAIM) break;
  }
  return requests;
}
