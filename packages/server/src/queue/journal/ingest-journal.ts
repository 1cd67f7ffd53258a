import { closeSync, mkdirSync, openSync, readSync, unlinkSync } from "node:fs";
import type { IngestRequest, StoredRequest } from "../job-store.js";
import type { Leases } from "../leases/leases.js";
import { noRoomError, writeError } from "./append-errors.js";
import { JournalAppender } from "./journal-appender.js";
import { decodeEntry, encodeEntry } from "./journal-entry.js";
import { SEGMENT_MAGIC, type Segment } from "./journal-segment.js";
import { recoverJournal } from "./recover-journal.js";

/** A new segment is begun once the last one holds this much. */
const SEGMENT_BYTES = 64 * 1024 * 1024;
/** How much is read at once when handing requests out (a bigger entry is read on its own). */
const READ_CHUNK_BYTES = 128 * 1024;

export interface IngestJournalOptions {
  /** The directory of the segment files (created if missing). */
  readonly dir: string;
  /** Every entry up to this sequence number is mapped (the store keeps this number durably). */
  readonly mappedThrough: number;
  /** Claims of requests handed out, so that a request is not mapped twice at once. */
  readonly leases: Leases;
  /** `GWENMAP_MAX_STORE_MB`: the most bytes of requests not mapped yet; beyond it appends are refused. */
  readonly maxUnmappedBytes?: number;
  /** The `Retry-After` of the 503 a refused append becomes. */
  readonly retryAfterSeconds: number;
  readonly segmentBytes?: number;
}

/** A request handed out and not mapped yet, with its size in the journal. */
interface Outstanding {
  readonly bytes: number;
  readonly request: StoredRequest;
}

/**
 * The ingest journal: acknowledged requests, appended to segment files and
 * synced in groups, until the mapping worker has turned them into records.
 * An acknowledgement costs one sequential write and one `fdatasync` per group
 * rather than B-tree pages in SQLite. Requests are handed out in order;
 * which are mapped is one number kept in SQLite with the records they became
 * (`mappedThrough`), so a crash either keeps both or neither. Segments that
 * hold only mapped requests are deleted.
 */
export class IngestJournal {
  readonly #segments: Segment[];
  readonly #appender: JournalAppender;
  readonly #leases: Leases;
  readonly #options: IngestJournalOptions;
  /** Handed out and not mapped, lowest sequence number first (Map keeps insertion order). */
  readonly #outstanding = new Map<number, Outstanding>();
  readonly #readers = new Map<Segment, number>();
  /** Where the first request not handed out yet starts (no segment: none is written yet). */
  #next: Position;
  #unmappedEvents = 0;
  #unmappedBytes = 0;
  /** Bytes of appends not durable yet: they count towards `maxUnmappedBytes` already. */
  #appendingBytes = 0;

