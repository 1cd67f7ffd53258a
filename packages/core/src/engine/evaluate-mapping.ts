import type { ActionContract } from "../action/action-contract.js";
import { type PlainEvent, toPlainJsonWithin } from "../evaluator/plain-json.js";
import type { Mapping } from "../mapping/mapping.js";
import {
  type FinishedPayload,
  finishPayload,
  type PayloadRules,
} from "../payload/finish-payload.js";
import type { PayloadValidation } from "../payload/payload-validator.js";
import { isTruthy } from "../trigger/truthiness.js";
import { describeEvaluationFailure } from "./evaluation-failure.js";
import type { Delivery, Rejection, Violation } from "./map-result.js";

/** What happened when one mapping met one event. */
export type MappingOutcome =
  | { readonly status: "fired"; readonly delivery: Delivery; readonly triggerValue?: unknown }
  | { readonly status: "not-triggered"; readonly triggerValue: unknown }
  | { readonly status: "rejected"; readonly rejection: Rejection; readonly triggerValue?: unknown };

/**
 * What running a mapping needs that is the same for every event, put
 * together once when the engine is built (not once per event).
 */
export interface MappingPlan {
  readonly mapping: Mapping;
  readonly contract: ActionContract;
  /** The action's payload validation (`PayloadValidator.forAction`). */
  readonly validate: (payload: Record<string, unknown>) => PayloadValidation;
  /** How its payloads are finished: the action's schema, the bounds, what the expression builds. */
  readonly rules: PayloadRules;
  readonly countTriggerEvaluation: () => void;
}

/** The event every mapping it meets is run against. */
export interface EventRun {
  readonly event: unknown;
  readonly messageId: string | undefined;
  /** The event with `MapOptions.plainJsonBytes`, when the caller knows it to be plain JSON of at most that size. */
  readonly plainEvent: PlainEvent | undefined;
}

/** One mapping meeting one event. */
interface MappingRun {
  readonly plan: MappingPlan;
  readonly run: EventRun;
}

/**
 * Run one mapping against one event: its trigger (unless the index proved
 * it: `exact`), its expression, then Segment's empty-field rule and the
 * action schema. Never throws: failures become rejections. The outcome comes back
 * synchronously while every evaluator it meets answers synchronously (the
 * compiled ones), and as a promise once one of jsonata's needs awaiting.
 */
export function evaluateMapping(
  plan: MappingPlan,
  run: EventRun,
  exact: boolean,
): MappingOutcome | Promise<MappingOutcome> {
  if (exact) return evaluateExpression(plan, run, true);
  plan.countTriggerEvaluation();
  let raw: unknown;
  try {
    raw = plan.mapping.triggerEvaluator.evaluate(run.event);
  } catch (thrown) {
    return triggerRejection({ plan, run }, thrown);
  }
  if (raw instanceof Promise) {
    return raw.then(
      (value) => afterTrigger(plan, run, value),
      (thrown: unknown) => triggerRejection({ plan, run }, thrown),
    );
  }
  return afterTrigger(plan, run, raw);
}

function afterTrigger(
  plan: MappingPlan,
  run: EventRun,
  raw: unknown,
): MappingOutcome | Promise<MappingOutcome> {
  const fired = isTruthy(raw);
  const triggerValue = typeof raw === "boolean" ? raw : keptTriggerValue(plan, raw, fired);
  if (!fired) return { status: "not-triggered", triggerValue };
  return evaluateExpression(plan, run, triggerValue);
}

/** The trigger's value as explanations show it; one too deep to keep whole is told by whether it fired. */
function keptTriggerValue(plan: MappingPlan, raw: unknown, fired: boolean): unknown {
  const plain = toPlainJsonWithin(raw, Number.POSITIVE_INFINITY, plan.rules.bounds.maxDepth);
  return plain.ok ? plain.value : fired;
}

function triggerRejection(at: MappingRun, thrown: unknown): MappingOutcome {
  return { status: "rejected", rejection: evaluationRejection(at, thrown, "trigger") };
}

