import { describe, expect, it } from "vitest";
import { contracts, userId } from "../../test/contracts.js";
import { mappingDir, mappingFile } from "../../test/mapping-dir.js";
import { loadEngine } from "../engine/load-engine.js";
import type { Fixture } from "../fixtures/fixture.js";
import { measureCoverage } from "./measure-coverage.js";

function fixture(event: object): Fixture {
  return { file: "f.json", name: "f", event, expect: [], text: "{}" };
}

describe("measureCoverage", () => {
  it("shows a trigger that fixtures never made false, and one they never made true", async () => {
    const { dir, remove } = await mappingDir({
      "all-tracks.jsonata": mappingFile(
        "sendEvent",
        'type = "track"',
        '{ "userId": userId, "type": event }',
      ),
      "big-orders.jsonata": mappingFile(
        "sendEvent",
        'type = "track" and properties.total > 100',
        '{ "userId": userId, "type": "big" }',
      ),
      "sessions.jsonata": mappingFile("identifyUser", 'type = "identify"', '{ "userId": userId }'),
    });
    const loaded = await loadEngine(dir, { contracts });
    await remove();
    if (!loaded.ok) throw new Error("should load");
    const coverage = await measureCoverage(loaded.engine, [
      fixture({ type: "track", event: "a", userId, properties: { total: 5 } }),
      fixture({ type: "track", event: "b", userId: "not-a-uuid", properties: { total: 1 } }),
    ]);
    expect(
      coverage.map(({ mapping, fired, rejected, trigger }) => ({
        mapping,
        fired,
        rejected,
        trigger,
      })),
    ).toEqual([
      {
        mapping: "all-tracks",
        fired: 1,
        rejected: 1,
        trigger: { true: 2, false: 0, decidedByIndex: true },
      },
      {
        mapping: "big-orders",
        fired: 0,
        rejected: 0,
        trigger: { true: 0, false: 2, decidedByIndex: false },
      },
      {
        mapping: "sessions",
        fired: 0,
        rejected: 0,
        trigger: { true: 0, false: 2, decidedByIndex: false },
      },
    ]);
    // only a trigger of several clauses has its clauses counted
    expect(coverage.map((entry) => entry.clauses.length)).toEqual([0, 2, 0]);
    expect(coverage[1]?.clauses).toEqual([
      { text: 'type = "track"', line: 3, column: 13, whenTrue: 2, whenFalse: 0 },
      { text: "properties.total > 100", line: 3, column: 32, whenTrue: 0, whenFalse: 2 },
    ]);
  });

  it("counts each conditional's branches where the mapping file has them", async () => {
    const { dir, remove } = await mappingDir({
      "orders.jsonata": mappingFile(
        "sendEvent",
        'type = "track"',
        [
          "{",
          '  "userId": userId,',
          '  "type": properties.total > 100 ? "big_order" : "order",',
          '  "data": { "vip": properties.vip ? "yes" }',
          "}",
        ].join("\n"),
      ),
      "renamed.jsonata": mappingFile(
        "sendEvent",
        'type = "track"',
        '{ "userId": userId, "type": $count(properties#$i) ? "x" : "y" }',
      ),
    });
    const loaded = await loadEngine(dir, { contracts });
    await remove();
    if (!loaded.ok) throw new Error("mappings did not load");
    const coverage = await measureCoverage(loaded.engine, [
      fixture({ type: "track", event: "a", userId, properties: { total: 5 } }),
      fixture({ type: "track", event: "b", userId, properties: { total: 7, vip: true } }),
      fixture({ type: "identify", userId }),
    ]);
    const orders = coverage.find((entry) => entry.mapping === "orders");
    expect(orders?.measured).toBe(true);
    // the file has a 4-line header, so the expression's line 3 is the file's line 7
    expect(orders?.branches).toEqual([
      { line: 7, column: 34, kind: "condition", whenTrue: 0, whenFalse: 2 },
      { line: 8, column: 35, kind: "condition", whenTrue: 1, whenFalse: 1 },
    ]);
    const renamed = coverage.find((entry) => entry.mapping === "renamed");
    expect(renamed).toMatchObject({ measured: false, branches: [], fired: 2 });
  });
});
