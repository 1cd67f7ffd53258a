import {
  closeSync,
  fdatasync,
  fdatasyncSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  writevSync,
} from "node:fs";
import { dirname } from "node:path";
import { promisify } from "node:util";
import { crashPoint } from "../../faults/crash-point.js";
import { nextSeqOf, SEGMENT_MAGIC, type Segment, segmentFile } from "./journal-segment.js";

const syncData = promisify(fdatasync);
/** Below the kernel's IOV_MAX (1024). */
const MAX_BUFFERS_PER_WRITE = 512;
/**
 * Zeros are kept written ahead of the entries: once fewer than
 * `PREFILL_LOW_BYTES` are left, up to `PREFILL_AHEAD_BYTES` more. An entry
 * then lands in blocks that exist already and leaves the file's size alone,
 * so most syncs have no metadata to commit (see `#prefill`).
 */
const PREFILL_LOW_BYTES = 1024 * 1024;
const PREFILL_AHEAD_BYTES = 4 * 1024 * 1024;
const ZEROS = Buffer.alloc(1024 * 1024);

interface Waiting {
  resolve(): void;
  reject(error: unknown): void;
}

export interface JournalAppenderOptions {
  readonly dir: string;
  /** A segment this size or larger is closed and the next append starts a new one. */
  readonly segmentBytes: number;
  /** Called with each new segment, before anything is read from it. */
  readonly onSegment: (segment: Segment) => void;
}

/**
 * Appends entries to the last segment. Each entry is written at once (into
 * the page cache: a copy, not a wait for the disk); what makes it durable is
 * an `fdatasync` on libuv's thread pool, shared by every entry written before
 * it began. While one sync runs, new entries queue for the next, so a busy
 * journal syncs back to back with ever larger groups, and an append resolves
 * only once its bytes are on disk. A segment's `end` moves only past synced
 * bytes, which is all the reader hands out.
 */
export class JournalAppender {
  readonly #options: JournalAppenderOptions;
  readonly #firstSeq: number;
  #segment: Segment | undefined;
  #fd: number | undefined;
  /** Bytes and entries of the last segment written so far, synced or not. */
  #written = { bytes: 0, entries: 0 };
  /** The last segment's size: entries, then the zeros written ahead of them. */
  #prepared = 0;
  /** Entries queued this turn, written together at its end. */
  #unwritten: (Waiting & { readonly entry: Buffer })[] = [];
  /** Entries written and waiting for a sync. */
  #waiting: Waiting[] = [];
  #syncing: Promise<void> | undefined;

  /**
   * Appends go on after `last`, the segment recovery found at the end; with
   * none, the first segment starts at `firstSeq`.
   */
  constructor(options: JournalAppenderOptions, start: { last?: Segment; firstSeq: number }) {
    this.#options = options;
    this.#firstSeq = start.firstSeq;
    this.#segment = start.last;
    if (start.last) this.#written = { bytes: start.last.end, entries: start.last.entries };
  }

