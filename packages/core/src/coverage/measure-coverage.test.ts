import { describe, expect, it } from "vitest";
import { contracts, userId } from "../../test/contracts.js";
import { mappingDir, mappingFile } from "../../test/mapping-dir.js";
import { loadEngine } from "../engine/load-engine.js";
import type { Fixture } from "../fixtures/fixture.js";
import { measureCoverage } from "./measure-coverage.js";

function fixture(event: object): Fixture {
  return { file: "f.json", name: "f", event, expect: [], document: {} };
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
  });
});
