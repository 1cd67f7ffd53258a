/**
 * The contract of a `JobStore`, as one suite every implementation runs
 * unchanged: `describeJobStore("SQLite", harness)`. A harness opens stores on
 * one underlying storage (a file, a database), so that opening again is a
 * restart, and removes that storage at the end.
 */
import { randomUUID } from "node:crypto";
import { prepareVariables } from "@gwenmap/gwen-adapter";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { StoreError } from "../errors.js";
import type {
  FailureReason,
  IngestRequest,
  JobStore,
  JobStoreOptions,
  MappedEvent,
  NewRecord,
} from "./job-store.js";

export interface JobStoreHarness {
  /** Opens a store on the harness's storage; opening again without closing simulates a crash and restart. */
  open(options: JobStoreOptions): Promise<JobStore>;
  /** Closes what is still open and removes the storage. */
  dispose(): Promise<void>;
}

const LEASE_MS = 30_000;
const DEDUPE_MS = 24 * 3_600_000;
const START = Date.parse("2025-01-01T00:00:00.000Z");

const PAYLOAD = { userId: "3f1c2a4e-8d6b-4c1e-9a7f-2b5d8e0c6a13", type: "track", data: { n: 1 } };

const delivery = (mapping = "send-event"): NewRecord => ({
  kind: "delivery",
  mapping,
  action: "sendEvent",
  variables: prepareVariables("sendEvent", PAYLOAD),
});

const rejection = (mapping = "send-event"): NewRecord => ({
  kind: "rejection",
  mapping,
  action: "sendEvent",
  reason: {
    code: "E_PAYLOAD_INVALID",
    message: "User ID must be a valid uuid string but it was not.",
    path: "/userId",
  },
});

function request(events = 1, body = '{"type":"track"}'): IngestRequest {
  return { requestId: randomUUID(), kind: "track", receivedAt: START, source: "0", events, body };
}

function mappedEvent(messageId: string, records: readonly NewRecord[]): MappedEvent {
  return {
    messageId,
    receivedAt: START,
    event: JSON.stringify({ type: "track", event: "Played", messageId }),
    records,
  };
}

