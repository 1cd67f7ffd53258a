import { fillClientIp } from "../event/fill-client-ip.js";
import { isRecord } from "../event/is-record.js";
import { stampEvent } from "../event/stamp-event.js";

/**
 * The body of Segment's `/v1/batch` (and what `analytics-node` and
 * `analytics.js` send there): calls in `batch`, and fields every call shares.
 */
export interface SegmentBatch {
  readonly batch: readonly unknown[];
  readonly context?: unknown;
  readonly integrations?: unknown;
  readonly sentAt?: unknown;
  readonly [field: string]: unknown;
}

/** One element of a batch: the event it becomes, or why it cannot be one. */
export type BatchElement =
  | {
      readonly index: number;
      readonly event: Record<string, unknown>;
      /**
       * The element as the client sent it, before anything was filled in:
       * what Segment's 32 KB limit for one call is measured on.
       */
      readonly sent: Readonly<Record<string, unknown>>;
    }
  | {
      readonly index: number;
      /** "element 2 is a number, not an event object" */
      readonly problem: string;
      readonly value: unknown;
    };

export interface SplitOptions {
  /** When the batch was received: `receivedAt`, and the base of `timestamp`. */
  readonly now: Date;
  /** The call type the endpoint implies (`/v1/track` -> "track"): it wins over each element's. */
  readonly type?: string;
  /** The messageId of an element without one; default `gwenmap-<random uuid>`. */
  readonly messageIdFor?: (index: number) => string;
  /**
   * The address the request came from: `context.ip` of the events Segment
   * fills it for (`fillClientIp`). Only the server knows it.
   */
  readonly clientIp?: string;
}

/**
 * A Segment batch body: an object whose `batch` is an array, and that is not
 * itself a call (no `type`), as no Segment call has a `batch` field.
 */
export function isSegmentBatch(value: unknown): value is SegmentBatch {
  if (!isRecord(value)) return false;
  return Array.isArray(value.batch) && value.type === undefined;
}

/**
 * Turn a batch body into its events as Segment's tracking API does: the
 * batch's `context` and `integrations` apply to every call, merged under the
 * call's own (the call's fields win); its `sentAt` applies to calls without
 * one; `messageId`, `receivedAt` and `timestamp` are filled where missing
 * (`stampEvent`), and `context.ip` from `clientIp` for the calls Segment
 * fills it for (`fillClientIp`, after the batch's context is merged in, as
 * some libraries send `context.library` there); a `writeKey` inside a call is removed so that it is never
 * stored or sent on. An element that is not an object comes back as a
 * problem, the others are kept. The body is not changed. Used by the
 * server's ingestion and by the CLI alike, so that the two read a batch the
 * same way; a single call or a bare array is a batch without shared fields.
 */
export function splitSegmentBatch(body: SegmentBatch, options: SplitOptions): BatchElement[] {
  const context = isRecord(body.context) ? body.context : undefined;
  const integrations = isRecord(body.integrations) ? body.integrations : undefined;
  const sentAt = typeof body.sentAt === "string" ? body.sentAt : undefined;
  const stamp = { now: options.now, ...(options.type === undefined ? {} : { type: options.type }) };
  return body.batch.map((element, index): BatchElement => {
    if (!isRecord(element)) {
      return { index, problem: `element ${index} is ${describeElement(element)}`, value: element };
    }
    // The rest is a copy already: the element is never changed.
    const { writeKey: _writeKey, ...event } = element;
    if (context)
      event.context = { ...context, ...(isRecord(element.context) ? element.context : {}) };
    if (integrations) {
      event.integrations = {
        ...integrations,
        ...(isRecord(element.integrations) ? element.integrations : {}),
      };
    }
    if (event.sentAt === undefined && sentAt !== undefined) event.sentAt = sentAt;
    if (options.messageIdFor && !nonEmptyString(event.messageId)) {
      event.messageId = options.messageIdFor(index);
    }
    if (options.clientIp !== undefined) fillClientIp(event, options.clientIp);
    return { index, event: stampEvent(event, stamp), sent: element };
  });
}

function nonEmptyString(value: unknown): boolean {
  return typeof value === "string" && value !== "";
}

function describeElement(value: unknown): string {
  if (value === null) return "null, not an event object";
  if (Array.isArray(value)) return "an array, not an event object";
  return `a ${typeof value}, not an event object`;
}
