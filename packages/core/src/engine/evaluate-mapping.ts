import type { ActionContract } from "../action/action-contract.js";
import { toPlainJson } from "../evaluator/plain-json.js";
import type { Mapping } from "../mapping/mapping.js";
import { dropEmptyFields } from "../payload/drop-empty-fields.js";
import { jsonSizeOver } from "../payload/json-size.js";
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
  readonly maxPayloadChars: number;
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
  let triggerValue: unknown;
  try {
    triggerValue = toPlainJson(raw);
  } catch (thrown) {
    return triggerRejection(run, thrown);
  }
  if (!isTruthy(triggerValue)) return { status: "not-triggered", triggerValue };
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
      (value) => afterExpression(run, value, triggerValue),
      (thrown: unknown) => expressionRejection(run, thrown, triggerValue),
    );
  }
  return afterExpression(run, raw, triggerValue);
}

function afterExpression(run: MappingRun, raw: unknown, triggerValue: unknown): MappingOutcome {
  let result: unknown;
  try {
    // a result nested deeper than the stack allows overflows here, and is rejected as too deep
    result = toPlainJson(raw);
  } catch (thrown) {
    return expressionRejection(run, thrown, triggerValue);
  }
  return checkPayload(run, result, triggerValue);
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

function checkPayload(run: MappingRun, result: unknown, triggerValue: unknown): MappingOutcome {
  const { mapping } = run;
  if (result === null || typeof result !== "object" || Array.isArray(result)) {
    const got =
      result === undefined
        ? "nothing"
        : Array.isArray(result)
          ? "an array"
          : JSON.stringify(result);
    const message = `the mapping must return an object (the ${run.contract.label} payload) but returned ${got}${context(run)}: return an object, or narrow the trigger so it does not fire for such events`;
    return {
      status: "rejected",
      rejection: rejection(run, "E_PAYLOAD_NOT_OBJECT", message),
      triggerValue,
    };
  }
  const payload = dropEmptyFields(result as Record<string, unknown>, run.contract.schema);
  const size = jsonSizeOver(payload, run.maxPayloadChars);
  if (size !== undefined) {
    const message = `the payload is over ${run.maxPayloadChars} characters of JSON (measuring stopped at ${size})${context(run)}: send less, for instance only the properties GWEN needs`;
    return {
      status: "rejected",
      rejection: rejection(run, "E_PAYLOAD_TOO_LARGE", message),
      triggerValue,
    };
  }
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

function evaluationRejection(
  run: MappingRun,
  thrown: unknown,
  part: "trigger" | "expression",
): Rejection {
  const failure = describeEvaluationFailure(thrown, run.mapping, part);
  return {
    ...rejection(run, failure.code, `${failure.message}${context(run)}`),
    ...(failure.jsonataCode ? { jsonataCode: failure.jsonataCode } : {}),
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
