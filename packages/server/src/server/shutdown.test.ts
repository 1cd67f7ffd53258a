import { describe, expect, it } from "vitest";
import { deliveredUserIds, eventually, serversClosedAfterEach } from "../testing/test-server.js";

const start = serversClosedAfterEach();

function users(count: number): string[] {
  return Array.from(
    { length: count },
    (_, index) => `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`,
  );
}

describe("shutdown and restart", () => {
  it("finishes deliveries in flight on close, and delivers the rest after a restart", async () => {
    const t = await start({
      concurrency: 4,
      shutdownGraceMs: 5_000,
      emulatorOptions: { faults: { latencyMs: 150 } },
    });
    const expected = users(30);
    const batch = expected.map((userId) => ({ type: "track", event: "E", userId }));
    expect((await t.post("/v1/batch", { batch })).status).toBe(200);
    await eventually(
      () => ((t.emulator.stats().requests ?? 0) > 2 ? true : undefined),
      "deliveries",
    );
    await t.server.close();
    const beforeRestart = deliveredUserIds(t);
    expect(beforeRestart.length).toBeLessThan(30);
    await t.restart();
    await eventually(() => (deliveredUserIds(t).length >= 30 ? true : undefined), "all deliveries");
    expect(new Set(deliveredUserIds(t))).toEqual(new Set(expected));
    expect(deliveredUserIds(t)).toHaveLength(30);
  });

  it("releases deliveries still in flight when the grace period ends, and sends them after a restart", async () => {
    const t = await start({
      concurrency: 2,
      shutdownGraceMs: 0,
      emulatorOptions: { faults: { latencyMs: 1_000 } },
    });
    const expected = users(4);
    const batch = expected.map((userId) => ({ type: "track", event: "E", userId }));
    await t.post("/v1/batch", { batch });
    await eventually(
      () => ((t.emulator.stats().requests ?? 0) >= 2 ? true : undefined),
      "in flight",
    );
    await t.server.close();
    t.emulator.setFaults({});
    await t.restart();
    await eventually(
      () => (new Set(deliveredUserIds(t)).size === 4 ? true : undefined),
      "every delivery, at least once",
    );
    expect((await t.get("/metrics")).text).not.toMatch(/outcome="dead"/);
  });

  it("answers 503 to requests that arrive while it shuts down", async () => {
    const t = await start({
      shutdownGraceMs: 2_000,
      emulatorOptions: { faults: { latencyMs: 500 } },
    });
    await t.post("/v1/track", { event: "E", userId: users(1)[0] });
    await eventually(
      () => ((t.emulator.stats().requests ?? 0) >= 1 ? true : undefined),
      "in flight",
    );
    const url = t.server.url;
    const closing = t.server.close();
    const refused = await fetch(`${url}/v1/track`, { method: "POST", body: "{}" }).then(
      (response) => response.status,
      () => "refused",
    );
    expect([503, "refused"]).toContain(refused);
    await closing;
    await t.restart();
  });
});
