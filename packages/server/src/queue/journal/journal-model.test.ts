/**
 * The ingest journal against a model: random sequences of appends, syncs,
 * segment rolls (small segments roll often), mapping progress and crashes at
 * arbitrary byte offsets (torn writes, lost or garbled unsynced tails,
 * deleted segments that come back), each crash followed by recovery. After
 * every recovery, what the journal hands out must be exactly a prefix of what
 * was appended and not mapped, in order, holding every entry whose sync was
 * acknowledged: nothing acknowledged is lost or handed out twice, and nothing
 * never appended appears.
 *
 * `GWENMAP_JOURNAL_MODEL_RUNS` sets the number of runs (default 3,000, about
 * 10 s on two cores); `npm run test:journal-model -w @gwenmap/server` runs 50,000.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import fc from "fast-check";
import { describe, it } from "vitest";
import type { IngestRequest } from "../job-store.js";
import { Leases } from "../leases/leases.js";
import { IngestJournal } from "./ingest-journal.js";
import { entryBytesAt } from "./journal-entry.js";
import { listSegmentFiles, SEGMENT_MAGIC } from "./journal-segment.js";

const RUNS = Number(process.env.GWENMAP_JOURNAL_MODEL_RUNS ?? 3_000);
/** On a tmpfs where there is one: syncs then cost nothing, and thousands of runs fit in CI. */
const ROOT = existsSync("/dev/shm") ? "/dev/shm" : tmpdir();

/** One appended request, as the model knows it: acknowledged once its append resolved. */
interface Appended {
  readonly body: string;
  readonly events: number;
  acked: boolean;
}

interface Model {
  /** Every mapped entry up to this number: what the store commits durably with the records. */
  mappedThrough: number;
  /** Appended and not mapped, in order: entry `mappedThrough + 1 + index`. */
  entries: Appended[];
  /** Numbers the bodies, so that each is unique. */
  appended: number;
}

interface Real {
  dir: string;
  journal: IngestJournal;
  leases: Leases;
  readonly segmentBytes: number;
  /** Appends not settled yet. */
  pending: Promise<void>[];
  /** Segment files deleted since the last crash, with their bytes: a crash may bring them back. */
  deleted: Map<string, Buffer>;
}

function openJournal(dir: string, mappedThrough: number, segmentBytes: number) {
  const leases = new Leases(60_000, Date.now);
  const journal = IngestJournal.open({
    dir,
    mappedThrough,
    leases,
    retryAfterSeconds: 5,
    segmentBytes,
  });
  return { journal, leases };
}

function requestOf(entry: Appended): IngestRequest {
  return {
    requestId: "model",
    kind: "batch",
    receivedAt: 1,
    source: "0",
    events: entry.events,
    body: entry.body,
  };
}

/** The last entry whose append was acknowledged: its sync made it, and all before it, durable. */
function lastAcknowledged(model: Model): number {
  for (let index = model.entries.length - 1; index >= 0; index--) {
    if (model.entries[index]?.acked) return index;
  }
  return -1;
}

class Append implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly sizes: readonly number[],
    readonly settle: boolean,
  ) {}
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    for (const size of this.sizes) {
      const number = model.appended++;
      const entry: Appended = {
        body: `${number}:${"x".repeat(size)}`,
        events: 1 + (size % 7),
        acked: false,
      };
      model.entries.push(entry);
      real.pending.push(
        real.journal.append(requestOf(entry)).then(
          () => {
            entry.acked = true;
          },
          () => {},
        ),
      );
    }
    if (this.settle) await settle(real);
    else await new Promise((resolve) => setImmediate(resolve));
  }
  toString = () => `Append(${this.sizes.join(",")}${this.settle ? ", synced" : ""})`;
}

async function settle(real: Real): Promise<void> {
  await Promise.all(real.pending.splice(0));
}

/**
 * Claims up to `limit` requests: they must be the oldest unmapped ones, in
 * order. Commits the first `share` of them as the store does (a prefix, with
 * the number through which all are mapped) and gives the others back.
 */
