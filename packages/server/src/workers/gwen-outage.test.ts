import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import {
  apiKeyChecked,
  deliveredUserIds,
  eventually,
  serversClosedAfterEach,
} from "../testing/test-server.js";

const start = serversClosedAfterEach();

const track = (userId: string) => ({ type: "track", event: "Played", userId });

describe("GWEN unavailable", () => {
  it("backs off as a whole instead of retrying each delivery, says so, and delivers everything once GWEN answers", async () => {
    const t = await start();
    await apiKeyChecked(t);
    t.emulator.setFaults({ errorRate: 1, errorStatus: 503 });
    const users = Array.from({ length: 20 }, () => randomUUID());
    expect((await t.post("/v1/batch", { batch: users.map(track) })).status).toBe(200);
    const health = await eventually(async () => {
      const answer = (await t.get("/healthz")).json;
      return answer.delivery === "backing off" ? answer : undefined;
    }, "delivery backing off");
    expect(health.unavailableBecause).toMatch(/503/);
    expect((await t.get("/readyz")).status).toBe(200);
    expect((await t.get("/metrics")).text).toMatch(/^gwenmap_gwen_unavailable 1$/m);
    // Retrying each delivery on its own (10 ms base delay here) would send hundreds of requests meanwhile.
    await sleep(1_500);
    expect(t.emulator.stats().httpErrors ?? 0).toBeLessThan(40);
    t.emulator.setFaults({});
    await eventually(
      () => (t.emulator.requests().length >= users.length ? true : undefined),
      "every delivery",
    );
    expect(deliveredUserIds(t).sort()).toEqual([...users].sort());
    await eventually(
      async () => ((await t.get("/healthz")).json.delivery === "running" ? true : undefined),
      "delivery running again",
    );
    expect((await t.get("/metrics")).text).toMatch(/^gwenmap_gwen_unavailable 0$/m);
    expect(t.logText()).toMatch(/GWEN is unavailable: delivery backs off for 1 s/);
    expect(t.logText()).toMatch(/GWEN answers again: delivery resumed/);
  });
});
