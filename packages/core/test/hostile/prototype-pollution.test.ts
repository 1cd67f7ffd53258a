import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.js";
import { userId } from "../contracts.js";
import { mappingFile } from "../mapping-dir.js";
import { engineOf, expectWellFormed } from "./hostile-engine.js";

/** Ways a mapping can copy event data into new objects. */
const COPIERS: Record<string, string> = {
  "as-is": `{ "userId": userId, "type": "as-is", "data": properties }`,
  merge: `{ "userId": userId, "type": "merge", "data": $merge([{ "base": 1 }, properties]) }`,
  "dynamic-keys": `{ "userId": userId, "type": "dynamic-keys", "data": $keys(properties){ $: $lookup($$.properties, $) } }`,
  spread: `{ "userId": userId, "type": "spread", "data": { "parts": $spread(properties) } }`,
  sift: `{ "userId": userId, "type": "sift", "data": $sift(properties, function($v) { true }) }`,
  each: `{ "userId": userId, "type": "each", "data": { "pairs": $each(properties, function($v, $k) { $k }) } }`,
  nested: `{ "userId": userId, "type": "nested", "data": { "context": context, "traits": traits } }`,
};

/** JSON as an attacker sends it: `__proto__` is an own key after JSON.parse. */
const HOSTILE_JSON = `{
  "type": "track", "event": "Pwn", "userId": "${userId}", "messageId": "pwn-1",
  "__proto__": { "polluted": "top" },
  "properties": {
    "__proto__": { "polluted": "properties", "isAdmin": true },
    "constructor": { "prototype": { "polluted": "constructor" } },
    "prototype": { "polluted": "prototype" },
    "toString": "not a function",
    "hasOwnProperty": 1
  },
  "context": { "__proto__": { "polluted": "context" }, "ip": "10.0.0.1" },
  "traits": { "constructor": { "prototype": { "polluted": "traits" } } }
}`;

let engine: Engine;
let remove: () => Promise<void>;

beforeAll(async () => {
  const files: Record<string, string> = {};
  for (const [name, expression] of Object.entries(COPIERS)) {
    files[`${name}.jsonata`] = mappingFile("sendEvent", "true", expression);
  }
  ({ engine, remove } = await engineOf(files));
});

afterAll(() => remove());

function expectNothingPolluted(): void {
  const fresh: Record<string, unknown> = {};
  expect(fresh.polluted).toBeUndefined();
  expect(fresh.isAdmin).toBeUndefined();
  expect(Object.getPrototypeOf(fresh)).toBe(Object.prototype);
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(typeof fresh.toString).toBe("function");
}

describe("events with __proto__, constructor and prototype keys", () => {
  it("map as plain data: no object's prototype changes, and the keys survive as data", async () => {
    const event = JSON.parse(HOSTILE_JSON) as Record<string, unknown>;
    const before = structuredClone(event);
    const result = await engine.mapEvent(event);
    expectWellFormed(result);
    expectNothingPolluted();
    expect(event).toEqual(before);
    expect(Object.keys(event.properties as object)).toContain("__proto__");
    expect(result.rejections).toEqual([]);
    expect(result.deliveries.map((delivery) => delivery.mapping).sort()).toEqual(
      Object.keys(COPIERS).sort(),
    );
    for (const delivery of result.deliveries) {
      // Every object a mapping built is an ordinary object with no inherited surprises.
      const walk = (value: unknown): void => {
        if (typeof value !== "object" || value === null) return;
        if (!Array.isArray(value))
          expect(Object.getPrototypeOf(value), delivery.mapping).toBe(Object.prototype);
        for (const child of Object.values(value)) walk(child);
      };
      walk(delivery.payload);
      expect(
        (delivery.payload.data as Record<string, unknown> | undefined)?.polluted,
        delivery.mapping,
      ).toBeUndefined();
    }
    const asIs = result.deliveries.find((delivery) => delivery.mapping === "as-is");
    expect(JSON.stringify(asIs?.payload.data)).toBe(JSON.stringify(event.properties));
    const merged = result.deliveries.find((delivery) => delivery.mapping === "merge");
    expect(Object.hasOwn(merged?.payload.data as object, "__proto__")).toBe(true);
  });
});
