import { describe, expect, it } from "vitest";
import { eventually, serversClosedAfterEach, USER_ID } from "../testing/test-server.js";

const start = serversClosedAfterEach();

function value(text: string, series: string): number | undefined {
  const escaped = series.replace(/[{}()[\]."+*?^$|\\]/g, "\\$&");
  const match = new RegExp(`^${escaped} (\\S+)$`, "m").exec(text);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

describe("GET /metrics", () => {
  it("counts events, deliveries, rejections and latency, and shows the queue and the mappings", async () => {
    const t = await start();
    const batch = [
      { type: "track", event: "E", userId: USER_ID },
      { type: "identify", userId: USER_ID },
      { type: "track", event: "Bad", userId: "not-a-uuid" },
    ];
    await t.post("/v1/batch", { batch });
    await eventually(() => (t.emulator.requests().length === 2 ? true : undefined), "deliveries");
    const text = await eventually(async () => {
      const body = (await t.get("/metrics")).text;
      return value(body, 'gwenmap_queue_depth{stage="pending"}') === 0 ? body : undefined;
    }, "an empty queue");
    expect(value(text, 'gwenmap_events_received_total{endpoint="batch"}')).toBe(3);
    expect(value(text, 'gwenmap_events_rejected_total{code="E_PAYLOAD_INVALID"}')).toBe(1);
    expect(value(text, 'gwenmap_deliveries_total{mapping="send-event",outcome="ok"}')).toBe(1);
    expect(value(text, 'gwenmap_deliveries_total{mapping="identify-user",outcome="ok"}')).toBe(1);
    expect(value(text, 'gwenmap_delivery_latency_seconds_count{mapping="send-event"}')).toBe(1);
    expect(value(text, 'gwenmap_queue_depth{stage="unmapped"}')).toBe(0);
    expect(value(text, 'gwenmap_dead_letters{state="rejected"}')).toBe(1);
    expect(value(text, "gwenmap_oldest_pending_age_seconds")).toBe(0);
    expect(value(text, "gwenmap_delivery_paused")).toBe(0);
    const compiled = value(text, 'gwenmap_mappings{evaluator="compiled"}') ?? 0;
    const interpreted = value(text, 'gwenmap_mappings{evaluator="jsonata"}') ?? 0;
    expect(compiled + interpreted).toBe(2);
  });

  it("includes the process's and Node.js's own metrics", async () => {
    const t = await start();
    const text = (await t.get("/metrics")).text;
    expect(value(text, "process_cpu_seconds_total")).toBeGreaterThan(0);
    expect(value(text, "nodejs_heap_size_used_bytes")).toBeGreaterThan(0);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \S+$/m);
  });

  it("shows the age of the oldest event not yet delivered", async () => {
    const t = await start({ emulatorOptions: { apiKeys: ["not-the-server-key"] } });
    await t.post("/v1/track", { event: "E", userId: USER_ID });
    await eventually(async () => {
      const body = (await t.get("/metrics")).text;
      return (value(body, "gwenmap_oldest_pending_age_seconds") ?? 0) > 0 ? true : undefined;
    }, "a pending age above 0");
  });
});
