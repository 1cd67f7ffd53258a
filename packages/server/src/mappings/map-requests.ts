import { callSizeRejection, type Engine, eventSizeRejection, type Rejection } from "@gwenmap/core";
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
    const bytes = Buffer.byteLength(text);
    const sentBytes = () => Buffer.byteLength(JSON.stringify(element.sent));
    const tooLarge = callSizeRejection({ bytes, sentBytes }, messageId);
    // Parsed from the stored JSON (what was filled in is strings and copies of it): the engine
    // need not walk again what a payload takes from it as it is.
    let records: NewRecord[];
    if (tooLarge) records = [{ kind: "rejection", reason: reasonOf(tooLarge) }];
    else {
      // the engine's result, awaited only when it is a promise (a mapping on jsonata's interpreter)
      const result = engine.mapEventSync(element.event, { plainJsonBytes: bytes });
      records = toRecords(result instanceof Promise ? await result : result);
    }
    mapped.push({ messageId, receivedAt: request.receivedAt, event: text, records });
  }
  return mapped;
}

/**
 * What a replayed record's event maps to now, for its own mapping only. A
 * record of a mapping came from an event the size rule let in when it was
 * first mapped, so it is not measured again: its stored text holds what
 * gwenmap filled in and may be over by that. An event-level rejection is.
 */
export async function mapReplay(engine: Engine, replay: ReplayRecord): Promise<Replacement> {
  const tooLarge =
    replay.mapping === undefined
      ? eventSizeRejection(Buffer.byteLength(JSON.stringify(replay.event)), replay.messageId)
      : undefined;
  if (tooLarge)
    return { id: replay.id, records: [{ kind: "rejection", reason: reasonOf(tooLarge) }] };
  const result = await engine.mapEvent(replay.event);
  return { id: replay.id, records: toRecords(result, replay.mapping) };
}

function reasonOf(rejection: Rejection): FailureReason {
  return { code: rejection.code, message: rejection.message };
}