function evaluateExpression(
  plan: MappingPlan,
  run: EventRun,
  triggerValue: unknown,
): MappingOutcome | Promise<MappingOutcome> {
  let raw: unknown;
  try {
    raw = plan.mapping.evaluator.evaluate(run.event);
  } catch (thrown) {
    return expressionRejection({ plan, run }, thrown, triggerValue);
  }
  if (raw instanceof Promise) {
    return raw.then(
      (value) => checkPayload({ plan, run }, value, triggerValue),
      (thrown: unknown) => expressionRejection({ plan, run }, thrown, triggerValue),
    );
  }
  return checkPayload({ plan, run }, raw, triggerValue);
}

function expressionRejection(
  at: MappingRun,
  thrown: unknown,
  triggerValue: unknown,
): MappingOutcome {
  return {
    status: "rejected",
    rejection: evaluationRejection(at, thrown, "expression"),
    triggerValue,
  };
}

function checkPayload(at: MappingRun, raw: unknown, triggerValue: unknown): MappingOutcome {
  const { plan } = at;
  const { mapping } = plan;
  const finished = finishPayload(raw, plan.rules, at.run.plainEvent);
  if (!finished.ok) {
    return {
      status: "rejected",
      rejection: payloadRejection(at, finished),
      triggerValue,
    };
  }
  const { payload } = finished;
  const validation = plan.validate(payload);
  if (validation.ok) {
    const sent = validation.coerced ?? payload;
    return {
      status: "fired",
      delivery: { mapping: mapping.name, action: mapping.action, payload: sent },
      triggerValue,
    };
  }
  return {
    status: "rejected",
    rejection: invalidPayload(at, validation.violations),
    triggerValue,
  };
}

function invalidPayload(at: MappingRun, violations: readonly Violation[]): Rejection {
  const [first, ...others] = violations;
  const more =
    others.length > 0
      ? ` (and ${others.length} more: ${others.map((v) => v.message).join(" ")})`
      : "";
  const path = first?.path ?? "";
  const message = `${first?.message ?? "the payload is invalid."}${more}${context(at, path)}`;
  return { ...rejection(at, "E_PAYLOAD_INVALID", message), path, violations };
}

function payloadRejection(
  at: MappingRun,
  problem: Exclude<FinishedPayload, { ok: true }>,
): Rejection {
  const { maxChars, maxDepth } = at.plan.rules.bounds;
  switch (problem.problem) {
    case "not-object":
      return rejection(
        at,
        "E_PAYLOAD_NOT_OBJECT",
        `the mapping must return an object (the ${at.plan.contract.label} payload) but returned ${problem.got}${context(at)}: return an object, or narrow the trigger so it does not fire for such events`,
      );
    case "too-large":
      return rejection(
        at,
        "E_PAYLOAD_TOO_LARGE",
        `the payload is over ${maxChars} characters of JSON (measuring stopped at ${problem.chars})${context(at)}: send less, for instance only the properties GWEN needs`,
      );
    case "too-deep":
      return rejection(
        at,
        "E_PAYLOAD_TOO_DEEP",
        `the payload nests arrays and objects more than ${maxDepth} levels deep${context(at)}: send a flatter part of the event, for instance only the properties GWEN needs`,
      );
  }
}

function evaluationRejection(
  at: MappingRun,
  thrown: unknown,
  part: "trigger" | "expression",
): Rejection {
  const failure = describeEvaluationFailure(thrown, at.plan.mapping, part);
  return {
    ...rejection(at, failure.code, `${failure.message}${context(at)}`),
    ...(failure.jsonataCode ? { jsonataCode: failure.jsonataCode } : {}),
    ...(failure.location ? { location: failure.location } : {}),
  };
}

function rejection(at: MappingRun, code: Rejection["code"], message: string): Rejection {
  return { mapping: at.plan.mapping.name, action: at.plan.mapping.action, code, message };
}

/** " [mapping x, field /y, messageId z]": every rejection says where it came from. */
function context(at: MappingRun, path?: string): string {
  const { mapping } = at.plan;
  const parts = [`mapping ${mapping.name} (${mapping.file})`];
  if (path !== undefined && path !== "") parts.push(`field ${path}`);
  const { messageId } = at.run;
  parts.push(messageId === undefined ? "no messageId" : `messageId ${messageId}`);
  return ` [${parts.join(", ")}]`;
}
