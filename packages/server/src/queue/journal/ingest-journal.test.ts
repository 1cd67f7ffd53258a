import { randomUUID } from "node:crypto";
import {
  appendFileSync,
  readdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { IngestRequest } from "../job-store.js";
import { Leases } from "../leases/leases.js";
import { IngestJournal } from "./ingest-journal.js";
import { encodeEntry } from "./journal-entry.js";

let dir: string;
const open: IngestJournal[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "gwenmap-journal-"));
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((journal) => journal.close()));
  await rm(dir, { recursive: true, force: true });
});

function openJournal(mappedThrough = 0, segmentBytes?: number): IngestJournal {
  const journal = IngestJournal.open({
    dir,
    mappedThrough,
    leases: new Leases(30_000, Date.now),
    retryAfterSeconds: 5,
    ...(segmentBytes === undefined ? {} : { segmentBytes }),
  });
  open.push(journal);
  return journal;
}

function request(body: string, events = 1): IngestRequest {
  return {
    requestId: randomUUID(),
    kind: "batch",
    receivedAt: 1_700_000_000_000,
    source: "0",
    events,
    body,
  };
}

async function append(journal: IngestJournal, ...requests: IngestRequest[]): Promise<void> {
  await Promise.all(requests.map((entry) => journal.append(entry)));
}

const segments = () =>
  readdirSync(dir)
    .filter((name) => name.endsWith(".journal"))
    .sort();

