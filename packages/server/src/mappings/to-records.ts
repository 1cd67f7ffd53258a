import type { MapResult, Rejection } from "@gwenmap/core";
import { prepareItem } from "@gwenmap/gwen-adapter";
import type { FailureReason, NewRecord } from "../queue/job-store.js";

/**
 * The records one mapping result becomes: a delivery per payload, a rejection
 * per failure (and per payload the adapter cannot send: the engine is loaded
 * with the adapter's actions, so an unknown one means the two packages'
 * versions do not match; it is kept, never sent). `onlyMapping` keeps just one mapping's output (a replay of one
 * dead delivery must not send the event's other deliveries again).
 */
export function toRecords(result: MapResult, onlyMapping?: string): NewRecord[] {
  const records: NewRecord[] = [];
  for (const delivery of result.deliveries) {
    if (onlyMapping !== undefined && delivery.mapping !== onlyMapping) continue;
    const { mapping, action } = delivery;
    const prepared = prepareItem(delivery);
    records.push(
      prepared.ok
        ? { kind: "delivery", mapping, action, variables: prepared.item.variables }
        : {
            kind: "rejection",
            mapping,
            action,
            reason: { code: prepared.code, message: prepared.message },
          },
    );
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
