import { StoreError } from "../../errors.js";

/** A request that would take the journal past `GWENMAP_MAX_STORE_MB`: a 503, try again later. */
export function noRoomError(held: number, bytes: number, retryAfterSeconds: number): StoreError {
  return new StoreError(
    "E_STORE_UNAVAILABLE",
    `The job store cannot take more now: the ingest journal holds ${held} bytes not mapped yet, and this request (${bytes} bytes) would pass GWENMAP_MAX_STORE_MB; try again later, or raise GWENMAP_MAX_STORE_MB.`,
    { retryAfterSeconds },
  );
}

/** A failed journal write is a 503: the disk is full or failing, and the client should try again. */
export function writeError(cause: unknown, retryAfterSeconds: number): StoreError {
  const code = (cause as { code?: unknown }).code;
  const reason = typeof code === "string" ? `${code}: ${(cause as Error).message}` : String(cause);
  return new StoreError(
    "E_STORE_UNAVAILABLE",
    `The job store cannot take more now (${reason}); free disk space in GWENMAP_DATA_DIR, or raise GWENMAP_MAX_STORE_MB.`,
    { cause, retryAfterSeconds },
  );
}
