import type { Engine } from "../engine/engine.js";
import type { MappingExplanation } from "../engine/map-result.js";
import { explainTrigger } from "../explain/explain-trigger.js";
import type { Fixture } from "../fixtures/fixture.js";
import type { Mapping } from "../mapping/mapping.js";
import { isTruthy } from "../trigger/truthiness.js";
import { type BranchCoverage, countBranches } from "./count-branches.js";

/** What the fixtures exercised of one mapping, so reviewers see what a change leaves untested. */
export interface MappingCoverage {
  readonly mapping: string;
  readonly file: string;
  /** Fixtures in which the mapping delivered. */
  readonly fired: number;
  /** Fixtures in which it was rejected. */
  readonly rejected: number;
  /** How often the trigger was true and false; `decidedByIndex` triggers are never evaluated. */
  readonly trigger: {
    readonly true: number;
    readonly false: number;
    readonly decidedByIndex: boolean;
  };
  readonly branches: readonly BranchCoverage[];
  /**
   * For a trigger of several clauses (joined by `and` / `or`): how often each
   * clause was true and false across the fixtures' events.
   */
  readonly clauses: readonly ClauseCoverage[];
  /** False when the expression runs on jsonata's interpreter, whose branches cannot be counted. */
  readonly measured: boolean;
}

/** How often one clause of a trigger was true and false across the fixtures. */
export interface ClauseCoverage {
  /** The clause as written. */
  readonly text: string;
  /** Where it starts in the mapping file (1-based). */
  readonly line: number;
  readonly column: number;
  readonly whenTrue: number;
  readonly whenFalse: number;
}

interface Tally {
  fired: number;
  rejected: number;
  triggerTrue: number;
  triggerFalse: number;
  decidedByIndex: boolean;
  /** The events its trigger let through, for counting its expression's branches. */
  events: unknown[];
}

/**
 * Map every fixture's event with explanations on and tally, per mapping,
 * whether its trigger was ever true and ever false, how often it fired or
 * was rejected, and which branches of its conditionals ran. Disabled
 * mappings are left out.
 */
export async function measureCoverage(
  engine: Engine,
  fixtures: readonly Fixture[],
): Promise<MappingCoverage[]> {
  const tallies = new Map<string, Tally>();
  const enabled = engine.mappings.filter((mapping) => !mapping.disabled);
  const clauses = new Map<string, ClauseCoverage[]>();
  for (const fixture of fixtures) {
    const result = await engine.mapEvent(fixture.event, { explain: true });
    for (const entry of result.explanation ?? []) record(tallies, entry, fixture.event);
    // an invalid event reaches no trigger, so it says nothing about their clauses
    if (result.explanation) await recordClauses(clauses, enabled, fixture.event);
  }
  return enabled.map((mapping) => {
    const tally = tallies.get(mapping.name) ?? emptyTally();
    const { measured, branches } = countBranches(mapping, tally.events);
    return {
      mapping: mapping.name,
      file: mapping.file,
      fired: tally.fired,
      rejected: tally.rejected,
      trigger: {
        true: tally.triggerTrue,
        false: tally.triggerFalse,
        decidedByIndex: tally.decidedByIndex,
      },
      branches,
      clauses: clauses.get(mapping.name) ?? [],
      measured,
    };
  });
}

/** Tally each clause of every trigger of several clauses on one event. */
async function recordClauses(
  clauses: Map<string, ClauseCoverage[]>,
  mappings: readonly Mapping[],
  event: unknown,
): Promise<void> {
  for (const mapping of mappings) {
    const explained = await explainTrigger(mapping, event);
    if (explained.length < 2) continue;
    const tallies =
      clauses.get(mapping.name) ??
      explained.map(({ text, location }) => ({
        text,
        line: location.line,
        column: location.column,
        whenTrue: 0,
        whenFalse: 0,
      }));
    clauses.set(
      mapping.name,
      tallies.map((tally, index) =>
        explained[index]?.truthy
          ? { ...tally, whenTrue: tally.whenTrue + 1 }
          : { ...tally, whenFalse: tally.whenFalse + 1 },
      ),
    );
  }
}

function record(tallies: Map<string, Tally>, entry: MappingExplanation, event: unknown): void {
  if (entry.status === "disabled") return;
  let tally = tallies.get(entry.mapping);
  if (!tally) {
    tally = emptyTally();
    tallies.set(entry.mapping, tally);
  }
  if (entry.decidedByIndex) tally.decidedByIndex = true;
  if (entry.status === "fired") tally.fired++;
  if (entry.status === "rejected") tally.rejected++;
  const evaluated = entry.status !== "rejected" || entry.triggerValue !== undefined;
  if (!evaluated) return;
  if (isTruthy(entry.triggerValue)) {
    tally.triggerTrue++;
    tally.events.push(event);
  } else tally.triggerFalse++;
}

function emptyTally(): Tally {
  return {
    fired: 0,
    rejected: 0,
    triggerTrue: 0,
    triggerFalse: 0,
    decidedByIndex: false,
    events: [],
  };
}
