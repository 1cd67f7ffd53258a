import {
  type ActionContracts,
  type Engine,
  evaluatorsOf,
  formatError,
  loadEngine,
  type Mapping,
} from "@gwenmap/core";
import type { Logger } from "pino";
import { ServerError } from "../errors.js";
import type { ServerMetrics } from "../metrics/server-metrics.js";

/** What a reload did: the new set is in use, or it was refused and the old one kept. */
export type ReloadResult =
  | { readonly ok: true; readonly mappings: readonly string[] }
  | { readonly ok: false; readonly errors: readonly string[] };

interface MappingSetContext {
  readonly contracts: ActionContracts;
  readonly logger: Logger;
  readonly metrics: ServerMetrics;
}

/**
 * The mappings in use. A reload compiles and validates the whole directory
 * first and swaps the engine in one assignment; workers read `engine` once
 * per batch, so every event is mapped by one consistent set. A broken set is
 * refused, its errors logged, and the running set kept.
 */
export class MappingSet {
  readonly dir: string;
  readonly #context: MappingSetContext;
  #engine: Engine;
  #reloading: Promise<ReloadResult> = Promise.resolve({ ok: true, mappings: [] });

  private constructor(dir: string, engine: Engine, context: MappingSetContext) {
    this.dir = dir;
    this.#engine = engine;
    this.#context = context;
    context.metrics.describeMappings(engine.mappings);
  }

  /** Loads the set at start-up; a broken set stops the start with `E_MAPPINGS_INVALID`. */
  static async load(dir: string, context: MappingSetContext): Promise<MappingSet> {
    const loaded = await loadEngine(dir, { contracts: context.contracts });
    if (!loaded.ok) {
      const errors = loaded.errors.map((error) => formatError(error));
      throw new ServerError(
        "E_MAPPINGS_INVALID",
        `The mappings in ${dir} do not load (fix them, or set GWENMAP_MAPPINGS to another directory):\n${errors.join("\n")}`,
      );
    }
    context.logger.info(
      { mappings: describe(loaded.mappings), dir },
      `loaded ${loaded.mappings.length} mappings from ${dir}`,
    );
    return new MappingSet(dir, loaded.engine, context);
  }

  /** The engine of the set in use. */
  get engine(): Engine {
    return this.#engine;
  }

  /** Loads the directory again and swaps it in if it is valid. Reloads run one at a time. */
  reload(): Promise<ReloadResult> {
    this.#reloading = this.#reloading.then(() => this.#reload());
    return this.#reloading;
  }

  async #reload(): Promise<ReloadResult> {
    const { contracts, logger, metrics } = this.#context;
    const loaded = await loadEngine(this.dir, { contracts });
    if (!loaded.ok) {
      const errors = loaded.errors.map((error) => formatError(error));
      metrics.reloads.inc({ result: "refused" });
      logger.error(
        { errors, dir: this.dir },
        `mapping reload refused: ${errors.length} error(s); the previous ${this.#engine.mappings.length} mappings stay in use`,
      );
      return { ok: false, errors };
    }
    this.#engine = loaded.engine;
    metrics.describeMappings(loaded.mappings);
    metrics.reloads.inc({ result: "applied" });
    logger.info(
      { mappings: describe(loaded.mappings), dir: this.dir },
      `mappings reloaded: ${loaded.mappings.length} mappings in use`,
    );
    return { ok: true, mappings: loaded.mappings.map((mapping) => mapping.name) };
  }
}

function describe(mappings: readonly Mapping[]) {
  return mappings.map((mapping) => ({
    name: mapping.name,
    action: mapping.action,
    evaluator: evaluatorsOf(mapping),
    ...(mapping.disabled ? { disabled: true } : {}),
  }));
}