  /** Queues `entry`; resolves once it is durable. */
  append(entry: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#unwritten.push({ entry, resolve, reject });
      if (this.#unwritten.length === 1) setImmediate(() => this.#writeQueued());
    });
  }

  /**
   * Writes the entries queued during this turn of the event loop with one
   * system call, then queues them for the next sync. A write that fails
   * leaves nothing behind and refuses only its own entries.
   */
  #writeQueued(): void {
    const queued = this.#unwritten;
    this.#unwritten = [];
    const entries = queued.map((waiting) => waiting.entry);
    try {
      const fd = this.#writable();
      writeAll(fd, entries, this.#written.bytes);
    } catch (error) {
      // Entries written before these wait for a sync: only these bytes go.
      this.#cutTo(this.#written);
      for (const waiting of queued) waiting.reject(error);
      return;
    }
    crashPoint("ingest-commit");
    const bytes = entries.reduce((sum, entry) => sum + entry.length, 0);
    this.#written = {
      bytes: this.#written.bytes + bytes,
      entries: this.#written.entries + entries.length,
    };
    this.#prefill();
    this.#waiting.push(...queued);
    this.#syncing ??= this.#syncLoop();
  }

  /** Waits until everything appended is durable (or has failed), then closes the file without its zeros. */
  async close(): Promise<void> {
    if (this.#unwritten.length > 0) this.#writeQueued();
    await this.#syncing;
    if (this.#fd === undefined) return;
    this.#cutTo(this.#written);
    closeSync(this.#fd);
    this.#fd = undefined;
  }

  async #syncLoop(): Promise<void> {
    while (this.#waiting.length > 0) {
      const group = this.#waiting;
      this.#waiting = [];
      const segment = this.#segment!;
      const written = this.#written;
      try {
        await syncData(this.#fd!);
      } catch (error) {
        this.#fail(error, group);
        continue;
      }
      // A full segment sealed meanwhile has its end already.
      if (segment === this.#segment) {
        segment.end = written.bytes;
        segment.entries = written.entries;
      }
      for (const waiting of group) waiting.resolve();
    }
    this.#syncing = undefined;
  }

  /**
   * A failed sync leaves every unsynced byte in doubt: all of them are cut
   * off and refused, those queued for the next sync included.
   */
  #fail(error: unknown, group: readonly Waiting[]): void {
    const refused = [...group, ...this.#waiting];
    this.#waiting = [];
    const segment = this.#segment;
    if (segment) this.#cutTo({ bytes: segment.end, entries: segment.entries });
    for (const waiting of refused) waiting.reject(error);
  }

  /** Cuts the last segment back to `written`, where the next entry is then written. */
  #cutTo(written: { bytes: number; entries: number }): void {
    this.#written = written;
    this.#prepared = written.bytes;
    if (this.#fd === undefined) return;
    try {
      ftruncateSync(this.#fd, written.bytes);
    } catch {
      // The next write lands at the same place all the same; recovery cuts whatever stays after it.
    }
  }

  /** The file to write to: the last segment's, or a new segment's when it is full or there is none. */
  #writable(): number {
    const current = this.#segment;
    if (!current) return this.#begin(this.#firstSeq);
    // The segment recovery found last is opened too when it is full: sealing cuts the zeros it may end with.
    if (this.#fd === undefined) {
      this.#fd = openSync(current.file, "r+");
      this.#prepared = fstatSync(this.#fd).size;
    }
    if (this.#written.bytes < this.#options.segmentBytes) return this.#fd;
    this.#seal(current);
    return this.#begin(nextSeqOf(current));
  }

  /**
   * Makes what was written to a full segment durable now (a blocking sync,
   * once per segment) so that the segment is complete before the next one begins.
   */
  #seal(segment: Segment): void {
    if (this.#fd === undefined) return;
    // Recovery reads a segment that is not the last one to its very end: no zeros may stay after its entries.
    ftruncateSync(this.#fd, this.#written.bytes);
    fdatasyncSync(this.#fd);
    segment.end = this.#written.bytes;
    segment.entries = this.#written.entries;
    const group = this.#waiting;
    this.#waiting = [];
    for (const waiting of group) waiting.resolve();
    // A sync in flight still uses the descriptor: close it once that is done.
    const fd = this.#fd;
    this.#fd = undefined;
    void (this.#syncing ?? Promise.resolve()).then(() => closeSync(fd));
  }

  /** Begins the segment whose first entry is `firstSeq`; its name is made durable before use. */
  #begin(firstSeq: number): number {
    const path = segmentFile(this.#options.dir, firstSeq);
    const fd = openSync(path, "w");
    try {
      writeAll(fd, [SEGMENT_MAGIC], 0);
      fdatasyncSync(fd);
      syncDirectory(dirname(path));
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    const segment: Segment = { firstSeq, file: path, end: SEGMENT_MAGIC.length, entries: 0 };
    this.#segment = segment;
    this.#fd = fd;
    this.#written = { bytes: segment.end, entries: 0 };
    this.#prepared = segment.end;
    this.#prefill();
    this.#options.onSegment(segment);
    return fd;
  }

  /**
   * Keeps zeros written ahead of the entries (see `PREFILL_AHEAD_BYTES`); the
   * sync of the entries that follow makes them durable too. Only a speed-up:
   * a prefill that fails (a full disk) leaves entries to extend the file as
   * they would without it.
   */
  #prefill(): void {
    const fd = this.#fd;
    if (fd === undefined || this.#prepared - this.#written.bytes >= PREFILL_LOW_BYTES) return;
    const until = Math.min(this.#written.bytes + PREFILL_AHEAD_BYTES, this.#options.segmentBytes);
    try {
      while (this.#prepared < until) {
        const at = Math.max(this.#prepared, this.#written.bytes);
        const bytes = Math.min(ZEROS.length, until - at);
        if (bytes <= 0) return;
        writeAll(fd, [ZEROS.subarray(0, bytes)], at);
        this.#prepared = at + bytes;
      }
    } catch {
      // What was written is zeros beyond the entries, which recovery reads as free space.
      this.#prepared = Number.POSITIVE_INFINITY;
    }
  }
}

function writeAll(fd: number, buffers: readonly Buffer[], position: number): void {
  let pending = buffers;
  let at = position;
  while (pending.length > 0) {
    let written = writevSync(fd, pending.slice(0, MAX_BUFFERS_PER_WRITE), at);
    at += written;
    const rest: Buffer[] = [];
    for (const buffer of pending) {
      if (written >= buffer.length) {
        written -= buffer.length;
        continue;
      }
      rest.push(written > 0 ? buffer.subarray(written) : buffer);
      written = 0;
    }
    pending = rest;
  }
}

function syncDirectory(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
