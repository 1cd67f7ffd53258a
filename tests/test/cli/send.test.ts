import { readdir, readFile } from "node:fs/promises";
import { stripVTControlCharacters } from "node:util";
import { type Emulator, startEmulator } from "@gwenmap/gwen-adapter/emulator";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  EMULATOR_KEY,
  eventsNdjson,
  identifyEvent,
  trackEvent,
  userIdFor,
} from "../../support/cli/events.js";
import { runGwenmap, runOnTerminal } from "../../support/cli/run-gwenmap.js";
import { type TempProject, tempProject } from "../../support/cli/temp-project.js";
import { unusedPort } from "../../support/cli/unused-port.js";

let emulator: Emulator;
let project: TempProject;

beforeAll(async () => {
  emulator = await startEmulator();
});

afterAll(async () => {
  await emulator.close();
});

beforeEach(async () => {
  project = await tempProject("mappings");
  emulator.clear();
  emulator.setFaults({});
  emulator.setApiKeys([EMULATOR_KEY]);
  emulator.resetStats();
});

afterEach(async () => {
  await project.remove();
});

function send(args: string[], env: Record<string, string> = {}) {
  return runGwenmap(["send", ...args], {
    cwd: project.dir,
    env: { GWEN_API_KEY: EMULATOR_KEY, GWEN_ENDPOINT: emulator.url, ...env },
  });
}

