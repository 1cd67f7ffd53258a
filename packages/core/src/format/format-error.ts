import type { GwenmapError } from "../errors.js";

/**
 * An error as a user should read it: `file:line:col CODE message`, then the
 * source around the problem with a caret under it.
 */
export function formatError(error: GwenmapError): string {
  const headline = error.toString();
  return error.frame ? `${headline}\n${error.frame}` : headline;
}
