import type { Outcome } from "../outcome/outcome.js";

/**
 * What one request's answers say about GWEN's load:
 * - `rate-limited`: GWEN answered 429, too many requests;
 * - `back-pressure`: GWEN asked for less otherwise (503 and every other
 *   `retry`: 5xx, timeouts, connections refused or reset);
 * - `answered`: GWEN answered and asked for nothing, so the round trip is a
 *   measurement of its load (accepted, or refused for a reason of the
 *   delivery's own: invalid variables, a GraphQL error);
 * - `silent`: nothing about load (the API key was refused, or nothing was sent).
 */
export type LoadSignal = "rate-limited" | "back-pressure" | "answered" | "silent";

/** Reads the outcomes of one request (one per delivery it carried). */
export function readLoadSignal(outcomes: readonly Outcome[]): LoadSignal {
  let answered = false;
  let pushedBack = false;
  for (const outcome of outcomes) {
    if (outcome.kind === "retry" && outcome.status === 429) return "rate-limited";
    if (outcome.kind === "retry") pushedBack = true;
    if (outcome.kind === "ok" || (outcome.kind === "permanent" && outcome.status !== undefined)) {
      answered = true;
    }
  }
  if (pushedBack) return "back-pressure";
  return answered ? "answered" : "silent";
}