class Map_ implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly limit: number,
    readonly share: number,
  ) {}
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    const claimed = real.journal.claim(this.limit);
    const expected = model.entries.slice(0, claimed.length).map((entry) => entry.body);
    assertEqual(
      claimed.map((request) => request.body),
      expected,
      "a claim hands out the oldest unmapped requests, in order",
    );
    assertEqual(
      claimed.map((request) => request.id),
      claimed.map((_, index) => model.mappedThrough + 1 + index),
      "claimed requests are numbered on from the last mapped one",
    );
    if (real.pending.length === 0 && model.entries.every((entry) => entry.acked)) {
      assertEqual(
        claimed.length,
        Math.min(this.limit, model.entries.length),
        "a claim of synced requests hands out all it may",
      );
    }
    const committed = claimed
      .slice(0, Math.floor(claimed.length * this.share))
      .map((request) => request.id);
    const returned = claimed.slice(committed.length).map((request) => request.id);
    const mappedThrough = real.journal.mappedThroughAfter(committed);
    assertEqual(mappedThrough, model.mappedThrough + committed.length, "mapped through");
    const before = segmentContents(real.dir);
    real.journal.mapped(committed, mappedThrough);
    real.leases.release(returned);
    model.mappedThrough = mappedThrough;
    model.entries.splice(0, committed.length);
    for (const [file, content] of before) if (!existsSync(file)) real.deleted.set(file, content);
  }
  toString = () => `Map(${this.limit}, commit ${this.share.toFixed(2)})`;
}

/** How a crash leaves the end of the last segment: cut, then perhaps zeros or garbage after the cut. */
interface Tear {
  /** Where in the bytes written after the last acknowledged entry the disk stops (0 to 1). */
  readonly at: number;
  readonly tail: "none" | "zeros" | "garbage";
  readonly tailBytes: number;
  readonly garbage: number;
  /** Which deleted segments come back (their unlink was not durable yet). */
  readonly revive: readonly boolean[];
}

class Crash implements fc.AsyncCommand<Model, Real> {
  constructor(readonly tear: Tear) {}
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    // Acknowledgements still to come belong to the process that died: the model keeps copies.
    const mustHave = lastAcknowledged(model) + 1;
    model.entries = model.entries.map((entry) => ({ ...entry }));
    const journal = { lastAcked: mustHave - 1, mappedThrough: model.mappedThrough };
    const image = crashImage(real, journal, this.tear);
    const dir = mkdtempSync(join(ROOT, "gwenmap-journal-model-"));
    for (const [name, content] of image) writeFileSync(join(dir, name), content);
    // The process died: whatever the old journal still does lands in its own directory, not in the image.
    await real.journal.close();
    rmSync(real.dir, { recursive: true, force: true });
    real.pending = [];
    real.deleted = new Map();
    real.dir = dir;
    const reopened = openJournal(dir, model.mappedThrough, real.segmentBytes);
    real.journal = reopened.journal;
    real.leases = reopened.leases;

    const recovered = real.journal.claim(Number.MAX_SAFE_INTEGER);
    const bodies = recovered.map((request) => request.body);
    assertEqual(
      bodies,
      model.entries.slice(0, bodies.length).map((entry) => entry.body),
      "after recovery the journal holds a prefix of what was appended and not mapped, in order",
    );
    if (bodies.length < mustHave) {
      throw new Error(
        `acknowledged entries lost: ${mustHave} acknowledged, ${bodies.length} recovered (${this.toString()})`,
      );
    }
    assertEqual(
      real.journal.unmappedEvents,
      model.entries.slice(0, bodies.length).reduce((sum, entry) => sum + entry.events, 0),
      "unmapped events after recovery",
    );
    real.leases.release(recovered.map((request) => request.id));
    // Recovery syncs what it keeps: from now on it is as durable as what was acknowledged.
    model.entries = model.entries.slice(0, bodies.length);
    for (const entry of model.entries) entry.acked = true;
  }
  toString = () => `Crash(${JSON.stringify(this.tear)})`;
}

