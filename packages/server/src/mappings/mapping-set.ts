import type { Logger } from "pino";
import { ServerError } from "../errors.js";
import type { ServerMetrics } from "../metrics/server-metrics.js";
import type { MappedEvent, Replacement, ReplayRecord, StoredRequest } from "../queue/job-store.js";
import { MapperClient } from "./mapper-client.js";
import type { LoadOutcome, MapperTasks, MappingSummary } from "./mapper-protocol.js";

/** What a reload did: the new set is in use, or it was refused and the old one kept. */
export type ReloadResult =
  | { readonly ok: true; readonly mappings: readonly string[] }
  | { readonly ok: false; readonly errors: readonly string[] };

interface MappingSetContext {
  readonly logger: Logger;
  readonly metrics: ServerMetrics;
}

/**
 * The mappings in use, compiled and run on the mapping thread so that
 * mapping never holds up the event loop that acknowledges requests. A
 * reload compiles and validates the whole directory there and swaps the set
 * between two rounds, so every round is mapped by one consistent set. A
 * broken set is refused, its errors logged, and the running set kept.
 */
export class MappingSet {
  readonly dir: string;
  readonly #context: MappingSetContext;
  #mapper: MapperClient;
  #mappings: readonly MappingSummary[];
  #reloading: Promise<unknown> = Promise.resolve();
  #replacing: Promise<void> | undefined;

  private constructor(
    dir: string,
    started: { mapper: MapperClient; mappings: readonly MappingSummary[] },
    context: MappingSetContext,
  ) {
    this.dir = dir;
    this.#mapper = started.mapper;
    this.#mappings = started.mappings;
    this.#context = context;
    context.metrics.describeMappings(started.mappings);
  }

  /** Loads the set at start-up; a broken set stops the start with `E_MAPPINGS_INVALID`. */
  static async load(dir: string, context: MappingSetContext): Promise<MappingSet> {
    const started = await startMapper(dir);
    context.logger.info(
      { mappings: started.mappings, dir },
      `loaded ${started.mappings.length} mappings from ${dir}`,
    );
    return new MappingSet(dir, started, context);
  }

  /** How many mappings the set in use has. */
  get count(): number {
    return this.#mappings.length;
  }

  /** The events of `requests`, each with the records the set in use maps it to. */
  mapRequests(requests: readonly StoredRequest[]): Promise<MappedEvent[]> {
    return this.#run("map", requests);
  }

  /** What each replayed record's event maps to now. */
  mapReplays(replays: readonly ReplayRecord[]): Promise<Replacement[]> {
    return this.#run("replay", replays);
  }

  /** Loads the directory again and swaps it in if it is valid. Reloads run one at a time. */
  reload(): Promise<ReloadResult> {
    // A reload that failed (its thread died) must not stop the ones after it.
    const reloaded = this.#reloading.catch(() => {}).then(() => this.#reload());
    this.#reloading = reloaded;
    return reloaded;
  }

  close(): Promise<void> {
    return this.#mapper.close();
  }

  async #reload(): Promise<ReloadResult> {
    const { logger, metrics } = this.#context;
    const outcome = await this.#run("load", undefined);
    if (!outcome.ok) {
      metrics.reloads.inc({ result: "refused" });
      logger.error(
        { errors: outcome.errors, dir: this.dir },
        `mapping reload refused: ${outcome.errors.length} error(s); the previous ${this.#mappings.length} mappings stay in use`,
      );
      return { ok: false, errors: outcome.errors };
    }
    this.#mappings = outcome.mappings;
    metrics.describeMappings(outcome.mappings);
    metrics.reloads.inc({ result: "applied" });
    logger.info(
      { mappings: outcome.mappings, dir: this.dir },
      `mappings reloaded: ${outcome.mappings.length} mappings in use`,
    );
    return { ok: true, mappings: outcome.mappings.map((mapping) => mapping.name) };
  }

  async #run<K extends keyof MapperTasks>(
    type: K,
    input: MapperTasks[K]["input"],
  ): Promise<MapperTasks[K]["output"]> {
    if (this.#mapper.stopped) {
      this.#replacing ??= this.#replace().finally(() => {
        this.#replacing = undefined;
      });
      await this.#replacing;
    }
    return this.#mapper.run(type, input);
  }

  /**
   * A mapping thread that died (a bug, or out of memory) is replaced by one
   * that loads the directory as it is now; its rounds failed and are claimed again.
   */
  async #replace(): Promise<void> {
    this.#context.logger.error(
      { err: this.#mapper.stopped },
      "the mapping thread stopped; starting another",
    );
    const started = await startMapper(this.dir);
    this.#mapper = started.mapper;
    this.#mappings = started.mappings;
    this.#context.metrics.describeMappings(started.mappings);
  }
}

async function startMapper(
  dir: string,
): Promise<{ mapper: MapperClient; mappings: readonly MappingSummary[] }> {
  const mapper = new MapperClient({ dir });
  const outcome: LoadOutcome = await mapper.run("load", undefined);
  if (outcome.ok) return { mapper, mappings: outcome.mappings };
  await mapper.close();
  throw new ServerError(
    "E_MAPPINGS_INVALID",
    `The mappings in ${dir} do not load (fix them, or set GWENMAP_MAPPINGS to another directory):\n${outcome.errors.join("\n")}`,
  );
}
