import {
  closeSync,
  fdatasyncSync,
  openSync,
  readFileSync,
  truncateSync,
  unlinkSync,
} from "node:fs";
import { StoreError } from "../../errors.js";
import { decodeEntry, entryBytesAt, isPrefilled } from "./journal-entry.js";
import { listSegmentFiles, SEGMENT_MAGIC, type Segment } from "./journal-segment.js";

/** What the journal holds after a start: its segments and what in them is not mapped yet. */
export interface RecoveredJournal {
  readonly segments: Segment[];
  readonly unmappedEvents: number;
  readonly unmappedBytes: number;
  /** Bytes cut off the end of the last segment: a write that was never acknowledged. */
  readonly tornBytes: number;
  /** Where the first entry not mapped yet starts, if there is one. */
  readonly firstUnmapped?: { readonly segment: Segment; readonly offset: number };
}

/**
 * Reads every segment at start. Entries up to `mappedThrough` are skipped;
 * the others are checked and counted. The last segment's entries may be
 * followed by zeros written ahead of them, which stay for the appends to
 * come, or by a write torn by a crash before its sync: such a write was never
 * acknowledged, so it is cut off. A bad entry anywhere else is corruption of
 * acknowledged requests, and the store refuses to start rather than lose them.
 * Segments that hold only mapped entries are removed (left by a crash).
 * What recovery keeps of the last segment is synced before anything is
 * handed out: entries a crashed process wrote but never synced may still be
 * only in the page cache, and once mapped they must not vanish in a power cut
 * (the entries after them would then take their numbers).
 */
export function recoverJournal(dir: string, mappedThrough: number): RecoveredJournal {
  const files = listSegmentFiles(dir);
  const segments: Segment[] = [];
  let unmappedEvents = 0;
  let unmappedBytes = 0;
  let tornBytes = 0;
  let firstUnmapped: RecoveredJournal["firstUnmapped"];
  files.forEach(({ firstSeq, file }, index) => {
    const last = index === files.length - 1;
    const content = readFileSync(file);
    const segment: Segment = { firstSeq, file, end: SEGMENT_MAGIC.length, entries: 0 };
    if (!content.subarray(0, SEGMENT_MAGIC.length).equals(SEGMENT_MAGIC)) {
      if (last && SEGMENT_MAGIC.subarray(0, content.length).equals(content)) {
        // Created, but the crash came before its first entry was written.
        tornBytes += content.length;
        unlinkSync(file);
        return;
      }
      throw corrupt(file, 0, "it does not start as a gwenmap journal segment");
    }
    while (segment.end < content.length) {
      if (last && isPrefilled(content, segment.end)) break;
      const seq = firstSeq + segment.entries;
      if (seq <= mappedThrough) {
        const bytes = entryBytesAt(content, segment.end);
        if (bytes === undefined || segment.end + bytes > content.length) break;
        segment.end += bytes;
        segment.entries += 1;
        continue;
      }
      const decoded = decodeEntry(content, segment.end);
      if (decoded.kind !== "entry") break;
      firstUnmapped ??= { segment, offset: segment.end };
      unmappedEvents += decoded.request.events;
      unmappedBytes += decoded.bytes;
      segment.end += decoded.bytes;
      segment.entries += 1;
    }
    if (segment.end < content.length && !(last && allZeros(content, segment.end))) {
      const problem = describeStop(content, segment.end);
      if (!last) throw corrupt(file, segment.end, problem);
      tornBytes += content.length - segment.end;
      truncateSync(file, segment.end);
    }
    if (!last && firstSeq + segment.entries - 1 <= mappedThrough) {
      unlinkSync(file);
      return;
    }
    segments.push(segment);
  });
  checkContinuity(segments);
  checkStart(segments, mappedThrough);
  syncLast(segments);
  return {
    segments,
    unmappedEvents,
    unmappedBytes,
    tornBytes,
    ...(firstUnmapped ? { firstUnmapped } : {}),
  };
}

/** Syncs what is kept of the last segment (see `recoverJournal`). */
function syncLast(segments: readonly Segment[]): void {
  const last = segments.at(-1);
  if (!last) return;
  const fd = openSync(last.file, "r+");
  try {
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

const ZERO_CHUNK = Buffer.alloc(64 * 1024);

function allZeros(content: Buffer, from: number): boolean {
  for (let at = from; at < content.length; at += ZERO_CHUNK.length) {
    const part = content.subarray(at, at + ZERO_CHUNK.length);
    if (!part.equals(ZERO_CHUNK.subarray(0, part.length))) return false;
  }
  return true;
}

function describeStop(content: Buffer, offset: number): string {
  const decoded = decodeEntry(content, offset);
  if (decoded.kind === "corrupt") return decoded.problem;
  return "the file ends inside an entry";
}

/** Each segment must start where the one before it ends: a missing file means lost requests. */
function checkContinuity(segments: readonly Segment[]): void {
  for (let index = 1; index < segments.length; index++) {
    const before = segments[index - 1]!;
    const segment = segments[index]!;
    if (before.firstSeq + before.entries !== segment.firstSeq) {
      throw corrupt(
        segment.file,
        0,
        `the segment before it ends at entry ${before.firstSeq + before.entries - 1}, so entries are missing`,
      );
    }
  }
}

/** The first segment must begin at or before the first entry not mapped yet. */
function checkStart(segments: readonly Segment[], mappedThrough: number): void {
  const first = segments[0];
  if (first && first.firstSeq > mappedThrough + 1) {
    throw corrupt(
      first.file,
      0,
      `the store has mapped the requests up to ${mappedThrough}, but this first segment starts at ${first.firstSeq}, so requests are missing`,
    );
  }
}

function corrupt(file: string, offset: number, problem: string): StoreError {
  return new StoreError(
    "E_STORE_OPEN",
    `The ingest journal ${file} is corrupt at byte ${offset}: ${problem}. It holds acknowledged requests, so the server does not start without them: restore the file from a backup, or move it away to start without its requests.`,
  );
}
