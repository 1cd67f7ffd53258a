import type { Mapping } from "@gwenmap/core";

/** Which mappings were added, removed or edited between two sets, by name. */
export interface MappingChanges {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
}

export function mappingChanges(
  base: readonly Mapping[],
  current: readonly Mapping[],
): MappingChanges {
  const before = new Map(base.map((mapping) => [mapping.name, mapping]));
  const after = new Map(current.map((mapping) => [mapping.name, mapping]));
  return {
    added: [...after.keys()].filter((name) => !before.has(name)),
    removed: [...before.keys()].filter((name) => !after.has(name)),
    changed: [...after.values()]
      .filter((mapping) => {
        const old = before.get(mapping.name);
        return old !== undefined && definitionOf(old) !== definitionOf(mapping);
      })
      .map((mapping) => mapping.name),
  };
}

function definitionOf(mapping: Mapping): string {
  const { action, trigger, expression, disabled, description } = mapping;
  return JSON.stringify([action, trigger, expression, disabled, description ?? ""]);
}