describe("the ingest journal", () => {
  it("hands acknowledged requests out in order, numbered, with every field and the body as received", async () => {
    const journal = openJournal();
    const sent = [request('{"batch":[{"a":"å"}]}', 1), request('{"batch":[1,2]}', 2)];
    await append(journal, ...sent);
    expect(journal.unmappedEvents).toBe(3);
    const claimed = journal.claim(10);
    expect(claimed).toEqual(sent.map((entry, index) => ({ id: index + 1, ...entry })));
    expect(journal.claim(10)).toEqual([]);
  });

  it("keeps acknowledged requests across a restart, and the mapped ones stay mapped", async () => {
    const first = openJournal();
    await append(first, request("1"), request("2"), request("3"));
    const [one] = first.claim(1);
    first.mapped([one!.id], first.mappedThroughAfter([one!.id]));
    await first.close();
    const second = openJournal(1);
    expect(second.claim(10).map((entry) => entry.body)).toEqual(["2", "3"]);
    expect(second.unmappedEvents).toBe(2);
    await append(second, request("4"));
    expect(second.claim(10).map((entry) => [entry.id, entry.body])).toEqual([[4, "4"]]);
  });

  it("cuts off a write torn by a crash (never acknowledged) and appends after what is whole", async () => {
    const first = openJournal();
    await append(first, request("kept-1"), request("kept-2"));
    await first.close();
    const [file] = segments();
    const whole = statSync(join(dir, file!)).size;
    appendFileSync(join(dir, file!), encodeEntry(request("torn")).subarray(0, 20));
    const second = openJournal();
    expect(statSync(join(dir, file!)).size).toBe(whole);
    expect(second.claim(10).map((entry) => entry.body)).toEqual(["kept-1", "kept-2"]);
    await append(second, request("after"));
    expect(second.claim(10).map((entry) => [entry.id, entry.body])).toEqual([[3, "after"]]);
  });

  it("refuses to start on a corrupt entry before the end, naming the file and the byte", async () => {
    const first = openJournal(0, 256);
    await append(first, request("x".repeat(300)));
    await append(first, request("y".repeat(300)));
    await first.close();
    expect(segments()).toHaveLength(2);
    const file = join(dir, segments()[0]!);
    const bytes = readFileSync(file);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 5) ^ 0xff, bytes.length - 5);
    writeFileSync(file, bytes);
    expect(() => openJournal()).toThrow(
      expect.objectContaining({
        code: "E_STORE_OPEN",
        message: expect.stringMatching(new RegExp(`${file}.*checksum`)),
      }),
    );
  });

  it("refuses to start when a segment is missing", async () => {
    const first = openJournal(0, 256);
    for (const body of ["a", "b", "c"]) await append(first, request(body.repeat(300)));
    await first.close();
    expect(segments()).toHaveLength(3);
    unlinkSync(join(dir, segments()[1]!));
    expect(() => openJournal()).toThrow(expect.objectContaining({ code: "E_STORE_OPEN" }));
  });

  it("starts new segments as they fill and deletes those whose requests are all mapped", async () => {
    const journal = openJournal(0, 256);
    for (const body of ["a", "b", "c", "d"]) await append(journal, request(body.repeat(300)));
    expect(segments()).toHaveLength(4);
    const claimed = journal.claim(3).map((entry) => entry.id);
    journal.mapped(claimed, journal.mappedThroughAfter(claimed));
    expect(segments()).toHaveLength(1);
    expect(journal.unmappedEvents).toBe(1);
    expect(journal.claim(10).map((entry) => entry.body)).toEqual(["d".repeat(300)]);
  });

  it("holds the mapped mark back behind requests another commit still maps", async () => {
    const journal = openJournal();
    await append(journal, request("1"), request("2"), request("3"), request("4"));
    const first = journal.claim(2).map((entry) => entry.id);
    const second = journal.claim(2).map((entry) => entry.id);
    expect(journal.mappedThroughAfter(second)).toBe(0);
    journal.mapped(second, journal.mappedThroughAfter(second));
    expect(journal.mappedThroughAfter(first)).toBe(4);
  });

  it("offers a released claim again before newer requests", async () => {
    const leases = new Leases(30_000, Date.now);
    const journal = IngestJournal.open({ dir, mappedThrough: 0, leases, retryAfterSeconds: 5 });
    open.push(journal);
    await append(journal, request("1"), request("2"));
    const [one] = journal.claim(1);
    leases.release([one!.id]);
    expect(journal.claim(2).map((entry) => entry.body)).toEqual(["1", "2"]);
  });

  it("reports when the oldest request not mapped yet was received", async () => {
    const journal = openJournal();
    expect(journal.oldestUnmappedAt()).toBeUndefined();
    await append(journal, { ...request("1"), receivedAt: 5 }, { ...request("2"), receivedAt: 9 });
    expect(journal.oldestUnmappedAt()).toBe(5);
    const [one] = journal.claim(1);
    journal.mapped([one!.id], journal.mappedThroughAfter([one!.id]));
    expect(journal.oldestUnmappedAt()).toBe(9);
  });

  it("leaves nothing behind for a segment whose first write was torn", async () => {
    const first = openJournal(0, 256);
    await append(first, request("a".repeat(300)));
    await first.close();
    writeFileSync(join(dir, "0000000000000002.journal"), Buffer.from("GWEN"));
    const second = openJournal();
    expect(segments()).toEqual(["0000000000000001.journal"]);
    await append(second, request("b"));
    expect(second.claim(10).map((entry) => entry.id)).toEqual([1, 2]);
  });

  describe("after a crash, with the zeros written ahead of the entries still on disk", () => {
    /** Appends, then puts back the files as they were before the clean close removed the zeros. */
    async function crashedWith(
      bodies: string[],
      segmentBytes?: number,
    ): Promise<Map<string, Buffer>> {
      const journal = openJournal(0, segmentBytes);
      for (const body of bodies) await append(journal, request(body));
      const images = new Map(segments().map((name) => [name, readFileSync(join(dir, name))]));
      await journal.close();
      for (const [name, bytes] of images) writeFileSync(join(dir, name), bytes);
      return images;
    }

    it("keeps the zeros and appends right after the last whole entry", async () => {
      const images = await crashedWith(["kept-1", "kept-2"]);
      const [name, image] = [...images][0]!;
      expect(image.length).toBeGreaterThan(1024 * 1024);
      const journal = openJournal();
      expect(statSync(join(dir, name)).size).toBe(image.length);
      await append(journal, request("after"));
      expect(journal.claim(10).map((entry) => [entry.id, entry.body])).toEqual([
        [1, "kept-1"],
        [2, "kept-2"],
        [3, "after"],
      ]);
      await journal.close();
      expect(
        openJournal()
          .claim(10)
          .map((entry) => entry.body),
      ).toEqual(["kept-1", "kept-2", "after"]);
    });

    it("cuts off a write torn inside the zeros", async () => {
      const images = await crashedWith(["kept"]);
      const [name] = [...images][0]!;
      const end = entryEnd(name);
      const torn = encodeEntry(request("torn"));
      const file = readFileSync(join(dir, name));
      torn.subarray(0, torn.length - 3).copy(file, end);
      writeFileSync(join(dir, name), file);
      const journal = openJournal();
      expect(statSync(join(dir, name)).size).toBe(end);
      await append(journal, request("after"));
      expect(journal.claim(10).map((entry) => [entry.id, entry.body])).toEqual([
        [1, "kept"],
        [2, "after"],
      ]);
    });

    it("finds full segments ending exactly at their last entry", async () => {
      await crashedWith(["a".repeat(5000), "b".repeat(5000), "c".repeat(5000)], 4096);
      expect(segments()).toHaveLength(3);
      expect(
        openJournal()
          .claim(10)
          .map((entry) => entry.body[0]),
      ).toEqual(["a", "b", "c"]);
    });
  });
});

/** Where the entries of a segment end: the size a clean close leaves it at. */
function entryEnd(name: string): number {
  const bytes = readFileSync(join(dir, name));
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  return end;
}
