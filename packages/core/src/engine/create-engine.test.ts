import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contracts, userId } from "../../test/contracts.js";
import { mappingDir, mappingFile } from "../../test/mapping-dir.js";
import { codeFrame } from "../format/code-frame.js";
import type { Engine } from "./engine.js";
import { loadEngine } from "./load-engine.js";
import type { MapResult } from "./map-result.js";

const presets = {
  "send-event.jsonata": mappingFile(
    "sendEvent",
    'type = "track"',
    '{ "userId": userId, "type": type, "data": properties }',
  ),
  "identify-user.jsonata": mappingFile(
    "identifyUser",
    'type = "identify"',
    '{ "userId": userId, "ip": context.ip, "userAgent": context.userAgent }',
  ),
};

async function engineFor(
  files: Record<string, string>,
  limits?: { timeoutMs?: number; maxDepth?: number },
) {
  const { dir, remove } = await mappingDir(files);
  const loaded = await loadEngine(dir, { contracts, ...(limits ? { limits } : {}) });
  await remove();
  if (!loaded.ok) throw new Error(loaded.errors.map(String).join("\n"));
  return loaded.engine;
}

describe("mapEvent with the Segment presets", () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await engineFor(presets);
  });

  it("turns a track call into a sendEvent payload of plain JSON", async () => {
    const result = await engine.mapEvent({
      type: "track",
      event: "Order Completed",
      userId,
      messageId: "m-1",
      properties: { total: 12.5, items: [{ sku: "a" }] },
    });
    expect(result).toStrictEqual({
      messageId: "m-1",
      deliveries: [
        {
          mapping: "send-event",
          action: "sendEvent",
          payload: { userId, type: "track", data: { total: 12.5, items: [{ sku: "a" }] } },
        },
      ],
      rejections: [],
    });
    const payload = result.deliveries[0]?.payload as { data: { items: unknown[] } };
    expect(Object.getPrototypeOf(payload)).toBe(Object.prototype);
    expect(Object.keys(payload.data.items)).toEqual(["0"]);
  });

  it("omits undefined fields and drops null and empty-string fields as Segment does", async () => {
    const withoutContext = await engine.mapEvent({ type: "identify", userId });
    expect(withoutContext.deliveries[0]?.payload).toStrictEqual({ userId });
    const emptyContext = await engine.mapEvent({
      type: "identify",
      userId,
      context: { ip: "", userAgent: null },
    });
    expect(emptyContext.deliveries[0]?.payload).toStrictEqual({ userId });
    const withoutProperties = await engine.mapEvent({ type: "track", event: "Signed Up", userId });
    expect(withoutProperties.deliveries[0]?.payload).toStrictEqual({ userId, type: "track" });
  });

  it("rejects a userId that is not a uuid with Segment's message, the field, the mapping and the messageId", async () => {
    const result = await engine.mapEvent({
      type: "track",
      event: "Signed Up",
      userId: "user-42",
      messageId: "m-7",
    });
    expect(result.deliveries).toEqual([]);
    expect(result.rejections).toEqual([
      {
        mapping: "send-event",
        action: "sendEvent",
        code: "E_PAYLOAD_INVALID",
        path: "/userId",
        message: expect.stringMatching(
          /^User ID must be a valid uuid string but it was not\. \[mapping send-event \(.*send-event\.jsonata\), field \/userId, messageId m-7\]$/,
        ),
        violations: [
          {
            path: "/userId",
            message: "User ID must be a valid uuid string but it was not.",
            value: "user-42",
          },
        ],
      },
    ]);
  });

  it("rejects an anonymous-only call: GWEN needs a userId", async () => {
    const result = await engine.mapEvent({ type: "identify", anonymousId: "anon-1" });
    expect(result.rejections[0]).toMatchObject({
      code: "E_PAYLOAD_INVALID",
      path: "/userId",
      message: expect.stringContaining("The root value is missing the required field 'userId'."),
    });
  });

  it("rejects only what Segment refuses, with every violation, whatever the input is", async () => {
    const result = await engine.mapEvent({
      type: "track",
      userId: "",
      anonymousId: null,
      properties: [],
      messageId: "m-9",
    });
    expect(result.rejections).toHaveLength(1);
    const [rejection] = result.rejections;
    expect(rejection?.code).toBe("E_EVENT_INVALID");
    expect(rejection?.mapping).toBeUndefined();
    expect(rejection?.violations?.map((v) => v.path)).toEqual(["/userId", "/event"]);
    expect(rejection?.message).toBe(
      "not a valid Segment event: The event needs one of the fields 'userId' or 'anonymousId' (Segment refuses a call with neither). The event is missing the required field 'event' (a track call's name). [messageId m-9]",
    );
    for (const input of [null, "track", 42, [], undefined, { type: "trak", userId }, { userId }]) {
      const bad = await engine.mapEvent(input);
      expect(bad.rejections[0]?.code).toBe("E_EVENT_INVALID");
      expect(bad.deliveries).toEqual([]);
    }
  });

  it("maps what Segment passes on: odd values reach the payload, which names the field it cannot take", async () => {
    const odd = await engine.mapEvent({
      type: "track",
      event: 42,
      userId: [userId],
      properties: ["a"],
      context: null,
      timestamp: 1,
    });
    expect(odd.rejections).toMatchObject([
      {
        code: "E_PAYLOAD_INVALID",
        path: "/data",
        message: expect.stringContaining("Data must be an object but it was an array."),
      },
    ]);
    const identify = await engine.mapEvent({
      type: "identify",
      userId: [userId],
      traits: "x",
      context: { ip: 1234, userAgent: true },
    });
    // coerced as Segment's runtime coerces before its destination sends
    expect(identify.deliveries).toMatchObject([
      { payload: { userId, ip: "1234", userAgent: "true" } },
    ]);
    const numeric = await engine.mapEvent({ type: "identify", userId: 42 });
    expect(numeric.rejections).toMatchObject([
      {
        path: "/userId",
        message: expect.stringContaining("User ID must be a valid uuid string but it was not."),
      },
    ]);
  });

  it("answers synchronously with mapEventSync when every mapping met is compiled, with a promise when jsonata's is", async () => {
    const event = { type: "track", event: "x", userId, properties: { a: 1 } };
    const now = engine.mapEventSync(event);
    expect(now).not.toBeInstanceOf(Promise);
    expect(now).toEqual(await engine.mapEvent(event));
    const invalid = engine.mapEventSync({ type: "nope" });
    expect(invalid).not.toBeInstanceOf(Promise);
    expect((invalid as MapResult).rejections[0]?.code).toBe("E_EVENT_INVALID");
    const withFallback = await engineFor({
      ...presets,
      "positional.jsonata": mappingFile(
        "sendEvent",
        'type = "track"',
        '{ "userId": userId, "type": $string($count(properties#$i)) & event }',
      ),
    });
    const later = withFallback.mapEventSync(event);
    expect(later).toBeInstanceOf(Promise);
    expect((await later).deliveries.map((delivery) => delivery.payload.type).sort()).toEqual([
      "1x",
      "track",
    ]);
  });

  it("fires nothing for calls no mapping is for", async () => {
    const result = await engine.mapEvent({ type: "page", name: "Home", userId });
    expect(result).toStrictEqual({ deliveries: [], rejections: [] });
  });

  it("maps __proto__ and constructor keys as plain data and never alters prototypes", async () => {
    const event = JSON.parse(
      `{"type":"track","event":"x","userId":"${userId}","properties":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}}`,
    );
    const result = await engine.mapEvent(event);
    const data = result.deliveries[0]?.payload.data as Record<string, unknown>;
    expect(Object.keys(data)).toEqual(["__proto__", "constructor"]);
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("mapEvent bounds and failures", () => {
  it("stops an endless recursion with a depth rejection and keeps going", async () => {
    const engine = await engineFor(
      {
        "loop.jsonata": mappingFile(
          "sendEvent",
          "true",
          '( $f := function($n) { 1 + $f($n + 1) }; { "userId": $f(0) } )',
        ),
        "ok.jsonata": mappingFile("sendEvent", "true", '{ "userId": userId, "type": "ok" }'),
      },
      { maxDepth: 50 },
    );
    const result = await engine.mapEvent({ type: "track", event: "x", userId, messageId: "m-1" });
    expect(result.rejections).toMatchObject([
      { mapping: "loop", code: "E_EVALUATION_DEPTH", jsonataCode: "D1011" },
    ]);
    expect(result.rejections[0]?.message).toMatch(
      /^the expression recursed deeper than the depth limit \(.*loop\.jsonata:5:\d+\)/,
    );
    expect(result.deliveries.map((d) => d.mapping)).toEqual(["ok"]);
  });

  it("stops an endless tail recursion (which jsonata runs without growing its stack) at the time limit", async () => {
    const engine = await engineFor(
      {
        "spin.jsonata": mappingFile(
          "sendEvent",
          "true",
          '( $f := function($n) { $f($n + 1) }; { "userId": $f(0) } )',
        ),
      },
      { timeoutMs: 30 },
    );
    const result = await engine.mapEvent({ type: "track", event: "x", userId });
    expect(result.rejections[0]).toMatchObject({
      mapping: "spin",
      code: "E_EVALUATION_TIMEOUT",
      jsonataCode: "D1012",
    });
  });

  it("stops a slow evaluation at the time limit", async () => {
    const engine = await engineFor(
      {
        "slow.jsonata": mappingFile(
          "sendEvent",
          "true",
          '{ "userId": $string($sum([1..5000].($count([1..5000])))) }',
        ),
      },
      { timeoutMs: 20 },
    );
    const result = await engine.mapEvent({ type: "track", event: "x", userId });
    expect(result.rejections[0]).toMatchObject({
      code: "E_EVALUATION_TIMEOUT",
      jsonataCode: "D1012",
    });
  });

  it("reports a runtime error with its jsonata code and position in the file", async () => {
    const engine = await engineFor({
      "bad.jsonata": mappingFile(
        "sendEvent",
        "true",
        '{\n  "userId": userId,\n  "type": properties.total + "x"\n}',
      ),
    });
    const result = await engine.mapEvent({
      type: "track",
      event: "x",
      userId,
      properties: { total: 1 },
    });
    expect(result.rejections[0]).toMatchObject({
      code: "E_EVALUATION_FAILED",
      jsonataCode: "T2002",
    });
    expect(result.rejections[0]?.message).toMatch(
      /the expression failed at .*bad\.jsonata:7:\d+: T2002 /,
    );
  });

  it.each([
    ["compiled", ""],
    ["jsonata's interpreter", "properties#$i and "],
  ])(
    "locates a runtime error at the sub-expression that failed, in a trigger across header lines and in an expression (%s)",
    async (_engine, fallback) => {
      const text = [
        "/**",
        " * @action sendEvent",
        ` * @trigger ${fallback}type = "track" and`,
        " *   properties.level >= 10",
        " */",
        "(",
        '  $check := function($v) { $v ? $error("no coupons: " & $v) : "ok" };',
        `  { "userId": userId, "type": ${fallback ? "$string($count(properties#$i)) & " : ""}$check(properties.coupon) }`,
        ")",
      ].join("\n");
      const engine = await engineFor({ "located.jsonata": text });
      const position = (needle: string) => {
        const offset = text.indexOf(needle);
        const before = text.slice(0, offset).split("\n");
        return { line: before.length, column: before.at(-1)!.length + 1 };
      };
      const trigger = await engine.mapEvent({
        type: "track",
        event: "x",
        userId,
        properties: { level: "high" },
      });
      expect(trigger.rejections[0]).toMatchObject({
        code: "E_TRIGGER_FAILED",
        jsonataCode: "T2009",
        // jsonata places errors of an operand of `and` at the `and`: the location is the operand
        location: { part: "trigger", ...position("properties.level >= 10") },
      });
      expect(trigger.rejections[0]?.location?.file).toMatch(/located\.jsonata$/);
      const { line, column } = position("properties.level >= 10");
      expect(trigger.rejections[0]?.message).toContain(`located.jsonata:${line}:${column}: T2009`);

      const expression = await engine.mapEvent({
        type: "track",
        event: "x",
        userId,
        properties: { level: 12, coupon: "SAVE" },
      });
      const rejection = expression.rejections[0];
      expect(rejection).toMatchObject({
        code: "E_EVALUATION_FAILED",
        jsonataCode: "D3137",
        location: { part: "expression", ...position('$error("no coupons') },
      });
      expect(rejection?.message).toContain("no coupons: SAVE");
      const located = rejection?.location;
      const mapping = engine.mappings[0]!;
      expect(mapping.expression.slice(located!.offset)).toMatch(/^\$error\(/);
      expect(codeFrame(text, located!)).toMatch(/> 7 \|.*\$error\(.*\n\s*\|\s+\^/);
    },
  );

  it("lets every mapping read the event as it arrived, though jsonata's interpreter writes into what it reads", async () => {
    const engine = await engineFor({
      // falls back to jsonata (a positional binding); its group-by pushes into an empty array it reads
      "a-grouping.jsonata": mappingFile(
        "sendEvent",
        "true",
        '{ "userId": userId, "type": properties#$i ? "grouped" : "x", "data": properties.list{"k": "v"} }',
      ),
      "b-counting.jsonata": mappingFile(
        "sendEvent",
        "true",
        '{ "userId": userId, "type": $string($count(properties.list)) }',
      ),
    });
    const event = { type: "track", event: "e", userId, properties: { list: [] } };
    const result = await engine.mapEvent(event);
    expect(result.deliveries.map((delivery) => delivery.payload.type)).toEqual(["grouped", "0"]);
    expect(event.properties.list).toEqual([]);
  });

  it("rejects a mapping that returns something other than an object", async () => {
    const engine = await engineFor({
      "list.jsonata": mappingFile("sendEvent", "true", "[1, 2]"),
      "nothing.jsonata": mappingFile("sendEvent", "true", "properties.missing"),
    });
    const result = await engine.mapEvent({ type: "track", event: "x", userId });
    expect(result.rejections.map((r) => [r.mapping, r.code])).toEqual([
      ["list", "E_PAYLOAD_NOT_OBJECT"],
      ["nothing", "E_PAYLOAD_NOT_OBJECT"],
    ]);
    expect(result.rejections[1]?.message).toContain("but returned nothing");
  });

  it("rejects fields the action does not define instead of dropping them", async () => {
    const engine = await engineFor({
      "extra.jsonata": mappingFile(
        "sendEvent",
        "true",
        '{ "userId": userId, "type": "t", "points": 10 }',
      ),
    });
    const result = await engine.mapEvent({ type: "track", event: "x", userId });
    expect(result.rejections[0]).toMatchObject({ code: "E_PAYLOAD_INVALID", path: "/points" });
  });
});

describe("explain", () => {
  it("says for every mapping why it fired or not, with the trigger's value and the failing field", async () => {
    const engine = await engineFor({
      ...presets,
      "big-order.jsonata": mappingFile(
        "sendEvent",
        'type = "track" and properties.total > 100',
        '{ "userId": userId, "type": "big" }',
      ),
      "off.jsonata": `/**\n * @action sendEvent\n * @trigger true\n * @disabled\n */\n{}`,
    });
    const result = await engine.mapEvent(
      { type: "track", event: "Order Completed", userId: "nope", properties: { total: 5 } },
      { explain: true },
    );
    expect(result.explanation).toEqual([
      { mapping: "big-order", action: "sendEvent", status: "not-triggered", triggerValue: false },
      {
        mapping: "identify-user",
        action: "identifyUser",
        status: "skipped-by-index",
        triggerValue: false,
      },
      { mapping: "off", action: "sendEvent", status: "disabled" },
      {
        mapping: "send-event",
        action: "sendEvent",
        status: "rejected",
        decidedByIndex: true,
        triggerValue: true,
        rejection: expect.objectContaining({ code: "E_PAYLOAD_INVALID", path: "/userId" }),
      },
    ]);
  });
});

describe("trigger index", () => {
  let engine: Engine;
  const perType = 125;
  beforeAll(async () => {
    const files: Record<string, string> = {};
    const types = ["identify", "page", "screen", "group"];
    for (const type of types) {
      for (let i = 0; i < perType; i++) {
        files[`${type}-${i}.jsonata`] = mappingFile(
          "sendEvent",
          `type = "${type}" and properties.n = ${i}`,
          "{}",
        );
      }
    }
    files["track-any.jsonata"] = mappingFile(
      "sendEvent",
      'type = "track"',
      '{ "userId": userId, "type": event }',
    );
    files["track-order.jsonata"] = mappingFile(
      "sendEvent",
      'type = "track" and event = "Order Completed" and properties.total > 0',
      '{ "userId": userId, "type": "order" }',
    );
    engine = await engineFor(files);
  });

  it("evaluates only the triggers of the event's type among 500 mappings", async () => {
    expect(engine.mappings).toHaveLength(4 * perType + 2);
    const before = engine.triggerEvaluations;
    const result = await engine.mapEvent({
      type: "track",
      event: "Order Completed",
      userId,
      properties: { total: 3 },
    });
    expect(result.deliveries.map((d) => d.mapping)).toEqual(["track-any", "track-order"]);
    // track-any is decided by the index alone; only track-order's trigger runs.
    expect(engine.triggerEvaluations - before).toBe(1);
  });

  it("evaluates one type's triggers for that type, not the other 375", async () => {
    const before = engine.triggerEvaluations;
    await engine.mapEvent({ type: "page", userId, properties: { n: 7 } });
    expect(engine.triggerEvaluations - before).toBe(perType);
  });

  it("does not evaluate an event-name trigger for other track events", async () => {
    const before = engine.triggerEvaluations;
    const result = await engine.mapEvent({ type: "track", event: "Signed Up", userId });
    expect(result.deliveries.map((d) => d.mapping)).toEqual(["track-any"]);
    expect(engine.triggerEvaluations - before).toBe(0);
  });
});

afterAll(() => undefined);
