import type { ActionContracts } from "../action/action-contract.js";
import { defaultEvaluationLimits, type EvaluationLimits } from "../evaluator/evaluator.js";
import { parseJsonata } from "../evaluator/jsonata-evaluator.js";
import { validateEvent } from "../event/validate-event.js";
import type { Mapping } from "../mapping/mapping.js";
import type { PayloadBounds } from "../payload/finish-payload.js";
import { type PayloadShape, payloadShapeOf } from "../payload/payload-shape.js";
import { type PayloadValidator, payloadValidatorFor } from "../payload/payload-validator.js";
import { classifyTrigger } from "../trigger/classify-trigger.js";
import { type Candidate, TriggerIndex } from "../trigger/trigger-index.js";
import { cachedCandidates } from "./candidate-cache.js";
import type { Engine, EngineOptions, MapOptions } from "./engine.js";
import { evaluateMapping, type MappingOutcome } from "./evaluate-mapping.js";
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
  const candidatesOf = cachedCandidates(index);
  const validator = payloadValidatorFor(contracts);
  let triggerEvaluations = 0;
  const countTriggerEvaluation = () => {
    triggerEvaluations++;
  };
  const context: EngineContext = {
    contracts,
    validator,
    shapes: payloadShapes(enabled, limits),
    bounds: {
      maxChars: options.maxPayloadChars ?? DEFAULT_MAX_PAYLOAD_CHARS,
      maxDepth: options.maxPayloadDepth ?? DEFAULT_MAX_PAYLOAD_DEPTH,
    },
    countTriggerEvaluation,
  };

  const mapNow = (event: unknown, mapOptions?: MapOptions): MapResult | Promise<MapResult> => {
    try {
      const validation = validateEvent(event);
      const messageId = messageIdOf(event);
      if (!validation.ok) return invalidEvent(messageId, validation);
      const round = {
        candidates: candidatesOf(validation.event.type, validation.event.event),
        event,
        messageId,
        plainJsonBytes: mapOptions?.plainJsonBytes,
        deliveries: [],
        rejections: [],
      };
      if (mapOptions?.explain) return explainEvent(context, { ...round, mappings });
      return mapCandidatesFrom(context, round, 0);
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

/** A mapping naming an action without a contract is a programming error, refused here so that mapEvent never has to throw for it. */
function checkContracts(mappings: readonly Mapping[], contracts: ActionContracts): void {
  for (const mapping of mappings) {
    if (!Object.hasOwn(contracts, mapping.action))
      throw new Error(
        `mapping ${mapping.name} names action ${mapping.action}, which has no contract`,
      );
  }
}

/** The mappings whose payloads may hold parts of the event, and where. */
function payloadShapes(
  mappings: readonly Mapping[],
  limits: EvaluationLimits,
): ReadonlyMap<Mapping, PayloadShape> {
  const shapes = new Map<Mapping, PayloadShape>();
  for (const mapping of mappings) {
    const shape = payloadShapeOf(mapping.expression, limits);
    if (shape !== undefined) shapes.set(mapping, shape);
  }
  return shapes;
}

interface EngineContext {
  readonly contracts: ActionContracts;
  readonly validator: PayloadValidator;
  readonly bounds: PayloadBounds;
  /** Where each mapping's payload may hold parts of the event (mappings absent: nowhere). */
  readonly shapes: ReadonlyMap<Mapping, PayloadShape>;
  readonly countTriggerEvaluation: () => void;
}

interface EventRun {
  readonly candidates: readonly Candidate[];
  readonly event: unknown;
  readonly messageId: string | undefined;
  /** `MapOptions.plainJsonBytes`. */
  readonly plainJsonBytes: number | undefined;
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
  context: EngineContext,
  run: EventRun & Collected,
  start: number,
): MapResult | Promise<MapResult> {
  const { candidates } = run;
  for (let index = start; index < candidates.length; index++) {
    const outcome = runCandidate(context, run, candidates[index]!);
    if (outcome instanceof Promise) {
      return outcome.then((settled) => {
        collect(run, settled);
        return mapCandidatesFrom(context, run, index + 1);
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
  context: EngineContext,
  run: EventRun & { readonly mappings: readonly Mapping[] },
): Promise<MapResult> {
  const deliveries: Delivery[] = [];
  const rejections: Rejection[] = [];
  const explanation: MappingExplanation[] = [];
  const indexed = new Map(run.candidates.map((candidate) => [candidate.mapping, candidate]));
  for (const mapping of run.mappings) {
    const base = { mapping: mapping.name, action: mapping.action };
    if (mapping.disabled) {
      explanation.push({ ...base, status: "disabled" });
      continue;
    }
    const candidate = indexed.get(mapping) ?? { mapping, exact: false, order: -1 };
    const outcome = await runCandidate(context, run, candidate);
    explanation.push(
      explain(
        { ...base, ...(candidate.exact ? { decidedByIndex: true } : {}) },
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

function runCandidate(
  context: EngineContext,
  run: EventRun,
  candidate: Candidate,
): MappingOutcome | Promise<MappingOutcome> {
  const { mapping } = candidate;
  // createEngine checked that every enabled mapping's action has a contract
  const contract = context.contracts[mapping.action]!;
  const shape = run.plainJsonBytes === undefined ? undefined : context.shapes.get(mapping);
  return evaluateMapping(
    {
      mapping,
      contract,
      validator: context.validator,
      bounds: context.bounds,
      parts:
        shape === undefined ? undefined : { event: run.event, bytes: run.plainJsonBytes!, shape },
      messageId: run.messageId,
      exact: candidate.exact,
      countTriggerEvaluation: context.countTriggerEvaluation,
    },
    run.event,
  );
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