async function failureRecords(file: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(project.path(file), "utf8");
  return text
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const refusedUser = userIdFor(3);

/** Line 2 is rejected by the mapping, line 3 is not JSON, line 4's user is refused by GWEN. */
const mixed = [
  JSON.stringify(trackEvent(1)),
  JSON.stringify(trackEvent(2, { userId: "not-a-uuid" })),
  '{"type": "track", "event": oops}',
  JSON.stringify(trackEvent(3)),
  JSON.stringify(identifyEvent(5)),
].join("\n");

describe("gwenmap send", () => {
  it("delivers every mapped event and prints the summary, exit 0", async () => {
    await project.write("events.ndjson", eventsNdjson(50));
    const result = await send(["events.ndjson"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Read 50 events from events\.ndjson in [\d.]+ s/);
    expect(result.stdout).toContain("  50 deliveries sent");
    expect(result.stdout).toContain("  0 failed");
    const recorded = emulator.requests();
    expect(recorded).toHaveLength(50);
    expect(new Set(recorded.map((r) => r.variables.userId)).size).toBe(50);
    expect(recorded.find((r) => r.variables.userId === userIdFor(0))).toMatchObject({
      operationName: "UserSession",
      variables: { session: { ip: "203.0.113.7", userAgent: "Mozilla/5.0" } },
    });
  });

  it("records rejected, malformed and refused events in the failures file with their reason, exit 1", async () => {
    emulator.setFaults({ rejectUserIds: [refusedUser] });
    await project.write("events.ndjson", mixed);
    const result = await send(["events.ndjson", "--json"]);
    expect(result.code).toBe(1);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({
      events: 5,
      sent: 2,
      rejected: 2,
      failed: 1,
      failures: 3,
      failuresFile: "events.failures.ndjson",
    });
    const records = await failureRecords("events.failures.ndjson");
    const byLine = Object.fromEntries(records.map((record) => [record.line, record]));
    expect(byLine[2]).toMatchObject({
      mappings: ["send-event"],
      failure: { code: "E_PAYLOAD_INVALID", path: "/userId", mapping: "send-event" },
      event: { userId: "not-a-uuid" },
    });
    expect(byLine[3]).toEqual({
      text: '{"type": "track", "event": oops}',
      line: 3,
      failure: {
        code: "E_NOT_JSON",
        message: expect.stringContaining("line 3, column 28 is not JSON"),
      },
    });
    expect(byLine[4]).toMatchObject({
      mappings: ["send-event"],
      event: { userId: refusedUser },
      failure: { code: "E_DELIVERY_PERMANENT", outcome: { kind: "permanent" } },
    });
  });

  it("re-sends a failures file: only what failed, once it can succeed", async () => {
    emulator.setFaults({ rejectUserIds: [refusedUser] });
    await project.write("events.ndjson", mixed);
    await send(["events.ndjson", "--failures", "failed.ndjson"]);
    expect(emulator.requests()).toHaveLength(2);

    emulator.setFaults({});
    emulator.clear();
    const again = await send(["failed.ndjson", "--failures", "still-failing.ndjson", "--json"]);
    expect(JSON.parse(again.stdout)).toMatchObject({ events: 3, sent: 1, rejected: 2, failed: 0 });
    expect(emulator.requests().map((r) => r.variables.userId)).toEqual([refusedUser]);
    const left = await failureRecords("still-failing.ndjson");
    expect(left.map((record) => (record.failure as { code: string }).code).sort()).toEqual([
      "E_NOT_JSON",
      "E_PAYLOAD_INVALID",
    ]);
  });

  it("--dry-run maps and validates everything and sends nothing, without an API key", async () => {
    await project.write("events.ndjson", mixed);
    const result = await runGwenmap(["send", "events.ndjson", "--dry-run"], { cwd: project.dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("3 deliveries would be sent (dry run: nothing was sent)");
    expect(result.stdout).toContain("  2 rejected");
    expect(emulator.stats().requests ?? 0).toBe(0);
  });

  it("--dry-run writes nothing that looks resendable, and names what would be rejected", async () => {
    await project.write("events.ndjson", mixed);
    const result = await runGwenmap(["send", "events.ndjson", "--dry-run"], { cwd: project.dir });
    expect(result.code).toBe(1);
    expect(await readdir(project.dir)).toEqual(["events.ndjson", "mappings"]);
    expect(result.stdout).not.toContain("re-send");
    expect(result.stdout).toContain(
      "2 would be rejected (dry run: no failures file was written, as nothing was sent):",
    );
    expect(result.stdout).toMatch(/^ {2}line 2 send-event: E_PAYLOAD_INVALID User ID must be/m);
    expect(result.stdout).toMatch(/^ {2}line 3: E_NOT_JSON /m);
    expect(result.stdout).toContain("See each with: gwenmap map events.ndjson --explain");
  });

  it("re-sending a failures file counts up the next one's name instead of stacking suffixes", async () => {
    emulator.setFaults({ rejectUserIds: [refusedUser] });
    await project.write("events.ndjson", mixed);
    await send(["events.ndjson"]);
    const second = await send(["events.failures.ndjson"]);
    expect(second.stdout).toContain(
      "3 failures written to events.failures-2.ndjson; fix them, then re-send with: gwenmap send events.failures-2.ndjson",
    );
    const third = await send(["events.failures-2.ndjson", "--json"]);
    expect(JSON.parse(third.stdout).failuresFile).toBe("events.failures-3.ndjson");
    expect((await readdir(project.dir)).filter((name) => name.includes("failures"))).toEqual([
      "events.failures-2.ndjson",
      "events.failures-3.ndjson",
      "events.failures.ndjson",
    ]);
  });

  it("on a terminal, once the file is read, shows the deliveries pending and waiting to retry, with an ETA", async () => {
    // 503 for a third of the requests: deliveries wait out backoffs after the last line is read
    emulator.setFaults({ errorRate: 0.3, errorStatus: 503 });
    await project.write("events.ndjson", eventsNdjson(800));
    const screen = await runOnTerminal(["send", "events.ndjson", "--no-color"], {
      cwd: project.dir,
      env: { GWEN_API_KEY: EMULATOR_KEY, GWEN_ENDPOINT: emulator.url },
    });
    const frames = stripVTControlCharacters(screen).split(/[\r\n]+/);
    const waiting = frames.filter((frame) => frame.includes("waiting to retry"));
    // The fault happened: retries were needed, and some frames show deliveries waiting for them.
    expect(emulator.stats().httpErrors).toBeGreaterThan(0);
    expect(waiting.some((frame) => /[1-9][\d,]* waiting to retry/.test(frame))).toBe(true);
    for (const frame of waiting) {
      expect(frame).toMatch(
        /100% read \| [\d,]+ deliver(y|ies) pending, [\d,]+ waiting to retry \| ETA (\d+ s|\d+ min \d\d s|unknown) \|/,
      );
    }
    expect(screen).not.toMatch(/ETA (LL|NULL|INF)/);
    expect(screen).toMatch(
      /Read 800 events from events\.ndjson in [\d.]+ s \([\d,]+ events\/s over the whole run; reading took [\d.]+ s\)/,
    );
    expect(screen).toContain("800 deliveries sent");
  }, 90_000);

  it("stops before any work when GWEN refuses the key, exit 1, and never prints it", async () => {
    await project.write("events.ndjson", eventsNdjson(10));
    const result = await send(["events.ndjson"], { GWEN_API_KEY: "wrong-key-77d1" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("refused the API key");
    expect(result.stdout + result.stderr).not.toContain("wrong-key-77d1");
    expect(emulator.requests()).toHaveLength(0);
  });

  it("stops when GWEN starts refusing the key during the run, and keeps what was not sent", async () => {
    await project.write("events.ndjson", eventsNdjson(2000));
    emulator.setFaults({ latencyMs: 2 });
    const run = send(["events.ndjson", "--concurrency", "2", "--json"]);
    const deadline = Date.now() + 20_000;
    while (emulator.requests().length < 50 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    emulator.setApiKeys(["rotated-key"]);
    const result = await run;
    expect(result.code).toBe(1);
    const summary = JSON.parse(result.stdout);
    expect(summary.stopped).toBe("auth");
    expect(summary.sent).toBe(emulator.requests().length);
    expect(summary.sent).toBeLessThan(2000);
    const records = await failureRecords("events.failures.ndjson");
    expect(
      records.every((record) => (record.failure as { code: string }).code === "E_DELIVERY_AUTH"),
    ).toBe(true);
    expect(summary.sent + records.length).toBe(summary.events);
  });

  it("is a usage error without an API key, before reading anything", async () => {
    const result = await runGwenmap(["send", "does-not-exist.ndjson"], {
      cwd: project.dir,
      env: { GWEN_ENDPOINT: emulator.url },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "usage error no GWEN API key: pass --api-key KEY or set GWEN_API_KEY",
    );
    expect(result.stderr).not.toContain("does-not-exist");
  });

  it("says GWEN cannot be reached when nothing listens at the endpoint, exit 1", async () => {
    await project.write("events.ndjson", eventsNdjson(5));
    const endpoint = `http://127.0.0.1:${await unusedPort()}/graphql`;
    const result = await send(["events.ndjson", "--endpoint", endpoint]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot check the API key with GWEN at ${endpoint}`);
  });

  it("retries 503 and 429 answers until every delivery is recorded exactly once", async () => {
    emulator.setFaults({
      rateLimitRate: 0.1,
      errorRate: 0.3,
      errorStatus: 503,
      retryAfterSeconds: 0,
    });
    await project.write("events.ndjson", eventsNdjson(300));
    const result = await send(["events.ndjson", "--max-backoff", "0.05", "--json"]);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.sent).toBe(300);
    expect(summary.retried).toBeGreaterThan(0);
    // Every fault answer but the one the key check may have drawn was a retry of a delivery.
    const faults = (emulator.stats().rateLimited ?? 0) + (emulator.stats().httpErrors ?? 0);
    expect(faults - summary.retried).toBeGreaterThanOrEqual(0);
    expect(faults - summary.retried).toBeLessThanOrEqual(1);
    expect(new Set(emulator.requests().map((r) => r.variables.userId)).size).toBe(300);
    expect(emulator.requests()).toHaveLength(300);
  });

  it("gives up on a delivery after the retry window and records it", async () => {
    emulator.setFaults({ errorRate: 1, errorStatus: 503 });
    await project.write("events.ndjson", eventsNdjson(3));
    const result = await send([
      "events.ndjson",
      "--retry-window",
      "1",
      "--max-backoff",
      "0.2",
      "--json",
    ]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ sent: 0, failed: 3 });
    const records = await failureRecords("events.failures.ndjson");
    expect(records).toHaveLength(3);
    for (const record of records) {
      expect(record.failure).toMatchObject({
        code: "E_DELIVERY_RETRY_WINDOW",
        outcome: { kind: "retry", status: 503 },
      });
    }
  });

  it("--batch-size sends deliveries together, each settled by its own outcome", async () => {
    emulator.setFaults({ rejectUserIds: [refusedUser] });
    const events = Array.from({ length: 200 }, (_, index) => trackEvent(index + 10));
    events.splice(100, 0, trackEvent(3));
    await project.write("events.ndjson", events.map((event) => JSON.stringify(event)).join("\n"));
    const result = await send(["events.ndjson", "--batch-size", "20", "--json"]);
    expect(result.code).toBe(1);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ events: 201, sent: 200, failed: 1, retried: 0 });
    // Every GraphQL request but the key check carried deliveries, most of them several.
    expect(summary.requests).toBe((emulator.stats().requests ?? 0) - 1);
    expect(summary.requests).toBeLessThanOrEqual(100);
    expect(emulator.requests().some((request) => request.alias === "e19")).toBe(true);
    const delivered = emulator.requests().map((request) => request.variables.userId);
    expect(delivered).toHaveLength(200);
    expect(new Set(delivered).size).toBe(200);
    expect(delivered).not.toContain(refusedUser);
    const records = await failureRecords("events.failures.ndjson");
    expect(records).toEqual([
      expect.objectContaining({
        line: 101,
        event: expect.objectContaining({ userId: refusedUser }),
        failure: expect.objectContaining({ code: "E_DELIVERY_PERMANENT" }),
      }),
    ]);
  });

  it("--batch-size retries a request GWEN fails as a whole, and records each delivery exactly once", async () => {
    emulator.setFaults({ errorRate: 0.3, errorStatus: 503, retryAfterSeconds: 0 });
    await project.write("events.ndjson", eventsNdjson(300));
    const result = await send([
      "events.ndjson",
      "--batch-size",
      "10",
      "--max-backoff",
      "0.05",
      "--json",
    ]);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ sent: 300, failed: 0 });
    expect(summary.retried).toBeGreaterThan(0);
    const delivered = emulator.requests().map((request) => request.variables.userId);
    expect(delivered).toHaveLength(300);
    expect(new Set(delivered).size).toBe(300);
  });

  it("--batch-size outside 1 to 50 is a usage error that names the range", async () => {
    await project.write("events.ndjson", eventsNdjson(1));
    const result = await send(["events.ndjson", "--batch-size", "51"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--batch-size must be a whole number 1 to 50, not "51"');
    expect(emulator.stats().requests ?? 0).toBe(0);
  });

  it("--skip continues after the given line", async () => {
    await project.write("events.ndjson", eventsNdjson(10));
    const result = await send(["events.ndjson", "--skip", "7", "--json"]);
    expect(JSON.parse(result.stdout)).toMatchObject({ events: 3, sent: 3, lastLine: 10 });
    expect(emulator.requests().map((r) => r.variables.userId)).toEqual(
      expect.arrayContaining([userIdFor(7), userIdFor(8), userIdFor(9)]),
    );
  });
});
