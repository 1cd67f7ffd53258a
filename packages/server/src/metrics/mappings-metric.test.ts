import { describe, expect, it } from "vitest";
import { serversClosedAfterEach, type TestServer } from "../testing/test-server.js";

const start = serversClosedAfterEach();

const compiled = `/**
 * @action sendEvent
 * @trigger type = "track"
 */
{ "userId": userId, "type": type, "data": properties }
`;

/** A positional binding in the expression: evaluated by jsonata's interpreter. */
const regexExpression = `/**
 * @action sendEvent
 * @trigger type = "track"
 */
{ "userId": userId, "type": properties.products#$i[$i = 0].sku }
`;

/** A positional binding in the trigger only: the mapping still counts as jsonata. */
const regexTrigger = `/**
 * @action sendEvent
 * @trigger type = "track" and properties.products#$i[$i = 0].sku
 */
{ "userId": userId, "type": "order" }
`;

async function mappingsGauge(t: TestServer): Promise<Record<string, number | undefined>> {
  const text = (await t.get("/metrics")).text;
  const read = (kind: string) => {
    const match = new RegExp(`^gwenmap_mappings\\{evaluator="${kind}"\\} (\\S+)$`, "m").exec(text);
    return match?.[1] === undefined ? undefined : Number(match[1]);
  };
  return { compiled: read("compiled"), jsonata: read("jsonata") };
}

describe("gwenmap_mappings on /metrics", () => {
  it("counts mappings by evaluator, a fallback in the trigger or the expression counting as jsonata", async () => {
    const t = await start({
      mappings: { compiled, "regex-expression": regexExpression, "regex-trigger": regexTrigger },
    });
    expect(await mappingsGauge(t)).toEqual({ compiled: 1, jsonata: 2 });
  });

  it("follows a reload", async () => {
    const t = await start({ mappings: { compiled } });
    expect(await mappingsGauge(t)).toEqual({ compiled: 1, jsonata: 0 });
    await t.writeMapping("regex-trigger", regexTrigger);
    await t.writeMapping("also-compiled", compiled);
    expect(await t.server.reload()).toMatchObject({ ok: true });
    expect(await mappingsGauge(t)).toEqual({ compiled: 2, jsonata: 1 });
  });
});
