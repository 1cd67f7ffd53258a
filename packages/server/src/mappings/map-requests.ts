import { type Engine, eventSizeRejection, type Rejection } from "@gwenmap/core";
import type {
  FailureReason,
  MappedEvent,
  NewRecord,
  Replacement,
  ReplayRecord,
  StoredRequest,
} from "../queue/job-store.js";
import { explodeRequest } from "./explode-request.js";
import { toRecords } from "./to-records.js";

/** The events of one acknowledged request, each with the records its mapping gives. */
export async function mapRequest(engine: Engine, request: StoredRequest): Promise<MappedEvent[]> {
  const mapped: MappedEvent[] = [];
  for (const element of explodeRequest(request)) {
    if (!("event" in element)) {
      const messageId = `gwenmap-${request.requestId}-${element.index}`;
      const reason: FailureReason = {
        code: "E_EVENT_INVALID",
        message: `not a Segment event: ${element.problem} (request ${request.requestId})`,
      };
      mapped.push({
        messageId,
        receivedAt: request.receivedAt,
        event: JSON.stringify({ messageId, value: element.value }),
        records: [{ kind: "rejection", reason }],
      });
      continue;
    }
    const messageId = String(element.event.messageId);
    const text = JSON.stringify(element.event);
    // Segment's 32 KB limit: a bigger event inside a batch is kept as a rejection
    const tooLarge = eventSizeRejection(Buffer.byteLength(text), messageId);
    const records: NewRecord[] = tooLarge
      ? [{ kind: "rejection", reason: reasonOf(tooLarge) }]
      : toRecords(await engine.mapEvent(element.event));
    mapped.push({ messageId, receivedAt: request.receivedAt, event: text, records });
  }
  return mapped;
}

/** What a replayed record's event maps to now, for its own mapping only. */
export async function mapReplay(engine: Engine, replay: ReplayRecord): Promise<Replacement> {
  const tooLarge = eventSizeRejection(
    Buffer.byteLength(JSON.stringify(replay.event)),
    replay.messageId,
  );
  if (tooLarge)
    return { id: replay.id, records: [{ kind: "rejection", reason: reasonOf(tooLarge) }] };
  const result = await engine.mapEvent(replay.event);
  return { id: replay.id, records: toRecords(result, replay.mapping) };
}

function reasonOf(rejection: Rejection): FailureReason {
  return { code: rejection.code, message: rejection.message };
}
