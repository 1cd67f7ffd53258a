import type { MappingError } from "../errors.js";
import { type LoadMappingsOptions, loadMappings } from "../mapping/load-mappings.js";
import type { Mapping } from "../mapping/mapping.js";
import { createEngine } from "./create-engine.js";
import type { Engine } from "./engine.js";

export type LoadEngineResult =
  | { readonly ok: true; readonly engine: Engine; readonly mappings: readonly Mapping[] }
  | { readonly ok: false; readonly errors: readonly MappingError[] };

/**
 * Load, compile and index a mappings directory in one step. A set with any
 * error is refused as a whole (a half-loaded set would silently drop events).
 */
export async function loadEngine(
  dir: string,
  options: LoadMappingsOptions,
): Promise<LoadEngineResult> {
  const { mappings, errors } = await loadMappings(dir, options);
  if (errors.length > 0) return { ok: false, errors };
  const engine = createEngine({
    mappings,
    contracts: options.contracts,
    ...(options.limits ? { limits: options.limits } : {}),
  });
  return { ok: true, engine, mappings };
}
