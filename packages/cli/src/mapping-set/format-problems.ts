import { formatError, type GwenmapError } from "@gwenmap/core";
import type { Colors } from "../terminal/colors.js";

/**
 * Problems as a user reads them: each `file:line:col CODE message` (bold)
 * with its code frame underneath, separated by blank lines.
 */
export function formatProblems(errors: readonly GwenmapError[], colors: Colors): string {
  return errors
    .map((error) => {
      const [headline = "", ...frame] = formatError(error).split("\n");
      return [colors.bold(headline), ...frame].join("\n");
    })
    .join("\n\n");
}

/** "1 problem" / "3 problems". */
export function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
