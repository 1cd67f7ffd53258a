import { fileURLToPath } from "node:url";
import { type FixtureResult, loadEngine, loadFixtures, runFixtures } from "@gwenmap/core";
import { actions } from "@gwenmap/gwen-adapter";
import { describe, expect, it } from "vitest";

const repository = fileURLToPath(new URL("../../../", import.meta.url));

/** The shipped presets and the examples, each a mapping set with its fixtures, run with GWEN's real contracts. */
const sets = [
  { name: "mappings", dir: `${repository}mappings`, minimum: 10 },
  { name: "examples/mappings", dir: `${repository}examples/mappings`, minimum: 8 },
];

async function runSet(dir: string): Promise<FixtureResult[]> {
  const loaded = await loadEngine(dir, { contracts: actions });
  if (!loaded.ok) throw new Error(loaded.errors.map(String).join("\n"));
  const names = loaded.mappings.map((mapping) => mapping.name);
  const { fixtures, errors } = await loadFixtures(dir, { mappingNames: names });
  if (errors.length > 0) throw new Error(errors.map(String).join("\n"));
  return runFixtures(loaded.engine, fixtures);
}

for (const set of sets) {
  const results = await runSet(set.dir);

  describe(`the fixtures of ${set.name}, with GWEN's action contracts`, () => {
    it(`has at least ${set.minimum} cases`, () => {
      expect(results.length).toBeGreaterThanOrEqual(set.minimum);
    });

    it.each(results.map((result) => [result.fixture.name, result] as const))(
      "%s",
      (_name, result) => {
        expect(result.differences).toEqual([]);
        expect(result.passed).toBe(true);
      },
    );
  });
}

describe("the shipped presets", () => {
  it("are exactly Segment's two GWEN presets", async () => {
    const loaded = await loadEngine(`${repository}mappings`, { contracts: actions });
    if (!loaded.ok) throw new Error(loaded.errors.map(String).join("\n"));
    expect(loaded.mappings.map(({ name, action, trigger }) => ({ name, action, trigger }))).toEqual(
      [
        { name: "identify-user", action: "identifyUser", trigger: 'type = "identify"' },
        { name: "send-event", action: "sendEvent", trigger: 'type = "track"' },
      ],
    );
  });
});