/** The directory as a crash could leave it (see `Tear`). */
function crashImage(
  real: Real,
  { lastAcked, mappedThrough }: { lastAcked: number; mappedThrough: number },
  tear: Tear,
): Map<string, Buffer> {
  const image = new Map<string, Buffer>();
  const files = listSegmentFiles(real.dir);
  files.forEach(({ firstSeq, file }, index) => {
    const content = readFileSync(file);
    // Only the last segment can hold bytes not synced: a full one is synced before the next begins.
    if (index < files.length - 1) {
      image.set(basename(file), content);
      return;
    }
    const durable = durableEnd(content, firstSeq, mappedThrough + 1 + lastAcked);
    const cut = durable + Math.floor(tear.at * (content.length - durable));
    const tail =
      tear.tail === "zeros"
        ? Buffer.alloc(tear.tailBytes)
        : tear.tail === "garbage"
          ? Buffer.alloc(tear.tailBytes, tear.garbage)
          : Buffer.alloc(0);
    image.set(basename(file), Buffer.concat([content.subarray(0, cut), tail]));
  });
  [...real.deleted].forEach(([file, content], index) => {
    if (tear.revive[index % Math.max(1, tear.revive.length)]) image.set(basename(file), content);
  });
  return image;
}

/** Where the entry numbered `lastDurable` ends in a segment (its first bytes at least: they were synced when it began). */
function durableEnd(content: Buffer, firstSeq: number, lastDurable: number): number {
  let offset = SEGMENT_MAGIC.length;
  for (let seq = firstSeq; seq <= lastDurable; seq++) {
    const bytes = entryBytesAt(content, offset);
    if (bytes === undefined)
      throw new Error(`entry ${seq} was acknowledged but is not in the file`);
    offset += bytes;
  }
  return offset;
}

function segmentContents(dir: string): Map<string, Buffer> {
  return new Map(listSegmentFiles(dir).map(({ file }) => [file, readFileSync(file)]));
}

function assertEqual(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

const commands = fc.commands(
  [
    fc
      .tuple(
        fc.array(fc.integer({ min: 0, max: 700 }), { minLength: 1, maxLength: 6 }),
        fc.boolean(),
      )
      .map(([sizes, synced]) => new Append(sizes, synced)),
    fc
      .tuple(fc.integer({ min: 1, max: 8 }), fc.double({ min: 0, max: 1, noNaN: true }))
      .map(([limit, share]) => new Map_(limit, share)),
    fc
      .record({
        at: fc.double({ min: 0, max: 1, noNaN: true }),
        tail: fc.constantFrom("none", "zeros", "garbage"),
        tailBytes: fc.integer({ min: 1, max: 64 }),
        garbage: fc.integer({ min: 1, max: 255 }),
        revive: fc.array(fc.boolean(), { maxLength: 4 }),
      })
      .map((tear) => new Crash(tear as Tear)),
  ],
  { maxCommands: 40 },
);

describe("the ingest journal, against a model", () => {
  it(
    "after any crash, recovery hands out exactly what was appended and not mapped, in order, every acknowledged entry included",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          commands,
          fc.integer({ min: 200, max: 3_000 }),
          async (run, segmentBytes) => {
            const dir = mkdtempSync(join(ROOT, "gwenmap-journal-model-"));
            mkdirSync(dir, { recursive: true });
            const { journal, leases } = openJournal(dir, 0, segmentBytes);
            const real: Real = {
              dir,
              journal,
              leases,
              segmentBytes,
              pending: [],
              deleted: new Map(),
            };
            try {
              await fc.asyncModelRun(
                () => ({ model: { mappedThrough: 0, entries: [], appended: 0 }, real }),
                run,
              );
            } finally {
              await settle(real);
              await real.journal.close();
              rmSync(real.dir, { recursive: true, force: true });
            }
          },
        ),
        { numRuns: RUNS },
      );
    },
    Math.max(60_000, RUNS * 40),
  );
});
