import { StoreError } from "../../errors.js";
import type { DiskState } from "./disk-budget.js";

/** The 503 of an event refused because free space in the data directory is below the reserve. */
export function diskLowError(state: DiskState, retryAfterSeconds: number): StoreError {
  return new StoreError(
    "E_DISK_LOW",
    `Free space in ${state.dir} is ${megabytes(state.freeBytes)} (and ${megabytes(state.reusableBytes)} free inside queue.sqlite), below the reserve of ${megabytes(state.reserveBytes)} the queue keeps for its own work: events are taken again once ${megabytes(state.resumeBytes)} are free (at least half of it on the disk itself). Try again later; free disk space there, or move GWENMAP_DATA_DIR to a larger disk (GWENMAP_DISK_RESERVE_MB sets the reserve).`,
    { retryAfterSeconds },
  );
}

/** Bytes as megabytes with one decimal, for messages and logs. */
export function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}
