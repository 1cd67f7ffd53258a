import { parseJson } from "@gwenmap/core";
import { RequestError } from "../errors.js";

/**
 * Parses a request body as JSON. A body that is not JSON is a 400 that says
 * where it broke (line, column and offset), so that a client can find it.
 */
export function parseBody(body: string | undefined): unknown {
  // Fastify leaves an empty body without Content-Type undefined: that is an empty body, not a bug.
  const text = body ?? "";
  try {
    return JSON.parse(text);
  } catch {
    const result = parseJson(text);
    if (result.ok) return result.value;
    throw new RequestError(
      "E_BAD_JSON",
      `The body is not valid JSON: ${result.message} at line ${result.line}, column ${result.column} (offset ${result.offset}).`,
    );
  }
}
