import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { prepareVariables } from "@gwenmap/gwen-adapter";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import type { JobStore } from "../job-store.js";
import { describeJobStore } from "../test-job-store-suite.js";
import { PAGE_SIZE } from "./schema.js";
import { SqliteJobStore, STORE_FILE } from "./sqlite-job-store.js";

describeJobStore("SQLite", async () => {
  const dataDir = await mkdtemp(join(tmpdir(), "gwenmap-store-"));
  const opened: JobStore[] = [];
  return {
    async open(options) {
      const store = await SqliteJobStore.open({ ...options, dataDir });
      opened.push(store);
      return store;
    },
    async dispose() {
      await Promise.all(opened.map((store) => store.close()));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
});

describe("pages", () => {
  const options = (dataDir: string) => ({
    dataDir,
    maxQueueDepth: 1000,
    dedupeWindowMs: 60_000,
    leaseMs: 30_000,
    retryAfterSeconds: 5,
  });
  const pageSize = (dataDir: string) => {
    const db = new Database(join(dataDir, STORE_FILE), { readonly: true });
    const size = db.pragma("page_size", { simple: true });
    db.close();
    return size;
  };

  it("gives a new store pages that hold several deliveries, and keeps an older store's pages", async () => {
    const fresh = await mkdtemp(join(tmpdir(), "gwenmap-store-pages-"));
    const older = await mkdtemp(join(tmpdir(), "gwenmap-store-pages-4k-"));
    try {
      await (await SqliteJobStore.open(options(fresh))).close();
      expect(pageSize(fresh)).toBe(PAGE_SIZE);

      // What SQLite's defaults gave every store before: 4 KB pages, WAL.
      const db = new Database(join(older, STORE_FILE));
      db.pragma("journal_mode = WAL");
      db.exec("CREATE TABLE early (x)");
      db.close();
      const store = await SqliteJobStore.open(options(older));
      await store.appendRequest({
        requestId: "r",
        kind: "batch",
        receivedAt: 1,
        source: "0",
        events: 1,
        body: "{}",
      });
      const [request] = await store.claimRequests(1);
      const variables = prepareVariables("sendEvent", { userId: "u", type: "t", data: { n: 1 } });
      await store.commitMapping({
        requestIds: [request?.id ?? -1],
        events: [
          {
            messageId: "m",
            receivedAt: 1,
            event: "{}",
            records: [{ kind: "delivery", mapping: "send-event", action: "sendEvent", variables }],
          },
        ],
        replacements: [],
      });
      expect((await store.claimDeliveries(10)).map((delivery) => delivery.variables)).toEqual([
        variables,
      ]);
      await store.close();
      expect(pageSize(older)).toBe(4096);
    } finally {
      await rm(fresh, { recursive: true, force: true });
      await rm(older, { recursive: true, force: true });
    }
  });
});

describe("a store written by gwenmap before the ingest journal (schema version 1)", () => {
  it("moves the requests it kept in SQLite to the journal at open, unmapped and in order", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "gwenmap-store-v1-"));
    try {
      const options = {
        dataDir,
        maxQueueDepth: 1000,
        dedupeWindowMs: 60_000,
        leaseMs: 30_000,
        retryAfterSeconds: 5,
      };
      await (await SqliteJobStore.open(options)).close();
      const db = new Database(join(dataDir, STORE_FILE));
      db.prepare("UPDATE meta SET value = '1' WHERE key = 'schema_version'").run();
      const insert = db.prepare(
        "INSERT INTO requests (request_id, kind, received_at, source, events, body) VALUES (?, 'batch', 7, '0', ?, ?)",
      );
      insert.run("first", 2, '{"batch":[{},{}]}');
      insert.run("second", 1, '{"batch":[{}]}');
      db.close();

      const store = await SqliteJobStore.open(options);
      const claimed = await store.claimRequests(10);
      expect(claimed.map(({ requestId, events, body }) => ({ requestId, events, body }))).toEqual([
        { requestId: "first", events: 2, body: '{"batch":[{},{}]}' },
        { requestId: "second", events: 1, body: '{"batch":[{}]}' },
      ]);
      expect((await store.stats()).unmappedEvents).toBe(3);
      await store.close();
      const check = new Database(join(dataDir, STORE_FILE), { readonly: true });
      expect(check.prepare("SELECT COUNT(*) AS n FROM requests").get()).toEqual({ n: 0 });
      expect(check.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get()).toEqual({
        value: "2",
      });
      check.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
