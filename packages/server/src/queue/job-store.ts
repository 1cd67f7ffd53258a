import type { RejectionCode } from "@gwenmap/core";
import type {
  DeliveryFailureCode,
  OutcomeKind,
  PreparedVariables,
  UnpreparableCode,
} from "@gwenmap/gwen-adapter";

/**
 * The durable queue between ingestion, mapping and delivery. Two kinds of
 * record live in it: ingest *requests* (the body of one acknowledged HTTP
 * request, holding one or many events, not yet mapped) and *records* (one
 * mapping's output for one event: a delivery to make, or a failure kept with
 * its reason). Every method is asynchronous so that a networked database can
 * implement it; the shared test suite (`test-job-store-suite.ts`) is the
 * contract every implementation must pass unchanged.
 */
export interface JobStore {
  /**
   * Stores one acknowledged request. Resolves only once it is committed
   * durably (writes are grouped: many requests, one transaction). Rejects with
   * `StoreError` `E_QUEUE_FULL` when the store already holds `maxQueueDepth`
   * events, `E_DISK_LOW` when free space on its disk is below the reserve
   * (stores that keep a disk budget), `E_STORE_UNAVAILABLE` when the write
   * fails, `E_STORE_CLOSED` after `close()`.
   */
  appendRequest(request: IngestRequest): Promise<void>;
  /** Leases up to `limit` unmapped requests, oldest first, for `leaseMs`. */
  claimRequests(limit: number): Promise<StoredRequest[]>;
  /**
   * In one transaction: removes mapped requests, drops events whose
   * `messageId` was seen within the dedupe window, writes the records of the
   * others, and replaces replayed records with what their events map to now.
   */
  commitMapping(commit: MappingCommit): Promise<MappingCommitResult>;
  /** Leases up to `limit` pending deliveries that are due, earliest first, for `leaseMs`. */
  claimDeliveries(limit: number): Promise<ClaimedDelivery[]>;
  /** Extends the leases of deliveries still being sent. */
  renewLeases(ids: readonly number[]): Promise<void>;
  /** Records what became of leased deliveries and ends their leases. */
  settleDeliveries(settlements: readonly Settlement[]): Promise<void>;
  /** When the next pending delivery that is not leased falls due (ms since epoch), if any. */
  nextDueAt(): Promise<number | undefined>;
  /** Dead and rejected records, oldest first, with their reasons. */
  listFailures(query?: FailureQuery): Promise<FailurePage>;
  /** Marks dead or rejected records for replay; answers how many. The mapping worker then re-maps them. */
  requestReplay(selector: ReplaySelector): Promise<number>;
  /** Leases up to `limit` records marked for replay. */
  claimReplays(limit: number): Promise<ReplayRecord[]>;
  /** Counts of what the store holds, for metrics, health and back-pressure. */
  stats(): Promise<QueueStats>;
  /** Removes dedupe entries older than the window, in bounded batches; answers how many. */
  cleanup(): Promise<number>;
  /** Finishes pending writes and closes. Later calls reject with `E_STORE_CLOSED`. */
  close(): Promise<void>;
}

/** The endpoint a request came in on. Single-call endpoints imply the event's `type`. */
export type RequestKind =
  | "track"
  | "identify"
  | "page"
  | "screen"
  | "group"
  | "alias"
  | "batch"
  | "webhook";

/** One acknowledged HTTP request, stored as received and split into events later. */
export interface IngestRequest {
  /** A random id given at ingest; an event without `messageId` gets `gwenmap-<requestId>-<index>`. */
  readonly requestId: string;
  readonly kind: RequestKind;
  /** When it was received, in ms since the epoch (the events' `receivedAt`). */
  readonly receivedAt: number;
  /** Which write key let it in: its position in the configured list, never the key itself. */
  readonly source: string;
  /** How many events it holds (for queue depth). */
  readonly events: number;
  /** The JSON body, exactly as received. */
  readonly body: string;
  /**
   * The address the request came from (the client's, by `X-Forwarded-For`,
   * when the proxy in front is trusted): `context.ip` of the events Segment
   * fills it for. Absent in requests stored by earlier versions.
   */
  readonly clientIp?: string;
}

/** A request as stored, with the store's id. */
export interface StoredRequest extends IngestRequest {
  readonly id: number;
}

/**
 * Why a record failed: the engine's rejection code (`E_PAYLOAD_INVALID`, ...),
 * the adapter's delivery policy's (`E_DELIVERY_PERMANENT`, ...), or why the
 * adapter cannot send a payload (`E_UNKNOWN_ACTION`, ...).
 */
export type FailureCode = RejectionCode | DeliveryFailureCode | UnpreparableCode;

/** Why a record failed: a rejection by the mapping engine, or the last outcome of a dead delivery. */
export interface FailureReason {
  readonly code: FailureCode;
  readonly message: string;
  /** For delivery failures: the kind of GWEN's last answer. */
  readonly outcome?: OutcomeKind;
  /** For delivery failures: GWEN's HTTP status, when there was an answer. */
  readonly status?: number;
  /** JSON pointer of the offending field. */
  readonly path?: string;
  readonly violations?: readonly { readonly path: string; readonly message: string }[];
  readonly jsonataCode?: string;
}

