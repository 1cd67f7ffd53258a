import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Emulator } from "@gwenmap/gwen-adapter/emulator";
import { describe, expect, it } from "vitest";
import { BatchSender } from "../../support/reliability/batch-sender.js";
import { startReliabilityServer, WRITE_KEY } from "../../support/reliability/reliability-server.js";
import { recordResult } from "../../support/reliability/results.js";
import { storageTestResources } from "../../support/reliability/storage-test-resources.js";
import { distinctUsers, tally } from "../../support/reliability/tally.js";
import { eventually, temporaryDataDir } from "../../support/server/spawn-server.js";

const resources = storageTestResources();
/** Events sent while the disk is full, until five requests are refused. */
const WHILE_FULL = 5_000;
/**
 * Bytes of padding per event. The disk is measured every 250 ms, and what arrives meanwhile
 * lands durably in the journal segment's zero-filled blocks (4 MB on this disk): a fast machine
 * sends 5,000 small events in less. Padded, they need more than the segment holds, so the
 * refusals come however fast the machine is.
 */
const PADDING = 1_000;

describe("the data directory's disk fills up during ingest", () => {
  it("answers 503 with Retry-After for what it cannot store, never 200, and loses nothing", async () => {
    const fs = resources.smallFilesystem(16_384);
    const dataDir = join(fs.dir, "data");
    const gwen = await resources.emulator();
    const first = await resources.server(gwen, dataDir);
    // GWEN is down while the disk is full, so that no delivery can be counted twice.
    gwen.setFaults({ errorRate: 1, errorStatus: 503 });
    const before = new BatchSender({ run: 0x5001, events: 200, perBatch: 50, writeKey: WRITE_KEY });
    before.point(first.url);
    await before.run();

    fs.fill();
    const freeWhenFull = fs.freeBytes();
    const refusals: Response[] = [];
    const codes = new Set<string>();
    const during = new BatchSender({
      run: 0x5002,
      events: WHILE_FULL,
      padding: PADDING,
      perBatch: 50,
      writeKey: WRITE_KEY,
      onAnswer: (response, body) => {
        if (response.status === 200) return;
        refusals.push(response);
        codes.add(String((JSON.parse(body) as { code?: string }).code));
      },
    });
    during.point(first.url);
    await during.run(() => refusals.length >= 5);
    const acknowledgedWhileFull = during.acknowledgedEvents;
    // The fault happened: the disk was full, and the server refused what it could not keep.
    expect(freeWhenFull, "bytes left on the filled disk").toBeLessThan(64 * 1024);
    expect(refusals.length, "requests refused while the disk was full").toBeGreaterThanOrEqual(5);
    expect(refusals.map((response) => response.status)).toEqual(refusals.map(() => 503));
    expect(refusals.every((response) => Number(response.headers.get("retry-after")) > 0)).toBe(
      true,
    );
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);

    // Space comes back: a restart on the same files must find every event it acknowledged.
    fs.free();
    expect(await first.stop("SIGKILL")).toBe("SIGKILL");
    gwen.setFaults({});
    const second = await resources.server(gwen, dataDir);
    during.point(second.url);
    await during.run();
    await eventually(
      () => (distinctUsers([gwen]) >= WHILE_FULL + 200 ? true : undefined),
      "every acknowledged event delivered",
    );
    const result = tally(0x5002, WHILE_FULL, [gwen]);
    const earlier = tally(0x5001, 200, [gwen]);
    recordResult({
      scenario: "Disk full during ingest (tmpfs), space freed, SIGKILL and restart",
      events: WHILE_FULL + 200,
      delivered: result.delivered + earlier.delivered,
      duplicates: result.duplicates + earlier.duplicates,
      lost: result.lost + earlier.lost,
      note: `${refusals.length} requests answered 503 (${[...codes].join(", ")}) while the disk was full, ${acknowledgedWhileFull} events acknowledged then; all acknowledged delivered after the restart`,
    });
    expect([result.lost, earlier.lost, result.duplicates, earlier.duplicates]).toEqual([
      0, 0, 0, 0,
    ]);
    expect(await second.stop("SIGTERM")).toBe(0);
  }, 60_000);
});

describe("a data directory that cannot be used at start", () => {
  async function failedStart(dataDir: string, gwen: Emulator): Promise<string> {
    const error = await startReliabilityServer(gwen, dataDir).then(
      (started) => {
        resources.add(() => started.stop("SIGKILL"));
        return undefined;
      },
      (failure: Error) => failure.message,
    );
    expect(error, "the server refused to start").toBeDefined();
    return error ?? "";
  }

  it("refuses a store file that is not a database, naming it, and leaves it untouched", async () => {
    const data = await temporaryDataDir();
    resources.add(() => data.remove());
    const file = join(data.dir, "queue.sqlite");
    writeFileSync(file, Buffer.from("this is not a database, but somebody's events ".repeat(200)));
    const digest = sha256(file);
    const message = await failedStart(data.dir, await resources.emulator());
    expect(message).toContain("queue.sqlite");
    expect(message).toMatch(/not a database/);
    expect(sha256(file)).toBe(digest);
  });

  it("refuses a truncated store instead of starting on what is left", async () => {
    const data = await temporaryDataDir();
    resources.add(() => data.remove());
    const gwen = await resources.emulator();
    gwen.setFaults({ errorRate: 1, errorStatus: 503 });
    const first = await resources.server(gwen, data.dir);
    const sender = new BatchSender({
      run: 0x5003,
      events: 2_000,
      perBatch: 100,
      writeKey: WRITE_KEY,
    });
    sender.point(first.url);
    await sender.run();
    expect(await first.stop("SIGTERM")).toBe(0);
    const file = join(data.dir, "queue.sqlite");
    truncateSync(file, Math.floor(statSync(file).size / 2));
    const digest = sha256(file);
    const message = await failedStart(data.dir, gwen);
    expect(message).toContain("queue.sqlite");
    expect(message).toMatch(/malformed|corrupt/i);
    expect(sha256(file)).toBe(digest);
  });

  it("refuses a second server on a data directory in use, and takes it over once the first is killed", async () => {
    const data = await temporaryDataDir();
    resources.add(() => data.remove());
    const gwen = await resources.emulator();
    const first = await resources.server(gwen, data.dir);
    const message = await failedStart(data.dir, gwen);
    expect(message).toMatch(/in use by another gwenmap server/);
    expect(message).toContain("GWENMAP_QUEUE_URL");
    const sender = new BatchSender({ run: 0x5004, events: 100, perBatch: 50, writeKey: WRITE_KEY });
    sender.point(first.url);
    await sender.run();
    // The kernel drops the lock with the process: no stale lock survives a crash.
    expect(await first.stop("SIGKILL")).toBe("SIGKILL");
    const second = await resources.server(gwen, data.dir);
    await eventually(
      () => (distinctUsers([gwen]) >= 100 ? true : undefined),
      "every acknowledged event delivered by the server that took over",
    );
    expect(tally(0x5004, 100, [gwen]).lost).toBe(0);
    expect(await second.stop("SIGTERM")).toBe(0);
  });

  it("refuses a read-only data directory at start with an error that says what to do", async () => {
    const fs = resources.smallFilesystem(4096);
    const dataDir = join(fs.dir, "data");
    mkdirSync(dataDir);
    fs.readOnly(true);
    const message = await failedStart(dataDir, await resources.emulator());
    fs.readOnly(false);
    expect(message).toContain("GWENMAP_DATA_DIR");
  });
});

function sha256(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}