  private constructor(options: IngestJournalOptions, segments: Segment[], next: Position) {
    this.#segments = segments;
    this.#leases = options.leases;
    this.#options = options;
    this.#next = next;
    const last = segments.at(-1);
    this.#appender = new JournalAppender(
      {
        dir: options.dir,
        segmentBytes: options.segmentBytes ?? SEGMENT_BYTES,
        onSegment: (segment) => this.#segments.push(segment),
      },
      { ...(last ? { last } : {}), firstSeq: options.mappedThrough + 1 },
    );
  }

  /** Opens the journal, recovering it after a crash. Throws `StoreError` `E_STORE_OPEN` when it is corrupt. */
  static open(options: IngestJournalOptions): IngestJournal {
    mkdirSync(options.dir, { recursive: true });
    const recovered = recoverJournal(options.dir, options.mappedThrough);
    const last = recovered.segments.at(-1);
    const next: Position = recovered.firstUnmapped
      ? { ...recovered.firstUnmapped, seq: options.mappedThrough + 1 }
      : last
        ? { segment: last, offset: last.end, seq: last.firstSeq + last.entries }
        : { offset: SEGMENT_MAGIC.length, seq: options.mappedThrough + 1 };
    const journal = new IngestJournal(options, recovered.segments, next);
    journal.#unmappedEvents = recovered.unmappedEvents;
    journal.#unmappedBytes = recovered.unmappedBytes;
    return journal;
  }

  /** Events in requests not mapped yet. */
  get unmappedEvents(): number {
    return this.#unmappedEvents;
  }

  /**
   * Appends a request; resolves once it is durable. Rejects with `StoreError`
   * `E_STORE_UNAVAILABLE` when it would pass `maxUnmappedBytes` or the write fails.
   */
  async append(request: IngestRequest): Promise<void> {
    const entry = encodeEntry(request);
    const held = this.#unmappedBytes + this.#appendingBytes;
    const max = this.#options.maxUnmappedBytes;
    if (max !== undefined && held + entry.length > max) {
      throw noRoomError(held, entry.length, this.#options.retryAfterSeconds);
    }
    this.#appendingBytes += entry.length;
    try {
      await this.#appender.append(entry);
    } catch (cause) {
      throw writeError(cause, this.#options.retryAfterSeconds);
    } finally {
      this.#appendingBytes -= entry.length;
    }
    this.#unmappedEvents += request.events;
    this.#unmappedBytes += entry.length;
  }

  /**
   * Hands out up to `limit` requests that are not mapped and not claimed,
   * oldest first: claims that ran out or were released come before new ones.
   * They take up to `maxBytes` in the journal (the first one at least, if it fits).
   */
  claim(limit: number, maxBytes = Number.POSITIVE_INFINITY): StoredRequest[] {
    const claimed: StoredRequest[] = [];
    let bytes = 0;
    const take = (outstanding: Outstanding): boolean => {
      if (claimed.length >= limit || bytes + outstanding.bytes > maxBytes) return false;
      bytes += outstanding.bytes;
      this.#leases.take(outstanding.request.id);
      claimed.push(outstanding.request);
      return true;
    };
    for (const [seq, outstanding] of this.#outstanding) {
      if (this.#leases.held(seq)) continue;
      if (!take(outstanding)) return claimed;
    }
    while (claimed.length < limit) {
      const read = this.#readNext(limit - claimed.length);
      if (read.length === 0) break;
      for (const outstanding of read) {
        if (!take(outstanding)) return claimed;
        this.#outstanding.set(outstanding.request.id, outstanding);
        this.#advancePast(outstanding.bytes);
      }
    }
    return claimed;
  }

  /** The bytes a request handed out by `claim` takes in the journal. */
  bytesOf(seq: number): number {
    return this.#outstanding.get(seq)?.bytes ?? 0;
  }

  /**
   * The sequence number through which every request is mapped once `seqs`
   * are: the store commits it with their records. Requests handed out to
   * other, unfinished commits hold it back, so a failed commit loses nothing.
   */
  mappedThroughAfter(seqs: readonly number[]): number {
    const done = new Set(seqs);
    for (const seq of this.#outstanding.keys()) if (!done.has(seq)) return seq - 1;
    return this.#next.seq - 1;
  }

  /** After `seqs` are committed with `mappedThrough`: forgets them and deletes segments with nothing left to map. */
  mapped(seqs: readonly number[], mappedThrough: number): void {
    for (const seq of seqs) {
      const outstanding = this.#outstanding.get(seq);
      if (!outstanding) continue;
      this.#outstanding.delete(seq);
      this.#unmappedEvents -= outstanding.request.events;
      this.#unmappedBytes -= outstanding.bytes;
    }
    this.#leases.release(seqs);
    this.#deleteSegmentsThrough(mappedThrough);
  }

  /** When the oldest request not mapped yet was received. */
  oldestUnmappedAt(): number | undefined {
    const first = this.#outstanding.values().next();
    if (!first.done) return first.value.request.receivedAt;
    return this.#peek()?.receivedAt;
  }

  /** Waits for appends in flight, then closes every file. */
  async close(): Promise<void> {
    await this.#appender.close();
    for (const fd of this.#readers.values()) closeSync(fd);
    this.#readers.clear();
  }

  /** Moves `#next` past the entry of `bytes` it points at. */
  #advancePast(bytes: number): void {
    this.#next = { ...this.#next, offset: this.#next.offset + bytes, seq: this.#next.seq + 1 };
  }

  #peek(): StoredRequest | undefined {
    return this.#readNext(1)[0]?.request;
  }

  /** Reads up to `limit` durable entries at `#next` without moving past them. */
  #readNext(limit: number): Outstanding[] {
    this.#stepToWritten();
    const position = this.#next;
    const segment = position.segment;
    if (!segment || position.offset >= segment.end) return [];
    const fd = this.#reader(segment);
    let chunk = readChunk(
      fd,
      position.offset,
      Math.min(READ_CHUNK_BYTES, segment.end - position.offset),
    );
    const read: Outstanding[] = [];
    let offset = 0;
    while (read.length < limit && offset < chunk.length) {
      const decoded = decodeEntry(chunk, offset);
      if (decoded.kind === "partial") {
        if (read.length > 0 || decoded.bytes === undefined) break;
        // One entry larger than a chunk: read exactly it.
        chunk = readChunk(fd, position.offset, decoded.bytes);
        continue;
      }
      if (decoded.kind === "corrupt") {
        throw new Error(
          `the ingest journal ${segment.file} is corrupt at byte ${position.offset + offset}: ${decoded.problem}`,
        );
      }
      read.push({
        request: { id: position.seq + read.length, ...decoded.request },
        bytes: decoded.bytes,
      });
      offset += decoded.bytes;
    }
    return read;
  }

  /** Moves `#next` into the first segment once it exists, and on to the next segment at the end of one. */
  #stepToWritten(): void {
    const { segment, offset, seq } = this.#next;
    if (!segment) {
      const first = this.#segments.find((candidate) => candidate.firstSeq === seq);
      if (first) this.#next = { segment: first, offset: SEGMENT_MAGIC.length, seq };
      return;
    }
    if (offset < segment.end) return;
    const following = this.#segments[this.#segments.indexOf(segment) + 1];
    if (following?.firstSeq === seq) {
      this.#next = { segment: following, offset: SEGMENT_MAGIC.length, seq };
    }
  }

  #reader(segment: Segment): number {
    let fd = this.#readers.get(segment);
    if (fd === undefined) {
      fd = openSync(segment.file, "r");
      this.#readers.set(segment, fd);
    }
    return fd;
  }

  /** Deletes the segments, but the last, whose entries are all mapped through `mappedThrough`. */
  #deleteSegmentsThrough(mappedThrough: number): void {
    this.#stepToWritten();
    while (this.#segments.length > 1) {
      const oldest = this.#segments[0]!;
      if (oldest.firstSeq + oldest.entries - 1 > mappedThrough || oldest === this.#next.segment) {
        return;
      }
      this.#segments.shift();
      const fd = this.#readers.get(oldest);
      if (fd !== undefined) closeSync(fd);
      this.#readers.delete(oldest);
      // A file left by a failed unlink holds only mapped entries: the next start removes it.
      try {
        unlinkSync(oldest.file);
      } catch {}
    }
  }
}

/** A place in the journal: a segment (none before the first is written), a byte offset, and the entry's number. */
interface Position {
  readonly segment?: Segment;
  readonly offset: number;
  readonly seq: number;
}

function readChunk(fd: number, position: number, bytes: number): Buffer {
  const chunk = Buffer.allocUnsafe(bytes);
  const read = readSync(fd, chunk, 0, bytes, position);
  return read === bytes ? chunk : chunk.subarray(0, read);
}
