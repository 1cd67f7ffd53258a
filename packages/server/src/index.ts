/**
 * @gwenmap/server: Segment-compatible ingestion with durable, retried
 * delivery to GWEN. `startServer` runs it; `main.js` runs it from
 * environment variables; the `JobStore` interface and its SQLite and
 * PostgreSQL implementations are the queue.
 */

export { parseDuration } from "./config/parse-duration.js";
export { type Environment, resolveConfig } from "./config/resolve-config.js";
export {
  DEFAULTS,
  DEV_WRITE_KEY,
  type ServerConfig,
  type ServerOptions,
} from "./config/server-options.js";
export {
  ConfigError,
  RequestError,
  ServerError,
  type ServerErrorCode,
  StoreError,
} from "./errors.js";
export type { ErrorAnswer } from "./http/error-handler.js";
export { BATCH_BODY_LIMIT, SINGLE_BODY_LIMIT } from "./http/ingest-routes.js";
export { createLogger } from "./logging/create-logger.js";
export type { ReloadResult } from "./mappings/mapping-set.js";
export type {
  ClaimedDelivery,
  FailureCode,
  FailurePage,
  FailureQuery,
  FailureReason,
  FailureRecord,
  FailureState,
  IngestRequest,
  JobStore,
  JobStoreOptions,
  MappedEvent,
  MappingCommit,
  MappingCommitResult,
  NewRecord,
  QueueStats,
  Replacement,
  ReplayRecord,
  ReplaySelector,
  RequestKind,
  Settlement,
  StoredRequest,
} from "./queue/job-store.js";
export { GlobalRateLimiter } from "./queue/postgres/global-rate-limiter.js";
export {
  PostgresJobStore,
  type PostgresJobStoreOptions,
} from "./queue/postgres/postgres-job-store.js";
export {
  SqliteJobStore,
  type SqliteJobStoreOptions,
  STORE_FILE,
} from "./queue/sqlite/sqlite-job-store.js";
export { type RunningServer, startServer } from "./server/start-server.js";
