import {
  type Fixture,
  type FixtureResult,
  type MapResult,
  toExpectations,
  updatedFixtureText,
} from "@gwenmap/core/browser";

/**
 * The text of `fixtures/<name>.json` recording `event` and what the mappings
 * do with it now ("Save as fixture"): through core's `updatedFixtureText`,
 * the function behind `gwenmap test --update`, so the file is exactly what
 * `--update` would write. An existing fixture keeps its other fields.
 */
export function fixtureText(
  name: string,
  event: unknown,
  result: MapResult,
  existing: Fixture | undefined,
): string {
  const fixture: Fixture = existing
    ? { ...existing, event, document: { ...existing.document, event } }
    : {
        file: `fixtures/${name}.json`,
        name,
        event,
        expect: [],
        document: { description: describeEvent(event), event, expect: [] },
      };
  const recorded: FixtureResult = {
    fixture,
    // written as a failing fixture so that its expect is rewritten from `actual`
    passed: false,
    actual: toExpectations(result),
    differences: [],
    result,
  };
  return updatedFixtureText(recorded) ?? "";
}

function describeEvent(event: unknown): string {
  const fields = (event ?? {}) as Record<string, unknown>;
  const type = typeof fields.type === "string" ? fields.type : "an";
  const name = typeof fields.event === "string" ? ` "${fields.event}"` : "";
  return `a ${type} call${name}, recorded with gwenmap playground`;
}
