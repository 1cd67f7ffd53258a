/** A result, or an error as a user sees it: its code, message, place in the expression and token. */
export type Outcome =
  | { value: unknown }
  | { code: unknown; message: unknown; position: unknown; token: unknown };

/** The parts of a thrown error that two engines must agree on. */
export function failure(error: unknown): Outcome {
  const { code, message, position, token } = error as Record<string, unknown>;
  return { code, message, position, token };
}
