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

/**
 * `{"mapping","messageId","line","error":{"code","message","path"}}`; a
 * runtime error adds `"location":{"file","line","column"}`, the failing
 * sub-expression in the mapping file.
 */
export function rejectionLine(
  rejection: Rejection,
  messageId: string | undefined,
  line: number,
): string {
  const { mapping, code, message, path } = rejection;
  const where = rejection.location;
  const location = where ? { file: where.file, line: where.line, column: where.column } : undefined;
  return JSON.stringify({ mapping, messageId, line, error: { code, message, path, location } });
}

/** The rejection of a line that is not JSON: no mapping ran. */
export function notJsonLine(line: number, message: string): string {
  return JSON.stringify({ line, error: { code: "E_NOT_JSON", message } });
}
