import type { ActionContracts } from "../action/action-contract.js";
import { defaultEvaluationLimits, type EvaluationLimits } from "../evaluator/evaluator.js";
import { parseJsonata } from "../evaluator/jsonata-evaluator.js";
import type { PlainEvent } from "../evaluator/plain-json.js";
import { validateEvent } from "../event/validate-event.js";
import type { Mapping } from "../mapping/mapping.js";
import type { PayloadBounds } from "../payload/finish-payload.js";
import { builtPayloadOf, payloadShapeOfBuilt } from "../payload/payload-shape.js";
import { type PayloadValidator, payloadValidatorFor } from "../payload/payload-validator.js";
import { payloadWalkerFor } from "../payload/payload-walker.js";
import { classifyTrigger } from "../trigger/classify-trigger.js";
import { type Candidate, TriggerIndex } from "../trigger/trigger-index.js";
import { cachedCandidates } from "./candidate-cache.js";
import type { Engine, EngineOptions, MapOptions } from "./engine.js";
import {
  type EventRun,
  evaluateMapping,
  type MappingOutcome,
  type MappingPlan,
} from "./evaluate-mapping.js";
import type { Delivery, MappingExplanation, MapResult, Rejection } from "./map-result.js";

/** See `EngineOptions.maxPayloadChars`. */
const DEFAULT_MAX_PAYLOAD_CHARS = 256 * 1024;
/** See `EngineOptions.maxPayloadDepth`. */
const DEFAULT_MAX_PAYLOAD_DEPTH = 1_000;

/**
 * Build an engine over compiled mappings: their triggers indexed by event
 * type and name, payload validators compiled once per action.
 */
export function createEngine(options: EngineOptions): Engine {
  const { mappings, contracts } = options;
  const limits = { ...defaultEvaluationLimits, ...options.limits };
  const enabled = mappings.filter((mapping) => !mapping.disabled);
  checkContracts(enabled, contracts);
  const index = new TriggerIndex(
    enabled.map((mapping) => ({
      mapping,
      filter: classifyTrigger(parseJsonata(mapping.trigger, limits).ast()),
    })),
  );
  let triggerEvaluations = 0;
  const plans = mappingPlans(enabled, {
    contracts,
    validator: payloadValidatorFor(contracts),
    bounds: {
      maxChars: options.maxPayloadChars ?? DEFAULT_MAX_PAYLOAD_CHARS,
      maxDepth: options.maxPayloadDepth ?? DEFAULT_MAX_PAYLOAD_DEPTH,
    },
    limits,
    countTriggerEvaluation: () => {
      triggerEvaluations++;
    },
  });
  const candidatesOf = cachedCandidates(index, (found) => planned(found, plans));

  const mapNow = (event: unknown, mapOptions?: MapOptions): MapResult | Promise<MapResult> => {
    try {
      const validation = validateEvent(event);
      const messageId = messageIdOf(event);
      if (!validation.ok) return invalidEvent(messageId, validation);
      const round = {
        candidates: candidatesOf(validation.event.type, validation.event.event),
        event,
        messageId,
        plainEvent: plainEventOf(event, mapOptions),
        deliveries: [],
        rejections: [],
      };
      if (mapOptions?.explain) return explainEvent(plans, { ...round, mappings });
      return mapCandidatesFrom(round, 0);
    } catch (error) {
      // a bug still surfaces as a rejected promise, as from an async function
      return Promise.reject(error);
    }
  };

  return {
    mappings,
    contracts,
    get triggerEvaluations() {
      return triggerEvaluations;
    },
    mapEvent(event: unknown, mapOptions?: MapOptions): Promise<MapResult> {
      const result = mapNow(event, mapOptions);
      return result instanceof Promise ? result : Promise.resolve(result);
    },
    mapEventSync: (event: unknown, mapOptions?: MapOptions) => mapNow(event, mapOptions),
  };
}

function plainEventOf(event: unknown, options: MapOptions | undefined): PlainEvent | undefined {
  const bytes = options?.plainJsonBytes;
  return bytes === undefined ? undefined : { event, bytes };
}

/** A mapping naming an action without a contract is a programming error, refused here so that mapEvent never has to throw for it. */
function checkContracts(mappings: readonly Mapping[], contracts: ActionContracts): void {
  for (const mapping of mappings) {
    if (!Object.hasOwn(contracts, mapping.action))
      throw new Error(
        `mapping ${mapping.name} names action ${mapping.action}, which has no contract`,
      );
  }
}

/** What the plans of an engine's mappings share. */
interface PlanParts {
  readonly contracts: ActionContracts;
  readonly validator: PayloadValidator;
  readonly bounds: PayloadBounds;
  readonly limits: EvaluationLimits;
  readonly countTriggerEvaluation: () => void;
}