export function describeJobStore(name: string, createHarness: () => Promise<JobStoreHarness>) {
  describe(`JobStore contract: ${name}`, () => {
    let harness: JobStoreHarness;
    let now: number;
    const options = (overrides: Partial<JobStoreOptions> = {}): JobStoreOptions => ({
      maxQueueDepth: 1_000,
      dedupeWindowMs: DEDUPE_MS,
      leaseMs: LEASE_MS,
      retryAfterSeconds: 7,
      clock: () => now,
      ...overrides,
    });

    beforeEach(async () => {
      now = START;
      harness = await createHarness();
    });
    afterEach(async () => {
      await harness.dispose();
    });

    /** Appends one request, maps it into `events`, and answers the mapping result. */
    async function ingest(store: JobStore, events: readonly MappedEvent[]) {
      await store.appendRequest(request(events.length));
      const [claimed] = await store.claimRequests(10);
      return store.commitMapping({
        requestIds: [claimed?.id ?? -1],
        events,
        replacements: [],
      });
    }

    describe("requests", () => {
      it("hands back an appended request with every field, to one claimer at a time", async () => {
        const store = await harness.open(options());
        const appended = { ...request(3, '{"batch":[1,2,3]}'), clientIp: "2001:db8::7" };
        const withoutAddress = request();
        await store.appendRequest(appended);
        await store.appendRequest(withoutAddress);
        const [claimed, second, ...rest] = await store.claimRequests(10);
        expect(rest).toEqual([]);
        expect(claimed).toMatchObject(appended);
        expect(second).toMatchObject(withoutAddress);
        expect(second).not.toHaveProperty("clientIp");
        expect(await store.claimRequests(10)).toEqual([]);
        await store.close();
      });

      it("gives requests out oldest first, at most `limit` at a time", async () => {
        const store = await harness.open(options());
        const bodies = ["1", "2", "3"];
        for (const body of bodies) await store.appendRequest(request(1, body));
        const first = await store.claimRequests(2);
        const second = await store.claimRequests(2);
        expect(first.map((claimed) => claimed.body)).toEqual(["1", "2"]);
        expect(second.map((claimed) => claimed.body)).toEqual(["3"]);
        await store.close();
      });

      it("offers a claimed request again once its lease has run out", async () => {
        const store = await harness.open(options());
        await store.appendRequest(request());
        expect(await store.claimRequests(1)).toHaveLength(1);
        now += LEASE_MS + 1;
        expect(await store.claimRequests(1)).toHaveLength(1);
        await store.close();
      });

      it("keeps acknowledged requests across a restart", async () => {
        const first = await harness.open(options());
        await first.appendRequest({ ...request(2, "kept"), clientIp: "203.0.113.7" });
        await first.close();
        const second = await harness.open(options());
        const [claimed] = await second.claimRequests(10);
        expect(claimed?.body).toBe("kept");
        expect(claimed?.clientIp).toBe("203.0.113.7");
        expect((await second.stats()).unmappedEvents).toBe(2);
        await second.close();
      });

      it("removes mapped requests and writes their records in the same commit", async () => {
        const store = await harness.open(options());
        const result = await ingest(store, [
          mappedEvent("m-1", [delivery(), rejection("identify-user")]),
          mappedEvent("m-2", []),
        ]);
        expect(result).toEqual({ duplicates: [], created: 2 });
        now += LEASE_MS + 1;
        expect(await store.claimRequests(10)).toEqual([]);
        const stats = await store.stats();
        expect(stats).toMatchObject({ unmappedEvents: 0, pendingDeliveries: 1, rejected: 1 });
        await store.close();
      });
    });

    describe("queue depth", () => {
      it("refuses a request with E_QUEUE_FULL and a Retry-After once the depth is reached", async () => {
        const store = await harness.open(options({ maxQueueDepth: 3 }));
        await store.appendRequest(request(2));
        await store.appendRequest(request(1));
        const refused = await store.appendRequest(request(1)).catch((error: StoreError) => error);
        expect(refused).toMatchObject({ code: "E_QUEUE_FULL", retryAfterSeconds: 7 });
        expect((await store.stats()).unmappedEvents).toBe(3);
        await store.close();
      });

      it("counts pending deliveries towards the depth, and takes requests again once they are delivered", async () => {
        const store = await harness.open(options({ maxQueueDepth: 2 }));
        await ingest(store, [mappedEvent("a", [delivery()]), mappedEvent("b", [delivery()])]);
        await expect(store.appendRequest(request(1))).rejects.toMatchObject({
          code: "E_QUEUE_FULL",
        });
        const claimed = await store.claimDeliveries(10);
        await store.settleDeliveries(claimed.map(({ id }) => ({ id, result: "delivered" })));
        await store.appendRequest(request(1));
        await store.close();
      });

      it("takes a request larger than the depth when the queue is empty", async () => {
        const store = await harness.open(options({ maxQueueDepth: 10 }));
        await store.appendRequest(request(50));
        expect((await store.stats()).unmappedEvents).toBe(50);
        await store.close();
      });
    });

    describe("deduplication", () => {
      it("drops an event whose messageId was seen within the window, across commits", async () => {
        const store = await harness.open(options());
        await ingest(store, [mappedEvent("same", [delivery()])]);
        now += DEDUPE_MS - 1;
        const again = await ingest(store, [mappedEvent("same", [delivery()])]);
        expect(again).toEqual({ duplicates: ["same"], created: 0 });
        expect((await store.stats()).pendingDeliveries).toBe(1);
        await store.close();
      });

      it("drops the second of two events with one messageId in the same commit", async () => {
        const store = await harness.open(options());
        const result = await ingest(store, [
          mappedEvent("twice", [delivery()]),
          mappedEvent("twice", [delivery()]),
        ]);
        expect(result).toEqual({ duplicates: ["twice"], created: 1 });
        await store.close();
      });

      it("remembers events that produced no records", async () => {
        const store = await harness.open(options());
        await ingest(store, [mappedEvent("quiet", [])]);
        const again = await ingest(store, [mappedEvent("quiet", [delivery()])]);
        expect(again.duplicates).toEqual(["quiet"]);
        await store.close();
      });

      it("accepts the messageId again once the window has passed, and cleans old entries up", async () => {
        const store = await harness.open(options());
        await ingest(store, [mappedEvent("old", [])]);
        now += DEDUPE_MS + 1;
        expect(await store.cleanup()).toBe(1);
        const again = await ingest(store, [mappedEvent("old", [delivery()])]);
        expect(again).toEqual({ duplicates: [], created: 1 });
        await store.close();
      });

      it("treats an expired entry as new even before cleanup", async () => {
        const store = await harness.open(options());
        await ingest(store, [mappedEvent("stale", [])]);
        now += DEDUPE_MS + 1;
        const again = await ingest(store, [mappedEvent("stale", [delivery()])]);
        expect(again.duplicates).toEqual([]);
        await store.close();
      });
    });

    describe("deliveries", () => {
      it("hands a pending delivery out with its payload, to one claimer at a time", async () => {
        const store = await harness.open(options());
        await ingest(store, [mappedEvent("m-1", [delivery()])]);
        const [claimed, ...rest] = await store.claimDeliveries(10);
        expect(rest).toEqual([]);
        expect(claimed).toMatchObject({
          messageId: "m-1",
          mapping: "send-event",
          action: "sendEvent",
          variables: prepareVariables("sendEvent", PAYLOAD),
          attempts: 0,
          receivedAt: START,
          windowStart: START,
        });
        expect(await store.claimDeliveries(10)).toEqual([]);
        await store.close();
      });

      it("forgets a delivered delivery", async () => {
        const store = await harness.open(options());
        await ingest(store, [mappedEvent("m-1", [delivery()])]);
        const [claimed] = await store.claimDeliveries(1);
        await store.settleDeliveries([{ id: claimed?.id ?? -1, result: "delivered" }]);
        now += LEASE_MS + 1;
        expect(await store.claimDeliveries(10)).toEqual([]);
        expect((await store.stats()).pendingDeliveries).toBe(0);
        expect(await store.nextDueAt()).toBeUndefined();
        await store.close();
      });

      it("holds a retried delivery back until its next attempt, counting the attempt", async () => {
        const store = await harness.open(options());
        await ingest(store, [mappedEvent("m-1", [delivery()])]);
        const [claimed] = await store.claimDeliveries(1);
        const id = claimed?.id ?? -1;
        const reason: FailureReason = {
          code: "E_DELIVERY_RETRY",
          message: "503",
          outcome: "retry",
        };
        await store.settleDeliveries([{ id, result: "retry", nextAttemptAt: now + 5_000, reason }]);
        expect(await store.claimDeliveries(10)).toEqual([]);
        expect(await store.nextDueAt()).toBe(START + 5_000);
        now += 5_000;
        const [again] = await store.claimDeliveries(10);
        expect(again).toMatchObject({ id, attempts: 1 });
        await store.close();
      });

      it("hands out due deliveries earliest first", async () => {
        const store = await harness.open(options());
        await ingest(store, [mappedEvent("a", [delivery()]), mappedEvent("b", [delivery()])]);
        const [first, second] = await store.claimDeliveries(2);
        const reason: FailureReason = {
          code: "E_DELIVERY_RETRY",
          message: "503",
          outcome: "retry",
        };
        await store.settleDeliveries([
          { id: first?.id ?? -1, result: "retry", nextAttemptAt: now + 2_000, reason },
          { id: second?.id ?? -1, result: "retry", nextAttemptAt: now + 1_000, reason },
        ]);
        now += 3_000;
        const order = await store.claimDeliveries(2);
        expect(order.map((claimed) => claimed.messageId)).toEqual(["b", "a"]);
        await store.close();
      });

      it("makes a released delivery due at once without counting an attempt", async () => {
        const store = await harness.open(options());
        await ingest(store, [mappedEvent("m-1", [delivery()])]);
        const [claimed] = await store.claimDeliveries(1);
        const reason = {
          code: "E_DELIVERY_AUTH" as const,
          message: "key refused",
          outcome: "auth" as const,
        };
        await store.settleDeliveries([{ id: claimed?.id ?? -1, result: "released", reason }]);
        const [again] = await store.claimDeliveries(1);
        expect(again).toMatchObject({ id: claimed?.id, attempts: 0 });
        await store.close();
      });

      it("renews a lease so that a slow delivery is not handed out twice", async () => {
        const store = await harness.open(options());
        await ingest(store, [mappedEvent("m-1", [delivery()])]);
        const [claimed] = await store.claimDeliveries(1);
        now += LEASE_MS - 1;
        await store.renewLeases([claimed?.id ?? -1]);
        now += LEASE_MS - 1;
        expect(await store.claimDeliveries(1)).toEqual([]);
        now += 2;
        expect(await store.claimDeliveries(1)).toHaveLength(1);
        await store.close();
      });

      it("says when the next delivery that nobody holds falls due", async () => {
        const store = await harness.open(options());
        await ingest(store, [mappedEvent("a", [delivery()]), mappedEvent("b", [delivery()])]);
        expect(await store.nextDueAt()).toBe(START);
        await store.claimDeliveries(2);
        expect(await store.nextDueAt()).toBeUndefined();
        await store.close();
      });

      it("delivers again, after a crash, what was claimed but never settled", async () => {
        const crashed = await harness.open(options());
        await ingest(crashed, [mappedEvent("m-1", [delivery()])]);
        expect(await crashed.claimDeliveries(1)).toHaveLength(1);
        const restarted = await harness.open(options());
        now += LEASE_MS + 1;
        const [again] = await restarted.claimDeliveries(1);
        expect(again).toMatchObject({ messageId: "m-1", attempts: 0 });
        await restarted.close();
      });
    });

    describe("dead letters and replay", () => {
      async function bury(store: JobStore, messageId: string, mapping = "send-event") {
        await ingest(store, [mappedEvent(messageId, [delivery(mapping)])]);
        const claimed = await store.claimDeliveries(10);
        const reason = {
          code: "E_DELIVERY_PERMANENT" as const,
          message: "GWEN refused it",
          outcome: "permanent" as const,
          status: 400,
        };
        await store.settleDeliveries(claimed.map(({ id }) => ({ id, result: "dead", reason })));
      }

      it("lists a dead delivery with its last outcome and attempts, and a rejection with its reason", async () => {
        const store = await harness.open(options());
        await bury(store, "dead-1");
        await ingest(store, [mappedEvent("rejected-1", [rejection()])]);
        const { items, nextAfterId } = await store.listFailures();
        expect(nextAfterId).toBeUndefined();
        expect(items).toMatchObject([
          {
            state: "dead",
            messageId: "dead-1",
            mapping: "send-event",
            action: "sendEvent",
            attempts: 1,
            reason: { code: "E_DELIVERY_PERMANENT", outcome: "permanent", status: 400 },
            event: { type: "track", messageId: "dead-1" },
          },
          {
            state: "rejected",
            messageId: "rejected-1",
            attempts: 0,
            reason: { code: "E_PAYLOAD_INVALID", path: "/userId" },
          },
        ]);
        expect(await store.stats()).toMatchObject({ pendingDeliveries: 0, dead: 1, rejected: 1 });
        await store.close();
      });

      it("filters failures by state and mapping, and pages through them", async () => {
        const store = await harness.open(options());
        await bury(store, "a", "one");
        await bury(store, "b", "two");
        await bury(store, "c", "one");
        await ingest(store, [mappedEvent("d", [rejection("one")])]);
        const byMapping = await store.listFailures({ mapping: "one", state: "dead" });
        expect(byMapping.items.map((item) => item.messageId)).toEqual(["a", "c"]);
        const firstPage = await store.listFailures({ limit: 2 });
        expect(firstPage.items.map((item) => item.messageId)).toEqual(["a", "b"]);
        const secondPage = await store.listFailures({ limit: 2, afterId: firstPage.nextAfterId });
        expect(secondPage.items.map((item) => item.messageId)).toEqual(["c", "d"]);
        await store.close();
      });

      it("replays by id, by mapping, or all, and hands the events to the mapping worker", async () => {
        const store = await harness.open(options());
        await bury(store, "a", "one");
        await bury(store, "b", "two");
        await ingest(store, [mappedEvent("c", [rejection("one")])]);
        const [first] = (await store.listFailures()).items;
        expect(await store.requestReplay({ ids: [first?.id ?? -1] })).toBe(1);
        expect(await store.requestReplay({ mapping: "one", state: "rejected" })).toBe(1);
        expect(await store.requestReplay({ all: true })).toBe(1);
        expect(await store.requestReplay({ all: true })).toBe(0);
        const replays = await store.claimReplays(10);
        expect(replays.map((replay) => [replay.messageId, replay.mapping])).toEqual([
          ["a", "one"],
          ["b", "two"],
          ["c", "one"],
        ]);
        expect(replays[0]?.event).toMatchObject({ type: "track", messageId: "a" });
        expect(await store.claimReplays(10)).toEqual([]);
        expect(await store.stats()).toMatchObject({ dead: 0, rejected: 0, replaying: 3 });
        await store.close();
      });

      it("replaces a replayed record with a fresh delivery that starts a new retry window", async () => {
        const store = await harness.open(options());
        await bury(store, "a");
        await store.requestReplay({ all: true });
        const [replay] = await store.claimReplays(1);
        now += 60_000;
        const result = await store.commitMapping({
          requestIds: [],
          events: [],
          replacements: [{ id: replay?.id ?? -1, records: [delivery()] }],
        });
        expect(result).toEqual({ duplicates: [], created: 1 });
        const [fresh] = await store.claimDeliveries(1);
        expect(fresh).toMatchObject({ messageId: "a", attempts: 0, windowStart: START + 60_000 });
        expect((await store.listFailures()).items).toEqual([]);
        expect(await store.stats()).toMatchObject({ replaying: 0, dead: 0, pendingDeliveries: 1 });
        await store.close();
      });

      it("keeps a replayed record that still fails as a rejection, and drops one that no longer fires", async () => {
        const store = await harness.open(options());
        await bury(store, "still-bad");
        await bury(store, "gone");
        await store.requestReplay({ all: true });
        const [bad, gone] = await store.claimReplays(2);
        await store.commitMapping({
          requestIds: [],
          events: [],
          replacements: [
            { id: bad?.id ?? -1, records: [rejection()] },
            { id: gone?.id ?? -1, records: [] },
          ],
        });
        const { items } = await store.listFailures();
        expect(items.map((item) => [item.messageId, item.state])).toEqual([
          ["still-bad", "rejected"],
        ]);
        await store.close();
      });

      it("keeps dead letters across a restart", async () => {
        const first = await harness.open(options());
        await bury(first, "kept");
        await first.close();
        const second = await harness.open(options());
        expect((await second.listFailures()).items.map((item) => item.messageId)).toEqual(["kept"]);
        expect((await second.stats()).dead).toBe(1);
        await second.close();
      });
    });

    describe("stats", () => {
      it("reports the oldest event that is not delivered yet", async () => {
        const store = await harness.open(options());
        expect((await store.stats()).oldestPendingAt).toBeUndefined();
        await store.appendRequest({ ...request(), receivedAt: START + 10 });
        expect((await store.stats()).oldestPendingAt).toBe(START + 10);
        await store.close();
      });
    });

    describe("closing", () => {
      it("refuses work after close with E_STORE_CLOSED", async () => {
        const store = await harness.open(options());
        await store.close();
        await expect(store.appendRequest(request())).rejects.toMatchObject({
          code: "E_STORE_CLOSED",
        });
        await expect(store.claimDeliveries(1)).rejects.toMatchObject({ code: "E_STORE_CLOSED" });
      });

      it("commits what was appended before close", async () => {
        const first = await harness.open(options());
        const appends = [1, 2, 3].map(() => first.appendRequest(request()));
        await first.close();
        await Promise.all(appends);
        const second = await harness.open(options());
        expect(await second.claimRequests(10)).toHaveLength(3);
        await second.close();
      });
    });
  });
}
