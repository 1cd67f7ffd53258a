import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { prepareVariables } from "@gwenmap/gwen-adapter";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ClaimedDelivery, MappedEvent, NewRecord } from "../job-store.js";
import type { FeedLimits } from "./delivery-feed.js";
import { SqliteJobStore, STORE_FILE } from "./sqlite-job-store.js";

const START = Date.parse("2025-01-01T00:00:00.000Z");
const RETRY = { code: "E_DELIVERY_RETRY" as const, message: "503", outcome: "retry" as const };

const actionOf = (mapping: string) => (mapping === "identify-user" ? "identifyUser" : "sendEvent");
const variablesOf = (mapping: string, n: number) =>
  prepareVariables(actionOf(mapping), { userId: "u-1", type: "t", ip: `n${n}`, data: { n } });

const delivery = (mapping = "send-event", n = 1): NewRecord => ({
  kind: "delivery",
  mapping,
  action: actionOf(mapping),
  variables: variablesOf(mapping, n),
});

const rejection: NewRecord = {
  kind: "rejection",
  mapping: "send-event",
  action: "sendEvent",
  reason: { code: "E_PAYLOAD_INVALID", message: "User ID is missing.", path: "/userId" },
};

const event = (messageId: string, records: readonly NewRecord[]): MappedEvent => ({
  messageId,
  receivedAt: START - 1_000,
  event: JSON.stringify({ type: "track", messageId }),
  records,
});

const ids = (claimed: readonly ClaimedDelivery[]) => claimed.map((one) => one.messageId);

/**
 * Deliveries just committed are claimed from memory (the feed) while SQLite
 * keeps every row; these tests switch claims between the two on purpose.
 */
describe("the SQLite store's feed of deliveries just committed", () => {
  let dataDir: string;
  let now: number;
  let store: SqliteJobStore | undefined;

  const open = async (deliveryFeed?: FeedLimits) => {
    store = await SqliteJobStore.open({
      dataDir,
      maxQueueDepth: 1_000,
      dedupeWindowMs: 3_600_000,
      leaseMs: 30_000,
      retryAfterSeconds: 5,
      clock: () => now,
      ...(deliveryFeed ? { deliveryFeed } : {}),
    });
    return store;
  };

  const commit = async (target: SqliteJobStore, events: readonly MappedEvent[]) => {
    await target.appendRequest({
      requestId: randomUUID(),
      kind: "batch",
      receivedAt: START - 1_000,
      source: "0",
      events: events.length,
      body: "{}",
    });
    const [request] = await target.claimRequests(1);
    return target.commitMapping({ requestIds: [request?.id ?? -1], events, replacements: [] });
  };

  /** Commits one event and leaves its delivery pending in SQLite alone, due again in `dueInMs`. */
  const leaveRetry = async (target: SqliteJobStore, messageId: string, dueInMs: number) => {
    await commit(target, [event(messageId, [delivery()])]);
    const [claimed] = await target.claimDeliveries(1);
    await target.settleDeliveries([
      { id: claimed?.id ?? -1, result: "retry", nextAttemptAt: now + dueInMs, reason: RETRY },
    ]);
  };

  beforeEach(async () => {
    now = START;
    dataDir = await mkdtemp(join(tmpdir(), "gwenmap-feed-"));
  });
  afterEach(async () => {
    await store?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("hands out the deliveries of a commit without reading them back, duplicates and rejections left out", async () => {
    const first = await open();
    await commit(first, [event("seen", [delivery()])]);
    const [seen] = await first.claimDeliveries(1);
    await first.settleDeliveries([{ id: seen?.id ?? -1, result: "delivered" }]);
    now += 10;
    await commit(first, [
      event("seen", [delivery()]),
      event("r", [rejection, delivery("identify-user", 2)]),
      event("d", [delivery("send-event", 3), delivery("identify-user", 4)]),
    ]);
    // Changed behind the store's back: a claim that read SQLite would see it.
    const db = new Database(join(dataDir, STORE_FILE));
    db.prepare(`UPDATE records SET payload = '"changed"'`).run();
    db.close();
    const fromFeed = await first.claimDeliveries(10);
    expect(
      fromFeed.map(({ messageId, mapping, variables }) => ({ messageId, mapping, variables })),
    ).toEqual([
      { messageId: "r", mapping: "identify-user", variables: variablesOf("identify-user", 2) },
      { messageId: "d", mapping: "send-event", variables: variablesOf("send-event", 3) },
      { messageId: "d", mapping: "identify-user", variables: variablesOf("identify-user", 4) },
    ]);
    await first.close();

    // Reopened, the store has an empty feed: the same deliveries come from their rows.
    const reopened = await open();
    const fromRows = await reopened.claimDeliveries(10);
    expect(fromRows.map(({ variables }) => variables)).toEqual([
      '"changed"',
      '"changed"',
      '"changed"',
    ]);
    const withoutPayload = ({ variables: _variables, ...rest }: ClaimedDelivery) => rest;
    expect(fromRows.map(withoutPayload)).toEqual(fromFeed.map(withoutPayload));
  });

  it("never hands a delivery out twice while claims switch between the feed and SQLite", async () => {
    const opened = await open();
    await leaveRetry(opened, "a", 50);
    await commit(opened, [
      event("b", [delivery()]),
      event("c", [delivery()]),
      event("d", [delivery()]),
    ]);
    now += 200;

    // SQLite holds a retry the feed does not know: this claim reads SQLite, earliest due first.
    const fromSqlite = await opened.claimDeliveries(2);
    expect(ids(fromSqlite)).toEqual(["b", "c"]);
    await opened.settleDeliveries([{ id: fromSqlite[0]?.id ?? -1, result: "delivered" }]);
    // Read a moment ago: the next claim takes the feed, which has forgotten b and c.
    expect(ids(await opened.claimDeliveries(10))).toEqual(["d"]);
    now += 200;
    const retried = await opened.claimDeliveries(10);
    expect(retried.map(({ messageId, attempts }) => ({ messageId, attempts }))).toEqual([
      { messageId: "a", attempts: 1 },
    ]);
    expect(await opened.claimDeliveries(10)).toEqual([]);
  });

  it("claims from SQLite the deliveries that did not fit the feed, each once and in order", async () => {
    const opened = await open({ maxDeliveries: 2, maxPayloadChars: 1_000_000 });
    const names = ["m1", "m2", "m3", "m4", "m5"];
    await commit(
      opened,
      names.map((name) => event(name, [delivery()])),
    );
    const claimed: string[] = [];
    for (let claim = 0; claim < 6; claim++) claimed.push(...ids(await opened.claimDeliveries(2)));
    expect(claimed).toEqual(names);
    expect(await opened.nextDueAt()).toBeUndefined();
  });

  it("does not keep a retry that falls due waiting behind a feed that keeps filling", async () => {
    const opened = await open();
    await leaveRetry(opened, "retried", 1_000);
    now += 1_000;
    const claimed: string[] = [];
    for (let step = 0; step < 8 && !claimed.includes("retried"); step++) {
      await commit(opened, [event(`fresh-${step}`, [delivery()])]);
      claimed.push(...ids(await opened.claimDeliveries(1)));
      now += 30;
    }
    expect(claimed).toContain("retried");
    expect(claimed.length).toBeLessThanOrEqual(5);
  });
});
