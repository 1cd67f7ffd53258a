/**
 * The queue's rows as both stores read them (same column names in SQLite and
 * PostgreSQL), and the one way each becomes what the JobStore interface returns;
 * and the one way a new record becomes a row.
 */
import { type PreparedVariables, prepareItem } from "@gwenmap/gwen-adapter";
import type {
  ClaimedDelivery,
  FailureRecord,
  NewRecord,
  ReplayRecord,
  RequestKind,
  StoredRequest,
} from "./job-store.js";

/** The event a new record comes from. */
export interface EventSource {
  readonly messageId: string;
  readonly receivedAt: number;
  readonly event: string;
}

/** The columns `recordRow` gives values for, in its order. */
export const RECORD_ROW_COLUMNS =
  "message_id, received_at, state, mapping, action, payload, event, reason";

/** A new record's values for `RECORD_ROW_COLUMNS`: a delivery is pending with its payload, a rejection keeps its reason. */
export function recordRow(source: EventSource, record: NewRecord): (string | number | null)[] {
  const delivery = record.kind === "delivery";
  return [
    source.messageId,
    source.receivedAt,
    delivery ? "pending" : "rejected",
    record.mapping ?? null,
    record.action ?? null,
    delivery ? record.variables : null,
    source.event,
    delivery ? null : JSON.stringify(record.reason),
  ];
}

export interface RequestRow {
  id: number;
  request_id: string;
  kind: RequestKind;
  received_at: number;
  source: string;
  events: number;
  body: string;
  /** Not in the SQLite store's version 1 table, read only to move its requests to the journal. */
  client_ip?: string | null;
}

export interface DeliveryRow {
  id: number;
  message_id: string;
  mapping: string;
  action: string;
  payload: string;
  attempts: number;
  received_at: number;
  window_start: number;
}

export interface FailureRow {
  id: number;
  state: FailureRecord["state"];
  message_id: string;
  received_at: number;
  mapping: string | null;
  action: string | null;
  attempts: number;
  reason: string;
  updated_at: number;
  event: string;
}

export type ReplayRow = Pick<FailureRow, "id" | "message_id" | "received_at" | "mapping" | "event">;

export function toStoredRequest(row: RequestRow): StoredRequest {
  return {
    id: row.id,
    requestId: row.request_id,
    kind: row.kind,
    receivedAt: row.received_at,
    source: row.source,
    events: row.events,
    body: row.body,
    ...(row.client_ip == null ? {} : { clientIp: row.client_ip }),
  };
}

export function toClaimedDelivery(row: DeliveryRow): ClaimedDelivery {
  return {
    id: row.id,
    messageId: row.message_id,
    mapping: row.mapping,
    action: row.action,
    variables: storedVariables(row.action, row.payload),
    attempts: row.attempts,
    receivedAt: row.received_at,
    windowStart: row.window_start,
  };
}

/**
 * A delivery's `payload` column as prepared variables. Rows written by
 * gwenmap before prepared variables hold the payload object's JSON instead,
 * which is told apart by its first character: prepared variables begin with
 * the first variable, and every GWEN action's first is the user id, a string.
 */
function storedVariables(action: string, text: string): PreparedVariables {
  if (!text.startsWith("{")) return text as PreparedVariables;
  const prepared = prepareItem({ action, payload: JSON.parse(text) as Record<string, unknown> });
  // What cannot be prepared is sent as it is, and the adapter answers it `permanent`.
  return prepared.ok ? prepared.item.variables : (text as PreparedVariables);
}

export function toReplayRecord(row: ReplayRow): ReplayRecord {
  return {
    id: row.id,
    messageId: row.message_id,
    receivedAt: row.received_at,
    ...(row.mapping === null ? {} : { mapping: row.mapping }),
    event: JSON.parse(row.event) as Record<string, unknown>,
  };
}

export function toFailureRecord(row: FailureRow): FailureRecord {
  return {
    id: row.id,
    state: row.state,
    messageId: row.message_id,
    receivedAt: row.received_at,
    ...(row.mapping === null ? {} : { mapping: row.mapping }),
    ...(row.action === null ? {} : { action: row.action }),
    attempts: row.attempts,
    reason: JSON.parse(row.reason) as FailureRecord["reason"],
    updatedAt: row.updated_at,
    event: JSON.parse(row.event) as Record<string, unknown>,
  };
}
