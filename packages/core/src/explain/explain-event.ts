import type { Engine } from "../engine/engine.js";
import type { MappingExplanation, MapResult } from "../engine/map-result.js";
import { type DroppedField, explainDroppedFields } from "./explain-dropped-fields.js";
import { type ClauseExplanation, explainTrigger } from "./explain-trigger.js";

/** Why one mapping fired or not, down to the clause of its trigger and the fields it dropped. */
export interface DetailedExplanation extends MappingExplanation {
  /** Each clause of the trigger on this event: for a mapping that did not fire, or whose trigger failed. */
  readonly clauses?: readonly ClauseExplanation[];
  /** Fields of the delivered payload that came out `undefined` (or empty at the top) and were left out. */
  readonly dropped?: readonly DroppedField[];
}

export interface EventExplanation extends MapResult {
  /** One entry per mapping, in the set's order; empty when the event itself is invalid. */
  readonly explanation: readonly DetailedExplanation[];
}

/**
 * Map one event and explain every mapping's outcome (`gwenmap map --explain`
 * and the playground show this): the engine's explanation, plus for a trigger
 * that did not fire each of its clauses with its value, and for a mapping
 * that fired the fields that were dropped.
 */
export async function explainEvent(engine: Engine, event: unknown): Promise<EventExplanation> {
  return detailExplanation(engine, event, await engine.mapEvent(event, { explain: true }));
}

/**
 * `explainEvent` for a result already mapped with `{ explain: true }` (a
 * caller that checks the event first, as `gwenmap map` does, maps it itself).
 */
export async function detailExplanation(
  engine: Engine,
  event: unknown,
  result: MapResult,
): Promise<EventExplanation> {
  const mappings = new Map(engine.mappings.map((mapping) => [mapping.name, mapping]));
  const explanation: DetailedExplanation[] = [];
  for (const entry of result.explanation ?? []) {
    const mapping = mappings.get(entry.mapping);
    if (!mapping) {
      explanation.push(entry);
      continue;
    }
    if (entry.status === "fired") {
      const delivery = result.deliveries.find((candidate) => candidate.mapping === entry.mapping);
      const dropped = delivery ? await explainDroppedFields(mapping, event, delivery.payload) : [];
      explanation.push(dropped.length > 0 ? { ...entry, dropped } : entry);
      continue;
    }
    const triggerDecides =
      entry.status === "not-triggered" ||
      entry.status === "skipped-by-index" ||
      entry.rejection?.code === "E_TRIGGER_FAILED";
    explanation.push(
      triggerDecides ? { ...entry, clauses: await explainTrigger(mapping, event) } : entry,
    );
  }
  return { ...result, explanation };
}
