import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BatchSender } from "../../support/reliability/batch-sender.js";
import { userIdFor } from "../../support/reliability/events.js";
import { WRITE_KEY } from "../../support/reliability/reliability-server.js";
import { recordResult } from "../../support/reliability/results.js";
import { storageTestResources } from "../../support/reliability/storage-test-resources.js";
import { countByUser } from "../../support/reliability/tally.js";
import { eventually } from "../../support/server/spawn-server.js";

const MB = 1024 * 1024;
/** The field report's set-up: a 24 MB disk, 6 MB of it another program's. */
const DISK_KB = 24 * 1024;
const BALLAST_BYTES = 6 * MB;
const RUN = 0x5101;
/** More than the disk can hold: the sender stops at the first refusal. */
const EVENT_SUPPLY = 400_000;

const resources = storageTestResources();

/** Refusals in a row that tell a full disk from one whose free space hovers at the reserve. */
const REFUSED_IN_A_ROW = 20;

/** Sends 50-event batches until the server has refused `REFUSED_IN_A_ROW` of them in a row. */
async function sendUntilRefused(sender: BatchSender, answers: { refusedInARow: number }) {
  answers.refusedInARow = 0;
  await sender.run(() => answers.refusedInARow >= REFUSED_IN_A_ROW);
}

/** The disk budget as the server's metrics show it. */
async function diskMetrics(url: string): Promise<{ free: number; reserve: number; low: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? Number.NaN);
  return {
    free: value(/^gwenmap_disk_bytes\{state="free"\} (\S+)$/m),
    reserve: value(/^gwenmap_disk_bytes\{state="reserve"\} (\S+)$/m),
    low: value(/^gwenmap_disk_low (\S+)$/m),
  };
}

describe("the disk fills up while GWEN is down", () => {
  it("refuses at the reserve, resumes within seconds once space returns, restarts on the nearly full disk and delivers every acknowledged event", async () => {
    const fs = resources.smallFilesystem(DISK_KB);
    fs.ballast(BALLAST_BYTES);
    const dataDir = join(fs.dir, "data");
    const gwen = await resources.emulator();
    gwen.setFaults({ errorRate: 1, errorStatus: 503 });
    const first = await resources.server(gwen, dataDir);
    const refusals: Response[] = [];
    const answers = { refusedInARow: 0 };
    const codes = new Set<string>();
    const sender = new BatchSender({
      run: RUN,
      events: EVENT_SUPPLY,
      perBatch: 50,
      // About 2 KB a call, as track calls with a few properties are: fewer events fill the disk.
      padding: 1_800,
      writeKey: WRITE_KEY,
      onAnswer: (response, body) => {
        if (response.status === 200) {
          answers.refusedInARow = 0;
          return;
        }
        answers.refusedInARow += 1;
        refusals.push(response);
        codes.add(String((JSON.parse(body) as { code?: string }).code));
      },
    });
    sender.point(first.url);
    await sendUntilRefused(sender, answers);
    // Mapping moves the journal into the database and may free a little, so the disk can climb back
    // over the reserve between a refusal and the next look: fill it again until the look sees it full.
    let readiness = await fetch(`${first.url}/readyz`);
    let whenRefused = { free: fs.freeBytes(), metrics: await diskMetrics(first.url) };
    for (let tries = 1; tries < 20; tries++) {
      if (readiness.status === 503 && whenRefused.metrics.low === 1) break;
      await readiness.arrayBuffer();
      await sendUntilRefused(sender, answers);
      readiness = await fetch(`${first.url}/readyz`);
      whenRefused = { free: fs.freeBytes(), metrics: await diskMetrics(first.url) };
    }
    const acknowledgedWhenFull = sender.acknowledgedEvents;
    const problems = ((await readiness.json()) as { problems?: string[] }).problems ?? [];
    const seen = JSON.stringify({ codes: [...codes], whenRefused, problems });
    // The fault happened: the disk filled up to the reserve, and the server refused.
    expect(refusals.length, "requests refused when the disk filled up").toBeGreaterThan(0);
    expect(refusals.map((response) => response.status)).toEqual(refusals.map(() => 503));
    expect(refusals.every((response) => Number(response.headers.get("retry-after")) > 0)).toBe(
      true,
    );
    expect([...codes], seen).toEqual(["E_DISK_LOW"]);
    // It says why: readiness, a metric, a log line; it stays alive; and the reserve is still free.
    expect(readiness.status, seen).toBe(503);
    expect(problems.join(" ")).toMatch(/below the reserve/);
    expect(whenRefused.metrics.low, seen).toBe(1);
    expect(
      first.logs.some((entry) => String(entry.msg).startsWith("disk low:")),
      "a log line says the disk is low",
    ).toBe(true);
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    // Mapping that feeds delivery may use the reserve down to half of it; the WAL's limit is a quarter.
    expect(whenRefused.free, seen).toBeGreaterThan(whenRefused.metrics.reserve / 4);

    // Space comes back: ingestion resumes by itself, within seconds, and fills it up to the reserve again.
    fs.free();
    const freedAt = performance.now();
    await sender.run(() => sender.acknowledgedEvents > acknowledgedWhenFull);
    const resumeSeconds = (performance.now() - freedAt) / 1000;
    expect(resumeSeconds, "seconds until ingestion resumed").toBeLessThan(10);
    await sendUntilRefused(sender, answers);
    const acknowledged = sender.acknowledgedIndexes();

    // A crash on the nearly full disk, then a start there with GWEN back.
    expect(await first.stop("SIGKILL")).toBe("SIGKILL");
    const freeAtRestart = fs.freeBytes();
    gwen.setFaults({});
    const second = await resources.server(gwen, dataDir);
    const restartedAt = performance.now();
    await eventually(
      () => (countByUser(gwen).size >= acknowledged.length ? true : undefined),
      "every acknowledged event delivered",
      120_000,
    );
    const deliverySeconds = (performance.now() - restartedAt) / 1000;
    const counts = countByUser(gwen);
    const lost = acknowledged.filter((index) => !counts.has(userIdFor(RUN, index)));
    const duplicates = [...counts.values()].reduce((sum, count) => sum + count - 1, 0);
    // Delivering freed the space: the server takes events again, by itself.
    const more = new BatchSender({ run: RUN + 1, events: 500, perBatch: 50, writeKey: WRITE_KEY });
    more.point(second.url);
    await more.run();
    expect((await fetch(`${second.url}/readyz`)).status).toBe(200);
    recordResult({
      scenario:
        "Disk full while GWEN is down (24 MB tmpfs, 6 MB ballast), ballast deleted, SIGKILL and restart",
      events: acknowledged.length,
      delivered: acknowledged.length - lost.length,
      duplicates,
      lost: lost.length,
      note: `${refusals.length} requests answered 503 E_DISK_LOW at the ${(whenRefused.metrics.reserve / MB).toFixed(1)} MB reserve; ingestion resumed ${resumeSeconds.toFixed(1)} s after the ballast was deleted; restarted with ${(freeAtRestart / MB).toFixed(1)} MB free, all delivered ${deliverySeconds.toFixed(0)} s later, then took events again`,
    });
    expect(lost).toEqual([]);
    expect(await second.stop("SIGTERM")).toBe(0);
  }, 240_000);
});
