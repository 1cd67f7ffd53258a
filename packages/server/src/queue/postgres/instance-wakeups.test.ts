import type pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { connectPool, parseQueueUrl } from "./connect-pool.js";
import { InstanceWakeups, type QueueWork } from "./instance-wakeups.js";
import { createTestSchema, type TestSchema } from "./test-postgres-url.js";

/** One instance's wakeups on `url`, and what it heard. */
interface Instance {
  readonly wakeups: InstanceWakeups;
  readonly heard: QueueWork[];
  readonly errors: Error[];
  readonly pool: pg.Pool;
}

async function instance(url: string): Promise<Instance> {
  const location = parseQueueUrl(url);
  const errors: Error[] = [];
  const pool = connectPool(location, { max: 1, onError: (error) => errors.push(error) });
  const wakeups = new InstanceWakeups(pool, location, { onError: (error) => errors.push(error) });
  const heard: QueueWork[] = [];
  await wakeups.listen((work) => heard.push(work));
  return { wakeups, heard, errors, pool };
}

async function until<T>(check: () => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("InstanceWakeups (LISTEN/NOTIFY between instances on one queue)", () => {
  let schema: TestSchema;
  let other: TestSchema;
  const opened: Instance[] = [];

  beforeEach(() => {
    schema = createTestSchema();
    other = createTestSchema();
  });
  afterEach(async () => {
    for (const { wakeups, pool } of opened.splice(0)) {
      await wakeups.close();
      await pool.end();
    }
    await schema.drop();
    await other.drop();
  });

  async function open(url: string): Promise<Instance> {
    const opening = await instance(url);
    opened.push(opening);
    return opening;
  }

  it("wakes the other instances on the same schema, not the announcer and not another schema", async () => {
    const announcer = await open(schema.url);
    const peer = await open(schema.url);
    const elsewhere = await open(other.url);
    announcer.wakeups.announce("deliveries");
    announcer.wakeups.announce("requests");
    await until(() => (peer.heard.length >= 2 ? true : undefined), "the peer to hear both");
    expect([...peer.heard].sort()).toEqual(["deliveries", "requests"]);
    // Another announcement on the other schema arrives after anything the first one sent.
    peer.wakeups.announce("requests");
    await until(() => (announcer.heard.length > 0 ? true : undefined), "the peer's announcement");
    expect(announcer.heard).toEqual(["requests"]);
    expect(elsewhere.heard).toEqual([]);
  });

  it("gathers a burst of announcements into one notification", async () => {
    const announcer = await open(schema.url);
    const peer = await open(schema.url);
    for (let index = 0; index < 100; index++) announcer.wakeups.announce("deliveries");
    await until(() => (peer.heard.length > 0 ? true : undefined), "the notification");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(peer.heard).toEqual(["deliveries"]);
  });

  it("listens again after PostgreSQL ends its connection, and wakes its listener once it does", async () => {
    const announcer = await open(schema.url);
    const peer = await open(schema.url);
    const pid = peer.wakeups.listenerProcessId;
    expect(pid).toBeGreaterThan(0);
    const [terminated] = await schema.query(`SELECT pg_terminate_backend(${pid}) AS terminated`);
    expect(terminated).toEqual({ terminated: true });
    // The fault happened: the connection broke and was reported.
    await until(() => (peer.errors.length > 0 ? true : undefined), "the broken connection");
    expect(peer.errors[0]?.message).toMatch(/listening for other instances' work stopped/);
    // Notifications sent while it was gone are lost: it wakes its listener when it listens again.
    const reconnected = await until(
      () => (peer.heard.length >= 2 ? peer.wakeups.listenerProcessId : undefined),
      "listening again",
    );
    expect(reconnected).not.toBe(pid);
    expect([...peer.heard].sort()).toEqual(["deliveries", "requests"]);
    peer.heard.length = 0;
    announcer.wakeups.announce("deliveries");
    await until(() => (peer.heard.length > 0 ? true : undefined), "a notification after it");
    expect(peer.heard).toEqual(["deliveries"]);
  });
});
