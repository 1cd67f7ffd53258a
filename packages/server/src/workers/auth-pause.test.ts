import { DEFAULT_EMULATOR_API_KEY } from "@gwenmap/gwen-adapter/emulator";
import { describe, expect, it } from "vitest";
import { eventually, serversClosedAfterEach, USER_ID } from "../testing/test-server.js";

const start = serversClosedAfterEach();

describe("when GWEN refuses the API key", () => {
  it("pauses delivery, says so on /healthz and /readyz, drops nothing, and resumes once the key works", async () => {
    const t = await start({ emulatorOptions: { apiKeys: ["the-key-gwen-expects"] } });
    const calls = ["a", "b", "c"].map((step) => ({
      type: "track",
      event: "Step",
      userId: USER_ID,
      properties: { step },
    }));
    expect((await t.post("/v1/batch", { batch: calls })).status).toBe(200);
    const health = await eventually(async () => {
      const answer = await t.get("/healthz");
      return answer.json.delivery === "paused" ? answer : undefined;
    }, "the pause");
    expect(health.status).toBe(200);
    expect(health.json.pausedBecause).toMatch(/API key|401/i);
    const ready = await t.get("/readyz");
    expect(ready.status).toBe(503);
    expect(ready.json.problems).toEqual([expect.stringMatching(/GWEN refuses the API key/)]);
    expect(t.logs().some((line) => String(line.msg).startsWith("GWEN refuses the API key"))).toBe(
      true,
    );
    const stats = await eventually(async () => {
      const text = (await t.get("/metrics")).text;
      return /gwenmap_queue_depth\{stage="pending"\} 3/.test(text) ? text : undefined;
    }, "three pending deliveries");
    expect(stats).toMatch(/gwenmap_delivery_paused 1/);
    expect(t.emulator.requests()).toEqual([]);

    t.emulator.setApiKeys([DEFAULT_EMULATOR_API_KEY]);
    await eventually(
      () => (t.emulator.requests().length === 3 ? true : undefined),
      "the held deliveries",
    );
    const steps = t.emulator
      .requests()
      .map((request) => (request.variables.data as { step: string }).step);
    expect(steps.sort()).toEqual(["a", "b", "c"]);
    expect((await t.get("/healthz")).json).toEqual({ status: "ok", delivery: "running" });
    expect((await t.get("/readyz")).status).toBe(200);
    const dead = (await t.get("/metrics")).text.match(/outcome="dead"/g);
    expect(dead).toBeNull();
  });
});
