/** One entry of a GraphQL answer's `errors` array, reduced to what the adapter uses. */
export interface GraphQLErrorEntry {
  readonly message: string;
  readonly path?: readonly unknown[];
  readonly code?: string;
}

const AUTH_CODES = new Set(["UNAUTHENTICATED", "UNAUTHORIZED", "FORBIDDEN"]);
const AUTH_MESSAGE = /\bapi[\s_-]?(key|token)\b|\bunauthori[sz]ed\b|\bunauthenticated\b/i;

/** The `errors` of a parsed GraphQL answer, or an empty list when it has none. */
export function readGraphQLErrors(answer: unknown): GraphQLErrorEntry[] {
  if (!isRecord(answer) || !Array.isArray(answer.errors)) return [];
  return answer.errors.map((entry: unknown) => {
    if (!isRecord(entry)) return { message: String(entry) };
    const code = isRecord(entry.extensions) ? entry.extensions.code : undefined;
    return {
      message: typeof entry.message === "string" ? entry.message : JSON.stringify(entry),
      ...(Array.isArray(entry.path) ? { path: entry.path } : {}),
      ...(typeof code === "string" ? { code } : {}),
    };
  });
}

/**
 * Whether an error says the API key was refused. We do not know GWEN's exact
 * answer, so we accept the usual signs: an `UNAUTHENTICATED`/`UNAUTHORIZED`/
 * `FORBIDDEN` code, or a message about the API key or authorization.
 */
export function isAuthError(entry: GraphQLErrorEntry): boolean {
  return (
    (entry.code !== undefined && AUTH_CODES.has(entry.code)) || AUTH_MESSAGE.test(entry.message)
  );
}

/** The messages of `errors` as one line: `first; second (CODE)`. */
export function describeErrors(errors: readonly GraphQLErrorEntry[]): string {
  return errors
    .map((entry) => (entry.code ? `${entry.message} (${entry.code})` : entry.message))
    .join("; ");
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
