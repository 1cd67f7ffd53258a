import { type MapResult, recordedFixtureText, toExpectations } from "@gwenmap/core/browser";

/**
 * The text of `fixtures/<name>.json` recording `event` and what the mappings
 * do with it now ("Save as fixture"), through core's `recordedFixtureText`:
 * an existing fixture is edited as `gwenmap test --update` edits one (its
 * event and `expect` change where they differ, the rest stays byte for
 * byte); a new one is written whole.
 */
export function fixtureText(
  event: unknown,
  result: MapResult,
  existing: string | undefined,
): string {
  const actual = toExpectations(result);
  return recordedFixtureText(existing, { event, actual, description: describeEvent(event) });
}

function describeEvent(event: unknown): string {
  const fields = (event ?? {}) as Record<string, unknown>;
  const type = typeof fields.type === "string" ? fields.type : "an";
  const name = typeof fields.event === "string" ? ` "${fields.event}"` : "";
  return `a ${type} call${name}, recorded with gwenmap playground`;
}
