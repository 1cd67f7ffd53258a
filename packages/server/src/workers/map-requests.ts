import type { Engine } from "@gwenmap/core";
import type {
  MappedEvent,
  NewRecord,
  Replacement,
  ReplayRecord,
  StoredRequest,
} from "../queue/job-store.js";
import { explodeRequest } from "./explode-request.js";
import { toRecords } from "./to-records.js";

/** Segment's limit for one event; a bigger one inside a batch is kept as a rejection. */
const MAX_EVENT_BYTES = 32 * 1024;

/** The events of one acknowledged request, each with the records its mapping gives. */
export async function mapRequest(engine: Engine, request: StoredRequest): Promise<MappedEvent[]> {
  const mapped: MappedEvent[] = [];
  for (const element of explodeRequest(request)) {
    if (!("event" in element)) {
      const messageId = `gwenmap-${request.requestId}-${element.index}`;
      const reason = {
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
    const records: NewRecord[] =
      bytes > MAX_EVENT_BYTES
        ? [{ kind: "rejection", reason: tooLarge(messageId, bytes) }]
        : toRecords(await engine.mapEvent(element.event));
    mapped.push({ messageId, receivedAt: request.receivedAt, event: text, records });
  }
  return mapped;
}

/** What a replayed record's event maps to now, for its own mapping only. */
export async function mapReplay(engine: Engine, replay: ReplayRecord): Promise<Replacement> {
  const bytes = Buffer.byteLength(JSON.stringify(replay.event));
  if (bytes > MAX_EVENT_BYTES) {
    return {
      id: replay.id,
      records: [{ kind: "rejection", reason: tooLarge(replay.messageId, bytes) }],
    };
  }
  const result = await engine.mapEvent(replay.event);
  return { id: replay.id, records: toRecords(result, replay.mapping) };
}

function tooLarge(messageId: string, bytes: number) {
  return {
    code: "E_EVENT_TOO_LARGE",
    message: `event ${messageId} is ${bytes} bytes; Segment's limit for one event is ${MAX_EVENT_BYTES} bytes (32 KB): send less in properties or traits`,
  };
}