/** What one mapping produced for one event: a delivery to send, or a rejection to keep. */
export type NewRecord =
  | {
      readonly kind: "delivery";
      readonly mapping: string;
      readonly action: string;
      /**
       * The payload as the adapter's prepared variables (JSON text): both
       * stores write it as text, text crosses from the mapping thread to the
       * store's writer several times cheaper than the object would, and it
       * goes into GWEN's request as it is.
       */
      readonly variables: PreparedVariables;
    }
  | {
      readonly kind: "rejection";
      /** Absent when the event itself is invalid. */
      readonly mapping?: string;
      readonly action?: string;
      readonly reason: FailureReason;
    };

/** One event of a mapped request, with everything its mappings produced. */
export interface MappedEvent {
  readonly messageId: string;
  readonly receivedAt: number;
  /** The event as stamped (JSON text): kept with each record so that a replay can re-map it. */
  readonly event: string;
  /** May be empty: the event is then only remembered for deduplication. */
  readonly records: readonly NewRecord[];
}

/** A replayed record and what its event maps to now (empty: the mapping no longer fires). */
export interface Replacement {
  readonly id: number;
  readonly records: readonly NewRecord[];
}

export interface MappingCommit {
  readonly requestIds: readonly number[];
  readonly events: readonly MappedEvent[];
  readonly replacements: readonly Replacement[];
}

export interface MappingCommitResult {
  /** The `messageId`s dropped as duplicates. */
  readonly duplicates: readonly string[];
  /** Records written (deliveries and rejections, replacements included). */
  readonly created: number;
}

/** A leased delivery, ready to send. */
export interface ClaimedDelivery {
  readonly id: number;
  readonly messageId: string;
  readonly mapping: string;
  readonly action: string;
  /** The payload as prepared at mapping time, spliced into GWEN's request without parsing. */
  readonly variables: PreparedVariables;
  /** Attempts already made (0 for the first). */
  readonly attempts: number;
  readonly receivedAt: number;
  /** When its retry window started: when it was created, or last replayed. */
  readonly windowStart: number;
}

/**
 * What became of a leased delivery. `retry` and `dead` count an attempt;
 * `released` does not (delivery paused or shutting down): it is due again at once.
 */
export type Settlement =
  | { readonly id: number; readonly result: "delivered" }
  | {
      readonly id: number;
      readonly result: "retry";
      readonly nextAttemptAt: number;
      readonly reason: FailureReason;
    }
  | { readonly id: number; readonly result: "dead"; readonly reason: FailureReason }
  | { readonly id: number; readonly result: "released"; readonly reason?: FailureReason };

export type FailureState = "dead" | "rejected";

/** A dead or rejected record, as the admin endpoints list it. */
export interface FailureRecord {
  readonly id: number;
  readonly state: FailureState | "replay";
  readonly messageId: string;
  readonly receivedAt: number;
  readonly mapping?: string;
  readonly action?: string;
  readonly attempts: number;
  readonly reason: FailureReason;
  readonly updatedAt: number;
  readonly event: Record<string, unknown>;
}

export interface FailureQuery {
  readonly state?: FailureState;
  readonly mapping?: string;
  /** At most this many (default 100, at most 1000). */
  readonly limit?: number;
  /** Only ids above this one: pass the previous page's `nextAfterId`. */
  readonly afterId?: number;
}

export interface FailurePage {
  readonly items: readonly FailureRecord[];
  /** Set when there may be more. */
  readonly nextAfterId?: number;
}

/** Which failures to replay; `state` narrows `all` and `mapping` to dead or rejected ones. */
export type ReplaySelector =
  | { readonly all: true; readonly state?: FailureState }
  | { readonly mapping: string; readonly state?: FailureState }
  | { readonly ids: readonly number[] };

/** A record marked for replay: its event, and the mapping it came from (none: the whole event). */
export interface ReplayRecord {
  readonly id: number;
  readonly messageId: string;
  readonly receivedAt: number;
  readonly mapping?: string;
  readonly event: Record<string, unknown>;
}

export interface QueueStats {
  /** Events in requests not yet mapped. */
  readonly unmappedEvents: number;
  /** Deliveries waiting or being sent. */
  readonly pendingDeliveries: number;
  readonly dead: number;
  readonly rejected: number;
  readonly replaying: number;
  /** When the oldest event not yet delivered was received (ms since epoch), if any. */
  readonly oldestPendingAt?: number;
  /** The disk of a store that keeps its queue in a data directory (SQLite), and its budget. */
  readonly disk?: DiskStats;
}

/** Free space on the disk of the data directory, against the reserve the store keeps. */
export interface DiskStats {
  readonly freeBytes: number;
  readonly reserveBytes: number;
  /** Set while new events are refused because free space is below the reserve: why, and what to do. */
  readonly refusingBecause?: string;
}

/** Settings every implementation takes. */
export interface JobStoreOptions {
  /** Most events held (unmapped plus pending deliveries) before `appendRequest` refuses. */
  readonly maxQueueDepth: number;
  /** How long a `messageId` is remembered for deduplication, in ms. */
  readonly dedupeWindowMs: number;
  /** How long a claim lasts before another worker may take the job, in ms. */
  readonly leaseMs: number;
  /** The `Retry-After` (seconds) given with `E_QUEUE_FULL` and `E_STORE_UNAVAILABLE`. */
  readonly retryAfterSeconds: number;
  /** The current time in ms; tests pass a controllable clock. */
  readonly clock?: () => number;
}
