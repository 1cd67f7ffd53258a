import type { Candidate, TriggerIndex } from "../trigger/trigger-index.js";

const maxCachedPairs = 10_000;

/**
 * The index's candidates for an event type and name, as `prepared` makes
 * them into what runs them (once per type and name, not per event),
 * remembered in a map per type: looking up two strings costs less than the
 * index's own cache, which builds a combined key string for every event.
 * Bounded like it, cleared when full.
 */
export function cachedCandidates<Prepared>(
  index: TriggerIndex,
  prepared: (candidates: readonly Candidate[]) => readonly Prepared[],
): (type: unknown, event: unknown) => readonly Prepared[] {
  const byType = new Map<string, Map<string | undefined, readonly Prepared[]>>();
  let size = 0;
  return (type, event) => {
    if (typeof type !== "string") return prepared(index.candidates(type, event));
    const name = typeof event === "string" ? event : undefined;
    let byName = byType.get(type);
    const cached = byName?.get(name);
    if (cached) return cached;
    const found = prepared(index.candidates(type, name));
    if (size >= maxCachedPairs) {
      byType.clear();
      size = 0;
      byName = undefined;
    }
    if (!byName) {
      byName = new Map();
      byType.set(type, byName);
    }
    byName.set(name, found);
    size++;
    return found;
  };
}
