/**
 * Sizes of the SQLite store that follow the size of its disk, so that a
 * small disk (a container's volume) works as well as a large one.
 */

const MB = 1024 * 1024;

/**
 * The default reserve: 5 % of the disk, at least 16 MB and at most 1 GB,
 * but never more than a quarter of the disk. What the store needs for its own
 * work is a few WAL checkpoints' worth (see `walLimitBytes`); the rest is
 * time for an operator to act before the disk is full.
 */
export function defaultReserveBytes(totalBytes: number): number {
  const share = Math.min(Math.max(totalBytes * 0.05, 16 * MB), 1024 * MB);
  return Math.floor(Math.min(share, totalBytes / 4));
}

/**
 * The journal's segment size: a 64th of the disk, from 1 MB to 64 MB. Only
 * whole segments are deleted once mapped, so on a small disk a 64 MB segment
 * would hold on to more than the disk has.
 */
export function journalSegmentBytes(totalBytes: number): number {
  return Math.floor(Math.min(Math.max(totalBytes / 64, MB), 64 * MB));
}

/**
 * How large the SQLite WAL may grow before a checkpoint copies it back and
 * truncates it: a quarter of the reserve, from 1 MB to 8 MB (8 MB is SQLite's
 * default of 1,000 pages at gwenmap's 8 KB pages).
 */
export function walLimitBytes(reserveBytes: number): number {
  return Math.floor(Math.min(Math.max(reserveBytes / 4, MB), 8 * MB));
}
