import jsonata from "jsonata";
import { describe, expect, it } from "vitest";
import type { Mapping } from "../mapping/mapping.js";
import { classifyTrigger } from "../trigger/classify-trigger.js";
import { TriggerIndex } from "../trigger/trigger-index.js";
import { cachedCandidates } from "./candidate-cache.js";

const triggers = [
  'type = "track"',
  'type = "track" and event = "Order Completed"',
  'type = "identify"',
  'type in ["page", "screen"]',
  "$exists(userId)",
];

function indexOf(): TriggerIndex {
  return new TriggerIndex(
    triggers.map((trigger, order) => ({
      mapping: { name: `m${order}`, trigger } as unknown as Mapping,
      filter: classifyTrigger(jsonata(trigger).ast()),
    })),
  );
}

const names = (candidates: readonly { mapping: Mapping }[]) =>
  candidates.map((c) => c.mapping.name);

describe("cachedCandidates", () => {
  it("answers as the index does, for names, no name and odd values, asked once or again", () => {
    const index = indexOf();
    const lookup = cachedCandidates(index, (found) => found);
    const pairs: [unknown, unknown][] = [
      ["track", "Order Completed"],
      ["track", "Signed Up"],
      ["track", undefined],
      ["identify", undefined],
      ["identify", 42],
      ["page", "Home"],
      ["alias", undefined],
      [7, "x"],
    ];
    for (let round = 0; round < 2; round++) {
      for (const [type, event] of pairs) {
        expect(names(lookup(type, event))).toEqual(names(index.candidates(type, event)));
      }
    }
    expect(names(lookup("track", "Order Completed"))).toEqual(["m0", "m1", "m4"]);
  });

  it("stays right after it fills up and starts over", () => {
    const index = indexOf();
    const lookup = cachedCandidates(index, (found) => found);
    for (let i = 0; i < 10_050; i++) lookup("track", `event ${i}`);
    expect(names(lookup("track", "Order Completed"))).toEqual(["m0", "m1", "m4"]);
    expect(names(lookup("track", "event 3"))).toEqual(["m0", "m4"]);
    expect(names(lookup("identify", undefined))).toEqual(["m2", "m4"]);
  });
});
