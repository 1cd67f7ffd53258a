/**
 * What became of one delivery. Sending never throws; it answers with one of
 * these, and the caller decides what to do next:
 * - `ok`: GWEN accepted it.
 * - `retry`: it may succeed later (network error, timeout, reset, 408, 423,
 *   429, 5xx except 501); `retryAfterMs` is GWEN's `Retry-After` when given.
 * - `permanent`: sending it again will fail the same way (other 4xx, 501,
 *   GraphQL `errors` in a 200 answer); `message` carries GWEN's words.
 * - `auth`: GWEN rejected the API key; stop and fix the key.
 * `durationMs` is the time of the last HTTP exchange (0 when none was made).
 * Messages never contain the API key.
 */
export type Outcome =
  | { kind: "ok"; status: number; durationMs: number }
  | {
      kind: "retry";
      status?: number;
      retryAfterMs?: number;
      message: string;
      durationMs: number;
    }
  | { kind: "permanent"; status?: number; message: string; durationMs: number }
  | { kind: "auth"; status?: number; message: string; durationMs: number };

/** The outcome kinds, for counting and switch statements. */
export type OutcomeKind = Outcome["kind"];
