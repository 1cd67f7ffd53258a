import {
  type Engine,
  type ExpectedOutcome,
  type Fixture,
  type FixtureDifference,
  runFixtures,
  toExpectations,
} from "@gwenmap/core";

/** Where a fixture comes from: both sides, only now (new), or only the base revision (deleted since). */
export type FixtureOrigin = "both" | "new" | "deleted";

export interface OutputChange {
  readonly fixture: Fixture;
  readonly origin: FixtureOrigin;
  /** `expected` is the output at the base revision, `actual` the output now. */
  readonly differences: readonly FixtureDifference[];
}

/**
 * Map each fixture's event with both mapping sets and list how the output
 * changed. Core's fixture comparison does the pairing: the base output is
 * used as the fixture's expectation and the current set is run against it,
 * so `missing` is a removed outcome, `unexpected` an added one and
 * `mismatch` a changed one. `renameBase` rewrites the base set's file paths
 * in messages, so that only real changes show.
 */
export async function compareOutputs(
  sets: { base: Engine; current: Engine },
  fixtures: readonly { fixture: Fixture; origin: FixtureOrigin }[],
  renameBase: (text: string) => string,
): Promise<OutputChange[]> {
  const asBase: Fixture[] = [];
  for (const { fixture } of fixtures) {
    const result = await sets.base.mapEvent(fixture.event);
    asBase.push({ ...fixture, expect: toExpectations(result).map((o) => renamed(o, renameBase)) });
  }
  const results = await runFixtures(sets.current, asBase);
  return results.map((result, index) => ({
    fixture: fixtures[index]?.fixture ?? result.fixture,
    origin: fixtures[index]?.origin ?? "both",
    differences: result.differences,
  }));
}

function renamed(outcome: ExpectedOutcome, rename: (text: string) => string): ExpectedOutcome {
  if (!("error" in outcome) || outcome.error.message === undefined) return outcome;
  return { ...outcome, error: { ...outcome.error, message: rename(outcome.error.message) } };
}
