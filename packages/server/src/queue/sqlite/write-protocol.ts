import type {
  FailureState,
  MappingCommit,
  MappingCommitResult,
  ReplaySelector,
  Settlement,
} from "../job-store.js";

/** What the writer thread is asked to do; each message is one operation. */
export type WriteOperation =
  | {
      readonly op: "commitMapping";
      readonly commit: MappingCommit;
      readonly now: number;
      /** Message ids seen before this time no longer count as duplicates. */
      readonly dedupeCutoff: number;
      /** Every journal entry up to this one is mapped once this commit is. */
      readonly journalMappedThrough: number;
    }
  /** Requests a store of schema version 1 held in SQLite, removed once they are in the journal. */
  | { readonly op: "dropLegacyRequests"; readonly ids: readonly number[] }
  | { readonly op: "settle"; readonly settlements: readonly Settlement[]; readonly now: number }
  | { readonly op: "replay"; readonly selector: ReplaySelector; readonly now: number }
  | { readonly op: "cleanup"; readonly cutoff: number; readonly limit: number }
  /** Checkpoints the WAL and truncates it once the group has committed, giving its space back to the disk. */
  | { readonly op: "checkpoint" };

/** Changes to the store's counts caused by one operation, so the main thread need not count rows. */
export interface CountDelta {
  pendingDeliveries?: number;
  dead?: number;
  rejected?: number;
  replaying?: number;
}

/** What a mapping commit answers inside the SQLite store: the result, and the ids the `DeliveryFeed` needs. */
export interface CommittedMapping extends MappingCommitResult {
  /** One entry per record of each event, in order: its row id if it is a delivery now pending, else 0. */
  readonly deliveryIds: readonly number[];
}

/** The value each operation answers. */
export interface OperationValues {
  dropLegacyRequests: undefined;
  commitMapping: CommittedMapping;
  settle: undefined;
  replay: number;
  cleanup: number;
  checkpoint: undefined;
}

export interface WriteRequest {
  readonly seq: number;
  readonly operation: WriteOperation;
}

export type WriteResult =
  | { readonly seq: number; readonly ok: true; readonly value: unknown; readonly delta: CountDelta }
  | {
      readonly seq: number;
      readonly ok: false;
      /** The SQLite error code (`SQLITE_FULL`, `SQLITE_IOERR`, ...) when there is one. */
      readonly sqliteCode?: string;
      readonly message: string;
    };

/** Messages from the writer thread. */
export type WriterMessage =
  | { readonly type: "ready" }
  | { readonly type: "failed"; readonly message: string; readonly sqliteCode?: string }
  | { readonly type: "results"; readonly results: readonly WriteResult[] };

export interface WriterSettings {
  readonly file: string;
  readonly maxStoreBytes?: number;
  /** The WAL is checkpointed, and truncated back, once it holds this much (see `walLimitBytes`). */
  readonly walLimitBytes: number;
}

export type { FailureState };
