import type { ActionContracts } from "../action/action-contract.js";
import type { EvaluationLimits } from "../evaluator/evaluator.js";
import type { Mapping } from "../mapping/mapping.js";
import type { MapResult } from "./map-result.js";

export interface EngineOptions {
  readonly mappings: readonly Mapping[];
  readonly contracts: ActionContracts;
  readonly limits?: Partial<EvaluationLimits>;
  /**
   * Most characters of JSON one payload may take, default 256 KB: a mapping
   * can build far more than the 32 KB event it reads, and a bigger payload
   * is rejected (`E_PAYLOAD_TOO_LARGE`) instead of stored and sent.
   */
  readonly maxPayloadChars?: number;
  /**
   * Most levels of nested arrays and objects one payload may have (the
   * payload object is the first), default 1,000: a 32 KB event can nest
   * 16,000 levels of arrays, more than JSON.stringify (about 4,000), a
   * database or GWEN can take, and a deeper payload is rejected
   * (`E_PAYLOAD_TOO_DEEP`) instead of failing wherever it is written next.
   */
  readonly maxPayloadDepth?: number;
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
