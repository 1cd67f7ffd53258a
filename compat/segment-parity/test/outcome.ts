/** One GraphQL request to GWEN, as compared: the query's whitespace collapsed. */
export interface GwenRequest {
  readonly operationName: string;
  readonly query: string;
  readonly variables: unknown;
}

/**
 * What one Segment event became on one side. `refused`: Segment's tracking
 * API would not take it (gwenmap's event rules, which model it);
 * `rejected`: the action's payload validation refused it, with these
 * messages; `failed`: Segment's runtime threw something else.
 */
export type Outcome =
  | { readonly kind: "refused"; readonly reason: string }
  | { readonly kind: "sent"; readonly requests: readonly GwenRequest[] }
  | { readonly kind: "rejected"; readonly messages: readonly string[] }
  | { readonly kind: "failed"; readonly message: string };

/** A request body as both sides put it on the wire, made comparable. */
export function comparableRequest(body: string): GwenRequest {
  const parsed = JSON.parse(body) as { operationName: string; query: string; variables?: unknown };
  return {
    operationName: parsed.operationName,
    // Segment's UserSession query is indented over several lines; GWEN's GraphQL ignores whitespace
    query: parsed.query.replace(/\s+/g, " ").trim(),
    variables: parsed.variables,
  };
}
