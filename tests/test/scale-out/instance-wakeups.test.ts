import { beforeAll, describe, expect, it } from "vitest";
import { createQueueSchema, type QueueSchema } from "../../support/scale-out/postgres-schema.js";
import { postTrack, userFor, wakePairFixture, wakeups } from "../../support/scale-out/wake-pair.js";
import { eventually } from "../../support/server/spawn-server.js";

const EVENTS = 5;
/**
 * Generous against the 50 ms aimed at (the machine running the tests is
 * shared), yet half the workers' one-second poll: five events in a row
 * within it are not polling's luck.
 */
const BOUND_MS = 500;

const fixture = wakePairFixture();
let schema: QueueSchema;

beforeAll(async () => {
  schema = await createQueueSchema();
  fixture.cleanup(() => schema.drop());
});

describe("two instances on one PostgreSQL queue: LISTEN/NOTIFY", () => {
  it("an event taken by one instance is delivered by the other, woken by its notification", async () => {
    const { taker, deliverer } = await fixture.start(schema.url);
    const latencies: number[] = [];
    // The first event opens the connections (to PostgreSQL, to GWEN) that the quiet path then reuses.
    for (let index = 0; index <= EVENTS; index++) {
      const userId = userFor(index);
      const before = await wakeups(deliverer);
      // From before the request: the event's commit comes later, so this only overstates the latency.
      const sentAt = await postTrack(taker, userId);
      const deliveredAt = await eventually(() => fixture.receivedAt(userId), `event ${index}`);
      if (index > 0) latencies.push(deliveredAt - sentAt);
      // The mechanism: the other instance was told, and woke (to map it, or to deliver it).
      expect(await wakeups(deliverer)).toBeGreaterThan(before);
    }
    expect(latencies).toHaveLength(EVENTS);
    expect(
      latencies.every((latency) => latency < BOUND_MS),
      String(latencies),
    ).toBe(true);
    const errors = taker.logs.filter((entry) => entry.level === 50);
    expect(errors.map((entry) => entry.msg)).toEqual([
      expect.stringContaining("GWEN refuses the API key"),
    ]);
  }, 60_000);
});