/** Each enabled mapping's plan, with where its payload may hold parts of the event. */
function mappingPlans(
  mappings: readonly Mapping[],
  parts: PlanParts,
): ReadonlyMap<Mapping, MappingPlan> {
  const plans = new Map<Mapping, MappingPlan>();
  for (const mapping of mappings) {
    // one reading of what the expression builds serves the shape and the walker
    const built = builtPayloadOf(mapping.expression, parts.limits);
    plans.set(mapping, {
      mapping,
      // checkContracts made sure every enabled mapping's action has one
      contract: parts.contracts[mapping.action]!,
      validate: parts.validator.forAction(mapping.action),
      rules: {
        schema: parts.contracts[mapping.action]!.schema,
        bounds: parts.bounds,
        shape: built === undefined ? undefined : payloadShapeOfBuilt(built),
        walker: built === undefined ? undefined : payloadWalkerFor(built),
      },
      countTriggerEvaluation: parts.countTriggerEvaluation,
    });
  }
  return plans;
}

/** A candidate of the trigger index with its mapping's plan, ready to run. */
interface PlannedCandidate {
  readonly plan: MappingPlan;
  /** True when the index already proved the trigger true. */
  readonly exact: boolean;
}

function planned(
  candidates: readonly Candidate[],
  plans: ReadonlyMap<Mapping, MappingPlan>,
): readonly PlannedCandidate[] {
  return candidates.map(({ mapping, exact }) => ({ plan: plans.get(mapping)!, exact }));
}

interface Collected {
  readonly deliveries: Delivery[];
  readonly rejections: Rejection[];
}

/**
 * Synchronous while the outcomes are (compiled evaluators), so an event
 * mapped only by compiled mappings costs no promise per mapping; from the
 * first outcome that is a promise on, the rest is awaited in order.
 */
function mapCandidatesFrom(
  run: EventRun & Collected & { readonly candidates: readonly PlannedCandidate[] },
  start: number,
): MapResult | Promise<MapResult> {
  const { candidates } = run;
  for (let index = start; index < candidates.length; index++) {
    const { plan, exact } = candidates[index]!;
    const outcome = evaluateMapping(plan, run, exact);
    if (outcome instanceof Promise) {
      return outcome.then((settled) => {
        collect(run, settled);
        return mapCandidatesFrom(run, index + 1);
      });
    }
    collect(run, outcome);
  }
  const { deliveries, rejections } = run;
  // built as one literal (not spread) since this runs for every event
  return run.messageId === undefined
    ? { deliveries, rejections }
    : { messageId: run.messageId, deliveries, rejections };
}

function collect(collected: Collected, outcome: MappingOutcome): void {
  if (outcome.status === "fired") collected.deliveries.push(outcome.delivery);
  else if (outcome.status === "rejected") collected.rejections.push(outcome.rejection);
}

/** Like mapCandidates, but every mapping is looked at and the reason for each is kept. */
async function explainEvent(
  plans: ReadonlyMap<Mapping, MappingPlan>,
  run: EventRun & {
    readonly candidates: readonly PlannedCandidate[];
    readonly mappings: readonly Mapping[];
  },
): Promise<MapResult> {
  const deliveries: Delivery[] = [];
  const rejections: Rejection[] = [];
  const explanation: MappingExplanation[] = [];
  const indexed = new Map(run.candidates.map((candidate) => [candidate.plan.mapping, candidate]));
  for (const mapping of run.mappings) {
    const base = { mapping: mapping.name, action: mapping.action };
    if (mapping.disabled) {
      explanation.push({ ...base, status: "disabled" });
      continue;
    }
    const candidate = indexed.get(mapping);
    const outcome = await evaluateMapping(plans.get(mapping)!, run, candidate?.exact ?? false);
    explanation.push(
      explain(
        { ...base, ...(candidate?.exact ? { decidedByIndex: true } : {}) },
        outcome,
        indexed.has(mapping),
      ),
    );
    if (outcome.status === "fired") deliveries.push(outcome.delivery);
    else if (outcome.status === "rejected") rejections.push(outcome.rejection);
  }
  return withMessageId(run.messageId, { deliveries, rejections, explanation });
}

function explain(
  base: { mapping: string; action: string; decidedByIndex?: boolean },
  outcome: MappingOutcome,
  indexed: boolean,
): MappingExplanation {
  const triggerValue = "triggerValue" in outcome ? { triggerValue: outcome.triggerValue } : {};
  if (outcome.status === "rejected")
    return { ...base, status: "rejected", ...triggerValue, rejection: outcome.rejection };
  if (outcome.status === "fired") return { ...base, status: "fired", ...triggerValue };
  return { ...base, status: indexed ? "not-triggered" : "skipped-by-index", ...triggerValue };
}

function invalidEvent(
  messageId: string | undefined,
  validation: { message: string; violations: Rejection["violations"] },
): MapResult {
  const first = validation.violations?.[0];
  const rejection: Rejection = {
    code: "E_EVENT_INVALID",
    message: `${validation.message} [${messageId === undefined ? "no messageId" : `messageId ${messageId}`}]`,
    ...(first ? { path: first.path } : {}),
    ...(validation.violations ? { violations: validation.violations } : {}),
  };
  return withMessageId(messageId, { deliveries: [], rejections: [rejection] });
}

function withMessageId(messageId: string | undefined, result: MapResult): MapResult {
  return messageId === undefined ? result : { messageId, ...result };
}

/** The event's messageId, when it has a usable one. */
export function messageIdOf(event: unknown): string | undefined {
  if (event === null || typeof event !== "object") return undefined;
  const id = (event as Record<string, unknown>).messageId;
  return typeof id === "string" && id !== "" ? id : undefined;
}
