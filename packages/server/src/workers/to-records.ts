import type { MapResult, Rejection } from "@gwenmap/core";
import { isActionName, prepareVariables } from "@gwenmap/gwen-adapter";
import type { FailureReason, NewRecord } from "../queue/job-store.js";

/**
 * The records one mapping result becomes: a delivery per payload, a rejection
 * per failure. `onlyMapping` keeps just one mapping's output (a replay of one
 * dead delivery must not send the event's other deliveries again).
 */
export function toRecords(result: MapResult, onlyMapping?: string): NewRecord[] {
  const records: NewRecord[] = [];
  for (const delivery of result.deliveries) {
    if (onlyMapping !== undefined && delivery.mapping !== onlyMapping) continue;
    if (!isActionName(delivery.action)) {
      records.push(unknownAction(delivery.mapping, delivery.action));
      continue;
    }
    records.push({
      kind: "delivery",
      mapping: delivery.mapping,
      action: delivery.action,
      variables: prepareVariables(delivery.action, delivery.payload),
    });
  }
  for (const rejection of result.rejections) {
    if (onlyMapping !== undefined && rejection.mapping !== onlyMapping) continue;
    records.push({
      kind: "rejection",
      ...(rejection.mapping === undefined ? {} : { mapping: rejection.mapping }),
      ...(rejection.action === undefined ? {} : { action: rejection.action }),
      reason: rejectionReason(rejection),
    });
  }
  return records;
}

/**
 * The engine is loaded with the adapter's actions, so a payload for any other
 * is a mismatch between the two packages; kept as a rejection, never sent.
 */
function unknownAction(mapping: string, action: string): NewRecord {
  return {
    kind: "rejection",
    mapping,
    action,
    reason: {
      code: "E_UNKNOWN_ACTION",
      message: `the GWEN adapter has no action "${action}": upgrade @gwenmap/gwen-adapter with @gwenmap/core`,
    },
  };
}

/** A rejection as stored: everything but the offending values, which the stored event holds. */
export function rejectionReason(rejection: Rejection): FailureReason {
  return {
    code: rejection.code,
    message: rejection.message,
    ...(rejection.path === undefined ? {} : { path: rejection.path }),
    ...(rejection.violations === undefined
      ? {}
      : {
          violations: rejection.violations.map(({ path, message }) => ({ path, message })),
        }),
    ...(rejection.jsonataCode === undefined ? {} : { jsonataCode: rejection.jsonataCode }),
  };
}
