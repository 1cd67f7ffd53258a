import type { Delivery, Rejection } from "@gwenmap/core";
import { buildRequest } from "@gwenmap/gwen-adapter";

export type OutputFormat = "payload" | "request";

/** `{"mapping","action","messageId","payload"}`, or `"request"`: the GraphQL body GWEN would receive. */
export function deliveryLine(
  delivery: Delivery,
  messageId: string | undefined,
  format: OutputFormat,
): string {
  const { mapping, action, payload } = delivery;
  if (format === "request") {
    return JSON.stringify({ mapping, action, messageId, request: buildRequest(action, payload) });
  }
  return JSON.stringify({ mapping, action, messageId, payload });
}

/** `{"mapping","messageId","line","error":{"code","message","path"}}`. */
export function rejectionLine(
  rejection: Rejection,
  messageId: string | undefined,
  line: number,
): string {
  const { mapping, code, message, path } = rejection;
  return JSON.stringify({ mapping, messageId, line, error: { code, message, path } });
}

/** The rejection of a line that is not JSON: no mapping ran. */
export function notJsonLine(line: number, message: string): string {
  return JSON.stringify({ line, error: { code: "E_NOT_JSON", message } });
}
