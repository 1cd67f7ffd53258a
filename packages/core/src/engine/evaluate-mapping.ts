import type { ActionContract } from "../action/action-contract.js";
import { toPlainJson } from "../evaluator/plain-json.js";
import type { Mapping } from "../mapping/mapping.js";
import { dropEmptyFields } from "../payload/drop-empty-fields.js";
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
  readonly messageId: string | undefined;
  /** True when the trigger index already proved the trigger true. */
  readonly exact: boolean;
  readonly countTriggerEvaluation: () => void;
}

/**
 * Run one mapping against one event: its trigger (unless the index proved
 * it), its expression, then Segment's empty-field rule and the action schema.
 * Never throws: failures become rejections.
 */
export async function evaluateMapping(run: MappingRun, event: unknown): Promise<MappingOutcome> {
  const { mapping } = run;
  let triggerValue: unknown = true;
  if (!run.exact) {
    run.countTriggerEvaluation();
    try {
      let raw = mapping.triggerEvaluator.evaluate(event);
      if (raw instanceof Promise) raw = await raw;
      triggerValue = toPlainJson(raw);
    } catch (thrown) {
      return { status: "rejected", rejection: evaluationRejection(run, thrown, "trigger") };
    }
    if (!isTruthy(triggerValue)) return { status: "not-triggered", triggerValue };
  }
  let result: unknown;
  try {
    // The compiled evaluator answers synchronously: only jsonata's promises need awaiting.
    let raw = mapping.evaluator.evaluate(event);
    if (raw instanceof Promise) raw = await raw;
    result = toPlainJson(raw);
  } catch (thrown) {
    return {
      status: "rejected",
      rejection: evaluationRejection(run, thrown, "expression"),
      triggerValue,
    };
  }
  return checkPayload(run, result, triggerValue);
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
  const validation = run.validator.validate(mapping.action, payload);
  if (validation.ok) {
    return {
      status: "fired",
      delivery: { mapping: mapping.name, action: mapping.action, payload },
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
