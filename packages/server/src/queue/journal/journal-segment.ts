import { readdirSync } from "node:fs";
import { join } from "node:path";

/** The first bytes of every segment file: what it is, and the format's version. */
export const SEGMENT_MAGIC = Buffer.from("GWENMAP-JOURNAL1\n");

const SEGMENT_NAME = /^(\d{16})\.journal$/;

/**
 * One file of the journal. Its name is the sequence number of its first
 * entry; the entries that follow are numbered on from there, so numbers are
 * never written down and a torn write cannot leave a gap.
 */
export interface Segment {
  readonly firstSeq: number;
  readonly file: string;
  /** Bytes that are durable (written and synced); entries are read only up to here. */
  end: number;
  /** Entries up to `end`. */
  entries: number;
}

export function segmentFile(dir: string, firstSeq: number): string {
  return join(dir, `${String(firstSeq).padStart(16, "0")}.journal`);
}

/** The segment files in `dir`, oldest first; other files are left alone. */
export function listSegmentFiles(dir: string): { firstSeq: number; file: string }[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const match = SEGMENT_NAME.exec(name);
      return match?.[1] ? [{ firstSeq: Number(match[1]), file: join(dir, name) }] : [];
    })
    .sort((a, b) => a.firstSeq - b.firstSeq);
}

/** The sequence number after the segment's last entry. */
export function nextSeqOf(segment: Segment): number {
  return segment.firstSeq + segment.entries;
}
