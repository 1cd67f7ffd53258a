import type { ActionContracts } from "../action/action-contract.js";
import type { EvaluationLimits } from "../evaluator/evaluator.js";
import type { Mapping } from "../mapping/mapping.js";
import type { MapResult } from "./map-result.js";

export interface EngineOptions {
  readonly mappings: readonly Mapping[];
  readonly contracts: ActionContracts;
  readonly limits?: Partial<EvaluationLimits>;
}

export interface MapOptions {
  /** Also say, for every mapping, why it fired or not (costs trigger evaluations the index would skip). */
  readonly explain?: boolean;
}

/**
 * A set of compiled mappings, indexed by trigger, with payload validators
 * compiled once per action. Immutable: a reload builds a new engine.
 */
export interface Engine {
  readonly mappings: readonly Mapping[];
  readonly contracts: ActionContracts;
  /**
   * Map one Segment event: validate it, pick the mappings whose trigger is
   * true, evaluate them, validate each payload. Never throws for bad input:
   * problems come back as rejections.
   */
  mapEvent(event: unknown, options?: MapOptions): Promise<MapResult>;
  /** How many trigger evaluations this engine has run: the index's effect, made countable. */
  readonly triggerEvaluations: number;
}
