import {
  createEngine,
  type EventExplanation,
  explainEvent,
  type Fixture,
  type FixtureResult,
  type Mapping,
  type ParseJsonResult,
  parseJson,
  runFixtures,
} from "@gwenmap/core/browser";
import { actions } from "@gwenmap/gwen-adapter/browser";
import type { MappingEntry } from "./mapping-entry.js";

/** The event editor's text, parsed: the event, or where the JSON broke. */
export type EventInput = ParseJsonResult;

/** What the folder's mappings do with one event. */
export interface EventRun {
  readonly input: EventInput;
  /** The engine's result, every mapping that compiled explained down to its trigger's clauses. */
  readonly result?: EventExplanation;
  /** The chosen fixture run on the event as `gwenmap test` runs it. */
  readonly fixture?: FixtureResult;
}

/** Parse the event editor's text with core's JSON reader (it says where the text broke). */
export function parseEvent(text: string): EventInput {
  return parseJson(text);
}

/**
 * Map the event with every mapping that compiles (the edited one in place of
 * its file) through @gwenmap/core's engine, explaining every mapping; when a
 * fixture is chosen, run it with this event as `gwenmap test` would.
 */
export async function runEvent(
  entries: readonly MappingEntry[],
  input: EventInput,
  fixture: Fixture | undefined,
): Promise<EventRun> {
  if (!input.ok) return { input };
  const mappings: Mapping[] = [];
  for (const entry of entries) if (entry.compiled.ok) mappings.push(entry.compiled.mapping);
  const engine = createEngine({ mappings, contracts: actions });
  const result = await explainEvent(engine, input.value);
  if (!fixture) return { input, result };
  const [fixtureResult] = await runFixtures(engine, [{ ...fixture, event: input.value }]);
  return { input, result, ...(fixtureResult ? { fixture: fixtureResult } : {}) };
}
