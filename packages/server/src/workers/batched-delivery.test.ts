import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  ADMIN_TOKEN,
  deliveredUserIds,
  eventually,
  serversClosedAfterEach,
} from "../testing/test-server.js";

const start = serversClosedAfterEach();

const track = (userId: string, n: number) => ({
  type: "track",
  event: "Played",
  userId,
  properties: { n },
});

describe("GWENMAP_BATCH_SIZE: several deliveries per GWEN request", () => {
  it("sends due deliveries as aliased mutations, batchSize per request, each delivered once", async () => {
    const t = await start({ batchSize: 10 });
    const users = Array.from({ length: 25 }, () => randomUUID());
    expect(
      (await t.post("/v1/batch", { batch: users.map((user, n) => track(user, n)) })).status,
    ).toBe(200);
    await eventually(
      () => (t.emulator.requests().length >= 25 ? true : undefined),
      "25 deliveries",
    );
    expect(deliveredUserIds(t).sort()).toEqual([...users].sort());
    const stats = t.emulator.stats();
    // One query claims the 25 deliveries mapped together: 10 + 10 + 5.
    expect((stats.requests ?? 0) - (stats.validateApiKey ?? 0)).toBe(3);
    expect(stats.operations).toBe(25);
  });

  it("settles each delivery of a request by its own outcome: one refused by GWEN does not hold back the others", async () => {
    const refused = randomUUID();
    const t = await start({
      batchSize: 10,
      adminToken: ADMIN_TOKEN,
      retryWindowMs: 1,
      emulatorOptions: { faults: { rejectUserIds: [refused] } },
    });
    const users = [...Array.from({ length: 9 }, () => randomUUID()), refused];
    await t.post("/v1/batch", { batch: users.map((user, n) => track(user, n)) });
    await eventually(() => (t.emulator.requests().length >= 9 ? true : undefined), "9 deliveries");
    const dead = await eventually(async () => {
      const page = (await t.get("/admin/dead-letters", { authorization: `Bearer ${ADMIN_TOKEN}` }))
        .json;
      const items = page.items as { state: string; mapping: string; event: { userId: string } }[];
      return items.length > 0 ? items : undefined;
    }, "the refused delivery dead-lettered");
    expect(dead.map((item) => [item.state, item.event.userId])).toEqual([["dead", refused]]);
    expect(deliveredUserIds(t).sort()).toEqual(users.filter((user) => user !== refused).sort());
  });
});
