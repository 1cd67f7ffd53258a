import { describe, expect, it } from "vitest";
import {
  eventually,
  serversClosedAfterEach,
  startTestServer,
  type TestServer,
  USER_ID,
} from "../testing/test-server.js";

const typed = (type: string) =>
  `/**\n * @action sendEvent\n * @trigger type = "track"\n */\n{ "userId": userId, "type": "${type}" }`;
const BROKEN = `/**\n * @action sendEvent\n * @trigger type = "track"\n */\n{ "userId": userId, "type": `;

const start = serversClosedAfterEach();

async function deliveredTypes(t: TestServer, count: number): Promise<unknown[]> {
  return eventually(() => {
    const types = t.emulator.requests().map((request) => request.variables.type);
    return types.length === count ? types : undefined;
  }, `${count} deliveries`);
}

describe("mapping reload", () => {
  it("swaps in a good set: later events are mapped by the new mappings", async () => {
    const t = await start({ mappings: { "send-event": typed("first") } });
    await t.post("/v1/track", { event: "E", userId: USER_ID });
    await deliveredTypes(t, 1);
    await t.writeMapping("send-event", typed("second"));
    expect(await t.server.reload()).toEqual({ ok: true, mappings: ["send-event"] });
    await t.post("/v1/track", { event: "E", userId: USER_ID });
    expect(await deliveredTypes(t, 2)).toEqual(["first", "second"]);
    expect((await t.get("/metrics")).text).toMatch(
      /gwenmap_mapping_reloads_total\{result="applied"\} 1/,
    );
  });

  it("refuses a broken set with its errors logged, and keeps the running one", async () => {
    const t = await start({ mappings: { "send-event": typed("kept") } });
    await t.writeMapping("send-event", BROKEN);
    const result = await t.server.reload();
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors.join("\n")).toMatch(/send-event\.jsonata:\d+:\d+/);
    const logged = t.logs().find((line) => String(line.msg).startsWith("mapping reload refused"));
    expect(logged?.errors).toEqual(errors);
    await t.post("/v1/track", { event: "E", userId: USER_ID });
    expect(await deliveredTypes(t, 1)).toEqual(["kept"]);
    expect((await t.get("/readyz")).json).toMatchObject({ ready: true, mappings: 1 });
  });

  it("reloads by itself when a mapping file changes", async () => {
    const t = await start({ mappings: { "send-event": typed("before") }, watch: true });
    await t.writeMapping("send-event", typed("after"));
    await eventually(
      () => t.logs().find((line) => String(line.msg).startsWith("mappings reloaded")),
      "the reload",
    );
    await t.post("/v1/track", { event: "E", userId: USER_ID });
    expect(await deliveredTypes(t, 1)).toEqual(["after"]);
  });

  it("does not start with a broken set", async () => {
    await expect(startTestServer({ mappings: { "send-event": BROKEN } })).rejects.toMatchObject({
      code: "E_MAPPINGS_INVALID",
      message: expect.stringMatching(/send-event\.jsonata:\d+:\d+/),
    });
  });
});
