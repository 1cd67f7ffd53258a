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
  /**
   * Say that the event is plain JSON data, as `JSON.parse` gives it
   * (ordinary objects, arrays, strings, numbers, booleans, null, nothing
   * else), parsed from a JSON text of at most this many UTF-8 bytes (what a
   * front end measures for Segment's 32 KB limit anyway). The parts of the
   * event a payload holds as they are (`"data": properties`) are then not
   * walked again to make the payload plain and measure it: they are plain,
   * and the text's size bounds them. Whatever evaluation made is still
   * checked, and the payload bounds still hold. Leave it out for an event
   * built by code, which may hold anything: a claim that is not true lets
   * what it holds through.
   */
  readonly plainJsonBytes?: number;
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
  /**
   * `mapEvent` without a promise where none is needed: the result comes
   * back as a value when every mapping the event meets is evaluated by the
   * compiled evaluator (`evaluatorsOf`), which is synchronous, and as a
   * promise from the first one jsonata's interpreter evaluates, or with
   * `explain`. Saves a promise and a turn of the microtask queue per event.
   * Never throws: problems come back as rejections.
   */
  mapEventSync(event: unknown, options?: MapOptions): MapResult | Promise<MapResult>;
  /** How many trigger evaluations this engine has run: the index's effect, made countable. */
  readonly triggerEvaluations: number;
}
