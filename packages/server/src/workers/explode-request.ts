import { stampEvent } from "@gwenmap/core";
import type { StoredRequest } from "../queue/job-store.js";

/** One event of a stored request, stamped as Segment's API stamps it. */
export interface ExplodedEvent {
  readonly index: number;
  readonly event: Record<string, unknown>;
}

/** An element of a batch that is not an event at all (not a JSON object). */
export interface UnreadableElement {
  readonly index: number;
  readonly problem: string;
  readonly value: unknown;
}

const SINGLE_KINDS = new Set(["track", "identify", "page", "screen", "group", "alias"]);

/**
 * Splits an acknowledged request into its events, as Segment's tracking API
 * does: a batch's top-level `context` and `integrations` apply to every call
 * in it, its `sentAt` to calls without their own; `messageId` (stable:
 * derived from the request id and position, so that re-mapping after a crash
 * gives the same id), `receivedAt` and `timestamp` are filled where missing;
 * a `writeKey` inside an event is removed so that it is never stored or sent on.
 */
export function explodeRequest(request: StoredRequest): (ExplodedEvent | UnreadableElement)[] {
  const body = JSON.parse(request.body) as unknown;
  const { elements, shared } = elementsOf(request.kind, body);
  const now = new Date(request.receivedAt);
  const type = SINGLE_KINDS.has(request.kind) ? request.kind : undefined;
  const stamp = { now, ...(type ? { type } : {}) };
  return elements.map((element, index) => {
    if (!isRecord(element)) {
      return { index, problem: `element ${index} is ${describeValue(element)}`, value: element };
    }
    // The rest is a copy already: the parsed body is never changed.
    const { writeKey: _writeKey, ...merged } = element;
    if (isRecord(shared.context)) {
      merged.context = { ...shared.context, ...(isRecord(element.context) ? element.context : {}) };
    }
    if (isRecord(shared.integrations)) {
      merged.integrations = {
        ...shared.integrations,
        ...(isRecord(element.integrations) ? element.integrations : {}),
      };
    }
    if (merged.sentAt === undefined && typeof shared.sentAt === "string") {
      merged.sentAt = shared.sentAt;
    }
    if (typeof merged.messageId !== "string" || merged.messageId === "") {
      merged.messageId = `gwenmap-${request.requestId}-${index}`;
    }
    return { index, event: stampEvent(merged, stamp) };
  });
}

function elementsOf(
  kind: StoredRequest["kind"],
  body: unknown,
): { elements: readonly unknown[]; shared: Record<string, unknown> } {
  if (kind === "batch" && isRecord(body) && Array.isArray(body.batch)) {
    return { elements: body.batch, shared: body };
  }
  if (Array.isArray(body)) return { elements: body, shared: {} };
  return { elements: [body], shared: {} };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describeValue(value: unknown): string {
  if (value === null) return "null, not an event object";
  if (Array.isArray(value)) return "an array, not an event object";
  return `a ${typeof value}, not an event object`;
}
