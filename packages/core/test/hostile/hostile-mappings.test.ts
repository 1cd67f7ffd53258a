import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.js";
import { loadMappings } from "../../src/mapping/load-mappings.js";
import { contracts, userId } from "../contracts.js";
import { mappingDir, mappingFile } from "../mapping-dir.js";
import { engineOf, expectWellFormed } from "./hostile-engine.js";

/** Mappings that try to run away, each fired by its own event name. */
const HOSTILE: Record<string, string> = {
  "endless-recursion": `($f := function($n) { $f($n + 1) }; { "userId": userId, "type": $string($f(0)) })`,
  "mutual-recursion": `($a := function($n) { $b($n) }; $b := function($n) { $a($n + 1) }; { "userId": userId, "type": $string($a(0)) })`,
  "doubling-string": `{ "userId": userId, "type": $reduce([1..64], function($text) { $text & $text }, "x") }`,
  "huge-range": `{ "userId": userId, "type": "t", "data": { "n": [1..100000000] } }`,
  "huge-array": `{ "userId": userId, "type": "t", "data": { "n": $map([1..200000], function($v) { [$v, $v, $v] }) } }`,
  "busy-loop": `{ "userId": userId, "type": $string($reduce([1..99999], function($acc, $v) { $acc + $sum([1..1000]) }, 0)) }`,
  "huge-pad": `{ "userId": userId, "type": $pad("x", 1000000000) }`,
  "heavy-steps": `{ "userId": userId, "type": $string($sum([1..900].($length($pad("", 1000000, "x"))))) }`,
};

/** Stays within every evaluation limit, and turns a small event into a payload of 400,000 characters. */
const GROWING_PAYLOAD = `{ "userId": userId, "type": "t", "data": { "all": [1..40].$pad("", 10000, "x") } }`;

let engine: Engine;
let remove: () => Promise<void>;

beforeAll(async () => {
  const files: Record<string, string> = {
    "good.jsonata": mappingFile(
      "sendEvent",
      'type = "track"',
      `{ "userId": userId, "type": event }`,
    ),
  };
  files["growing-payload.jsonata"] = mappingFile(
    "sendEvent",
    'event = "growing-payload"',
    GROWING_PAYLOAD,
  );
  for (const [name, expression] of Object.entries(HOSTILE)) {
    files[`${name}.jsonata`] = mappingFile("sendEvent", `event = "${name}"`, expression);
  }
  ({ engine, remove } = await engineOf(files, { timeoutMs: 500 }));
});

afterAll(() => remove());

const track = (event: string) => ({ type: "track", event, userId, messageId: `m-${event}` });

describe("mappings that try to run away", () => {
  it.each(Object.keys(HOSTILE))(
    "%s: stops at a limit with a clear rejection; the next event still maps",
    async (name) => {
      const result = await engine.mapEvent(track(name));
      expectWellFormed(result);
      // The well-behaved mapping delivers for the same event.
      expect(result.deliveries.map((delivery) => delivery.mapping)).toEqual(["good"]);
      const rejection = result.rejections.find((candidate) => candidate.mapping === name);
      expect(rejection?.code).toMatch(/^E_EVALUATION_(DEPTH|TIMEOUT|FAILED)$/);
      expect(rejection?.message).toContain(name);
      expect(rejection?.message).toContain(`m-${name}`);
      const next = await engine.mapEvent(track("Level Completed"));
      expect(next.rejections).toEqual([]);
      expect(next.deliveries).toEqual([
        { mapping: "good", action: "sendEvent", payload: { userId, type: "Level Completed" } },
      ]);
    },
  );
});

describe("a mapping whose payload outgrows its event", () => {
  it("is rejected with E_PAYLOAD_TOO_LARGE, naming the limit, the mapping and the event", async () => {
    const result = await engine.mapEvent(track("growing-payload"));
    expectWellFormed(result);
    expect(result.deliveries.map((delivery) => delivery.mapping)).toEqual(["good"]);
    const rejection = result.rejections.find(
      (candidate) => candidate.mapping === "growing-payload",
    );
    expect(rejection).toMatchObject({ code: "E_PAYLOAD_TOO_LARGE", action: "sendEvent" });
    expect(rejection?.message).toMatch(
      /over 262144 characters of JSON.*growing-payload\.jsonata.*m-growing-payload/,
    );
  });
});

describe("mappings that call $eval", () => {
  it.each([
    `{ "userId": userId, "type": $eval("1 + 1") }`,
    `($run := $eval; { "userId": userId, "type": $run(event) })`,
    `{ "userId": userId, "type": event, "data": { "x": [$eval][0]("1") } }`,
  ])("are refused at load, located in the file: %s", async (expression) => {
    const dir = await mappingDir({ "evil.jsonata": mappingFile("sendEvent", "true", expression) });
    try {
      const { mappings, errors } = await loadMappings(dir.dir, { contracts });
      expect(mappings).toEqual([]);
      expect(errors).toHaveLength(1);
      expect(errors[0]?.code).toBe("E_MAPPING_FORBIDDEN");
      expect(errors[0]?.location).toMatchObject({ line: 5 });
      expect(errors[0]?.location?.file).toMatch(/evil\.jsonata$/);
      expect(errors[0]?.message).toContain("$eval");
    } finally {
      await dir.remove();
    }
  });
});
