import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { userIdFor } from "../../support/reliability/events.js";
import { type FaultRun, startFaultRun } from "../../support/reliability/fault-run.js";
import { deadLetters, replay } from "../../support/reliability/reliability-server.js";
import { recordResult } from "../../support/reliability/results.js";
import { distinctUsers, tally } from "../../support/reliability/tally.js";
import { eventually } from "../../support/server/spawn-server.js";

let current: FaultRun | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

async function begin(...args: Parameters<typeof startFaultRun>): Promise<FaultRun> {
  current = await startFaultRun(...args);
  return current;
}

async function allDelivered(run: FaultRun, events: number): Promise<void> {
  await eventually(
    () => (distinctUsers([run.emulator]) >= events ? true : undefined),
    `${events} events at the emulator`,
    30_000,
  );
}

async function deadCount(run: FaultRun, count: number) {
  return eventually(async () => {
    const dead = await deadLetters(run.server.url);
    return dead.length >= count ? dead : undefined;
  }, `${count} dead letters`);
}

describe("GWEN answering with HTTP errors", () => {
  it("rides out an outage of 500s then 503s: every event delivered once, nothing dead-lettered, GWEN not hammered", async () => {
    const run = await begin({ errorRate: 1, errorStatus: 500 });
    await run.send(0x2001, 200);
    const httpErrors = () => run.emulator.stats().httpErrors ?? 0;
    await eventually(() => (httpErrors() > 0 ? true : undefined), "500s");
    await sleep(1_500);
    const answered500 = httpErrors();
    run.emulator.setFaults({ errorRate: 1, errorStatus: 503 });
    // The next probe (the pause doubles: it may be seconds away) meets the 503s: wait for it, not a time.
    await eventually(() => (httpErrors() > answered500 ? true : undefined), "a 503", 40_000);
    const duringOutage = httpErrors();
    run.emulator.setFaults({});
    await allDelivered(run, 200);
    await run.send(0x2002, 200);
    await allDelivered(run, 400);
    const first = tally(0x2001, 200, [run.emulator]);
    const second = tally(0x2002, 200, [run.emulator]);
    const errors = run.emulator.stats().httpErrors ?? 0;
    recordResult({
      scenario: "GWEN answers 500 then 503 for 3 s",
      events: 400,
      delivered: first.delivered + second.delivered,
      duplicates: first.duplicates + second.duplicates,
      lost: first.lost + second.lost,
      note: `${errors} error answers (${answered500} of them 500s): delivery backed off instead of retrying each delivery`,
    });
    // The fault happened: GWEN answered 500s, then 503s.
    expect(answered500, "500 answers").toBeGreaterThan(0);
    expect(duringOutage - answered500, "503 answers").toBeGreaterThan(0);
    // The requests in flight when the outage began (adaptive concurrency's first round: 32), then one
    // probe per pause (1 s, 2 s, ...).
    expect(errors).toBe(duringOutage);
    expect(errors).toBeLessThan(32 + 24);
    expect([first.lost, second.lost, first.duplicates, second.duplicates]).toEqual([0, 0, 0, 0]);
    expect(await deadLetters(run.server.url)).toEqual([]);
  });

  it.each([
    ["seconds", 3_000],
    ["date", 2_000],
  ] as const)("waits for a 429's Retry-After given in %s", async (format, atLeastMs) => {
    // Without Retry-After the next attempt would come after the 20 ms base backoff.
    const run = await begin({
      rateLimitRate: 1,
      retryAfterSeconds: 3,
      retryAfterFormat: format,
    });
    const sentAt = Date.now();
    await run.send(0x2003, 1);
    await eventually(
      () => ((run.emulator.stats().rateLimited ?? 0) > 0 ? true : undefined),
      "a 429",
    );
    run.emulator.setFaults({});
    await allDelivered(run, 1);
    const [accepted] = run.emulator.requests();
    expect(run.emulator.stats().rateLimited).toBe(1);
    expect(accepted?.variables.userId).toBe(userIdFor(0x2003, 0));
    // A Retry-After date has whole seconds: the wait may be up to a second shorter than asked.
    expect(Date.parse(accepted?.receivedAt ?? "") - sentAt).toBeGreaterThanOrEqual(atLeastMs);
  });

  it.each([501, 400])(
    "does not retry HTTP %i: dead-letters with the reason, delivers on replay",
    async (status) => {
      const run = await begin({ errorRate: 1, errorStatus: status });
      await run.send(0x2004, 20, 5);
      const dead = await deadCount(run, 20);
      // Give a wrong retry every chance to happen (the base backoff is 20 ms).
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(run.emulator.stats().httpErrors).toBe(20);
      expect(
        dead.map((letter) => [letter.attempts, letter.reason.code, letter.reason.status]),
      ).toEqual(Array.from({ length: 20 }, () => [1, "E_DELIVERY_PERMANENT", status]));
      expect(dead[0]?.reason.message).toContain(`HTTP ${status}`);
      run.emulator.setFaults({});
      expect(await replay(run.server.url, { all: true })).toBe(20);
      await allDelivered(run, 20);
      const result = tally(0x2004, 20, [run.emulator]);
      recordResult({
        scenario: `GWEN answers HTTP ${status} (not retried), then replay`,
        ...counts(result),
        note: "20 dead-lettered after 1 attempt each; all delivered on replay",
      });
      expect([result.lost, result.duplicates]).toEqual([0, 0]);
      expect(await deadLetters(run.server.url)).toEqual([]);
    },
  );

  it("dead-letters GraphQL errors in a 200 answer with their message, and delivers them on replay", async () => {
    const run = await begin({ graphqlErrorRate: 0.5 });
    await run.send(0x2005, 100);
    const failed = () => run.emulator.stats().graphqlErrors ?? 0;
    await eventually(
      async () =>
        distinctUsers([run.emulator]) + (await deadLetters(run.server.url)).length >= 100
          ? true
          : undefined,
      "every event delivered or dead-lettered",
    );
    const dead = await deadLetters(run.server.url);
    expect(dead.length).toBe(failed());
    expect(dead.length).toBeGreaterThan(0);
    expect(dead.every((letter) => letter.reason.code === "E_DELIVERY_PERMANENT")).toBe(true);
    expect(dead[0]?.reason.message).toContain("emulated GraphQL error");
    run.emulator.setFaults({});
    expect(await replay(run.server.url, { all: true })).toBe(dead.length);
    await allDelivered(run, 100);
    const result = tally(0x2005, 100, [run.emulator]);
    recordResult({
      scenario: "GraphQL errors in a 200 answer (half the requests), then replay",
      ...counts(result),
      note: `${dead.length} dead-lettered with GWEN's message; all delivered on replay`,
    });
    expect([result.lost, result.duplicates]).toEqual([0, 0]);
  });

  it("dead-letters, never drops, what still fails when the retry window ends", async () => {
    const run = await begin({ errorRate: 1, errorStatus: 503 }, { GWENMAP_RETRY_WINDOW: "1500ms" });
    await run.send(0x2006, 100);
    const dead = await deadCount(run, 100);
    // The fault happened: GWEN answered 503 (to requests that may carry several operations each).
    expect(run.emulator.stats().httpErrors, "503 answers").toBeGreaterThan(0);
    expect(dead.length).toBe(100);
    expect(dead.every((letter) => letter.reason.code === "E_DELIVERY_RETRY_WINDOW")).toBe(true);
    expect(dead[0]?.reason.message).toMatch(/retry window \(1500 ms\) ran out after \d+ attempts/);
    // Under load the first attempt may already fall after the window: at least one attempt each.
    expect(dead.every((letter) => letter.attempts >= 1)).toBe(true);
    run.emulator.setFaults({});
    expect(await replay(run.server.url, { all: true })).toBe(100);
    await allDelivered(run, 100);
    const result = tally(0x2006, 100, [run.emulator]);
    recordResult({
      scenario: "GWEN down longer than the retry window (1.5 s), then replay",
      ...counts(result),
      note: "100 dead-lettered, none dropped; all delivered on replay",
    });
    expect([result.lost, result.duplicates]).toEqual([0, 0]);
  });
});

function counts(result: ReturnType<typeof tally>) {
  const { events, delivered, duplicates, lost } = result;
  return { events, delivered, duplicates, lost };
}
