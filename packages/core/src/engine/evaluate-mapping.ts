import type { ActionContract } from "../action/action-contract.js";
import { type EventParts, toPlainJsonWithin } from "../evaluator/plain-json.js";
import type { Mapping } from "../mapping/mapping.js";
import {
  type FinishedPayload,
  finishPayload,
  type PayloadBounds,
} from "../payload/finish-payload.js";
import type { PayloadValidator } from "../payload/payload-validator.js";
import { isTruthy } from "../trigger/truthiness.js";
import { describeEvaluationFailure } from "./evaluation-failure.js";
import type { Delivery, Rejection } from "./map-result.js";

/** What happened when one mapping met one event. */
export type MappingOutcome =
  | { readonly status: "fired"; readonly delivery: Delivery; readonly triggerValue?: unknown }
  | { readonly status: "not-triggered"; readonly triggerValue: unknown }
  | { readonly status: "rejected"; readonly rejection: Rejection; readonly triggerValue?: unknown };

export interface MappingRun {
  readonly mapping: Mapping;
  readonly contract: ActionContract;
  readonly validator: PayloadValidator;
  readonly bounds: PayloadBounds;
  /** The event's parts the payload may hold, when the event is known to be plain JSON. */
  readonly parts: EventParts | undefined;
  readonly messageId: string | undefined;
  /** True when the trigger index already proved the trigger true. */
  readonly exact: boolean;
  readonly countTriggerEvaluation: () => void;
}

/**
 * Run one mapping against one event: its trigger (unless the index proved
 * it), its expression, then Segment's empty-field rule and the action schema.
 * Never throws: failures become rejections. The outcome comes back
 * synchronously while every evaluator it meets answers synchronously (the
 * compiled ones), and as a promise once one of jsonata's needs awaiting.
 */
export function evaluateMapping(
  run: MappingRun,
  event: unknown,
): MappingOutcome | Promise<MappingOutcome> {
  if (run.exact) return evaluateExpression(run, event, true);
  run.countTriggerEvaluation();
  let raw: unknown;
  try {
    raw = run.mapping.triggerEvaluator.evaluate(event);
  } catch (thrown) {
    return triggerRejection(run, thrown);
  }
  if (raw instanceof Promise) {
    return raw.then(
      (value) => afterTrigger(run, event, value),
      (thrown: unknown) => triggerRejection(run, thrown),
    );
  }
  return afterTrigger(run, event, raw);
}

function afterTrigger(
  run: MappingRun,
  event: unknown,
  raw: unknown,
): MappingOutcome | Promise<MappingOutcome> {
  const fired = isTruthy(raw);
  // the value is kept for explanations; one too deep to keep whole is told by whether it fired
  const plain = toPlainJsonWithin(raw, Number.POSITIVE_INFINITY, run.bounds.maxDepth);
  const triggerValue = plain.ok ? plain.value : fired;
  if (!fired) return { status: "not-triggered", triggerValue };
  return evaluateExpression(run, event, triggerValue);
}

function triggerRejection(run: MappingRun, thrown: unknown): MappingOutcome {
  return { status: "rejected", rejection: evaluationRejection(run, thrown, "trigger") };
}

function evaluateExpression(
  run: MappingRun,
  event: unknown,
  triggerValue: unknown,
): MappingOutcome | Promise<MappingOutcome> {
  let raw: unknown;
  try {
    raw = run.mapping.evaluator.evaluate(event);
  } catch (thrown) {
    return expressionRejection(run, thrown, triggerValue);
  }
  if (raw instanceof Promise) {
    return raw.then(
      (value) => checkPayload(run, value, triggerValue),
      (thrown: unknown) => expressionRejection(run, thrown, triggerValue),
    );
  }
  return checkPayload(run, raw, triggerValue);
}

function expressionRejection(
  run: MappingRun,
  thrown: unknown,
  triggerValue: unknown,
): MappingOutcome {
  return {
    status: "rejected",
    rejection: evaluationRejection(run, thrown, "expression"),
    triggerValue,
  };
}

function checkPayload(run: MappingRun, raw: unknown, triggerValue: unknown): MappingOutcome {
  const { mapping } = run;
  const finished = finishPayload(raw, {
    schema: run.contract.schema,
    bounds: run.bounds,
    parts: run.parts,
  });
  if (!finished.ok) {
    return {
      status: "rejected",
      rejection: payloadRejection(run, finished),
      triggerValue,
    };
  }
  const { payload } = finished;
  const validation = run.validator.validate(mapping.action, payload);
  if (validation.ok) {
    const sent = validation.coerced ?? payload;
    return {
      status: "fired",
      delivery: { mapping: mapping.name, action: mapping.action, payload: sent },
      triggerValue,
    };
  }
  const [first, ...others] = validation.violations;
  const more =
    others.length > 0
      ? ` (and ${others.length} more: ${others.map((v) => v.message).join(" ")})`
      : "";
  const path = first?.path ?? "";
  const message = `${first?.message ?? "the payload is invalid."}${more}${context(run, path)}`;
  return {
    status: "rejected",
    rejection: {
      ...rejection(run, "E_PAYLOAD_INVALID", message),
      path,
      violations: validation.violations,
    },
    triggerValue,
  };
}

function payloadRejection(
  run: MappingRun,
  problem: Exclude<FinishedPayload, { ok: true }>,
): Rejection {
  const { maxChars, maxDepth } = run.bounds;
  switch (problem.problem) {
    case "not-object":
      return rejection(
        run,
        "E_PAYLOAD_NOT_OBJECT",
        `the mapping must return an object (the ${run.contract.label} payload) but returned ${problem.got}${context(run)}: return an object, or narrow the trigger so it does not fire for such events`,
      );
    case "too-large":
      return rejection(
        run,
        "E_PAYLOAD_TOO_LARGE",
        `the payload is over ${maxChars} characters of JSON (measuring stopped at ${problem.chars})${context(run)}: send less, for instance only the properties GWEN needs`,
      );
    case "too-deep":
      return rejection(
        run,
        "E_PAYLOAD_TOO_DEEP",
        `the payload nests arrays and objects more than ${maxDepth} levels deep${context(run)}: send a flatter part of the event, for instance only the properties GWEN needs`,
      );
  }
}

function evaluationRejection(
  run: MappingRun,
  thrown: unknown,
  part: "trigger" | "expression",
): Rejection {
  const failure = describeEvaluationFailure(thrown, run.mapping, part);
  return {
    ...rejection(run, failure.code, `${failure.message}${context(run)}`),
    ...(failure.jsonataCode ? { jsonataCode: failure.jsonataCode } : {}),
    ...(failure.location ? { location: failure.location } : {}),
  };
}

function rejection(run: MappingRun, code: Rejection["code"], message: string): Rejection {
  return { mapping: run.mapping.name, action: run.mapping.action, code, message };
}

/** " [mapping x, field /y, messageId z]": every rejection says where it came from. */
function context(run: MappingRun, path?: string): string {
  const parts = [`mapping ${run.mapping.name} (${run.mapping.file})`];
  if (path !== undefined && path !== "") parts.push(`field ${path}`);
  parts.push(run.messageId === undefined ? "no messageId" : `messageId ${run.messageId}`);
  return ` [${parts.join(", ")}]`;
}
