import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { prepareVariables } from "@gwenmap/gwen-adapter";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ServerMetrics } from "../metrics/server-metrics.js";
import type { StoredRequest } from "../queue/job-store.js";
import { MappingSet } from "./mapping-set.js";

const USER_ID = "3f1c9d2e-8a4b-4c6d-9e0f-1a2b3c4d5e6f";
const header = (trigger: string) => `/**\n * @action sendEvent\n * @trigger ${trigger}\n */\n`;
const PLAIN = `${header('type = "track"')}{ "userId": userId, "type": event }`;
/** Tens of milliseconds of evaluation for one event: on the main thread no timer could fire meanwhile. */
const SLOW = `${header('type = "track"')}{ "userId": userId, "type": event, "data": { "n": $count($filter([1..60000], function($v) { $v % 7 = 0 })) } }`;

let dir: string;
let set: MappingSet | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "gwenmap-mapping-set-"));
});
afterEach(async () => {
  await set?.close();
  set = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function load(mapping: string): Promise<MappingSet> {
  await writeFile(join(dir, "send-event.jsonata"), mapping);
  const metrics = new ServerMetrics(async () => {
    throw new Error("not read in this test");
  });
  set = await MappingSet.load(dir, { logger: pino({ level: "silent" }), metrics });
  return set;
}

function track(event: string, id = 1): StoredRequest {
  const body = JSON.stringify({ type: "track", event, userId: USER_ID, messageId: `m-${id}` });
  return { id, requestId: `r-${id}`, kind: "track", receivedAt: 0, source: "0", events: 1, body };
}

describe("MappingSet", () => {
  it("maps requests on its thread into events with their records", async () => {
    const mappings = await load(PLAIN);
    expect(mappings.count).toBe(1);
    const [event] = await mappings.mapRequests([track("Signed Up")]);
    expect(event?.messageId).toBe("m-1");
    expect(event?.records).toEqual([
      {
        kind: "delivery",
        mapping: "send-event",
        action: "sendEvent",
        variables: prepareVariables("sendEvent", { userId: USER_ID, type: "Signed Up" }),
      },
    ]);
  });

  it("keeps the event loop free while a slow mapping runs", async () => {
    const mappings = await load(SLOW);
    const order: string[] = [];
    const mapped = mappings.mapRequests([track("A")]).then(([event]) => {
      order.push("mapped");
      const record = event?.records[0];
      expect(record?.kind === "delivery" && record.variables).toContain('"n":8571');
    });
    setTimeout(() => order.push("timer"), 0);
    await mapped;
    expect(order).toEqual(["timer", "mapped"]);
  });

  it("refuses a broken set at start with the file and position of each error", async () => {
    await expect(load(`${header('type = "track"')}{ "userId": `)).rejects.toMatchObject({
      code: "E_MAPPINGS_INVALID",
      message: expect.stringMatching(/send-event\.jsonata:\d+:\d+/),
    });
  });
});
