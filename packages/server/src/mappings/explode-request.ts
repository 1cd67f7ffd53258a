import { type BatchElement, type SegmentBatch, splitSegmentBatch } from "@gwenmap/core";
import type { StoredRequest } from "../queue/job-store.js";

const SINGLE_KINDS = new Set(["track", "identify", "page", "screen", "group", "alias"]);

/**
 * Splits an acknowledged request into its events by core's Segment batch
 * rules (`splitSegmentBatch`, the ones the CLI reads batch bodies with). A
 * `messageId` filled in here is stable: derived from the request id and
 * position, so that re-mapping after a crash gives the same id. The
 * request's address becomes `context.ip` where Segment would fill it.
 */
export function explodeRequest(request: StoredRequest): BatchElement[] {
  const body = JSON.parse(request.body) as unknown;
  const options = {
    now: new Date(request.receivedAt),
    ...(SINGLE_KINDS.has(request.kind) ? { type: request.kind } : {}),
    messageIdFor: (index: number) => `gwenmap-${request.requestId}-${index}`,
    ...(request.clientIp === undefined ? {} : { clientIp: request.clientIp }),
  };
  // the route checked that a batch's body holds a `batch` array
  if (request.kind === "batch" && hasBatch(body)) return splitSegmentBatch(body, options);
  return splitSegmentBatch({ batch: Array.isArray(body) ? body : [body] }, options);
}

function hasBatch(body: unknown): body is SegmentBatch {
  return typeof body === "object" && body !== null && Array.isArray((body as SegmentBatch).batch);
}
