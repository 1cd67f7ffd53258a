import {
  batchAlias,
  batchIndexOfAlias,
  batchIndexOfVariableIn,
} from "../request/build-batch-request.js";
import { classifyGraphQLErrors, classifyStatus, parseAnswer } from "./classify-response.js";
import { type GraphQLErrorEntry, isAuthError, isRecord } from "./graphql-errors.js";
import type { HttpAnswer } from "./http-answer.js";
import type { Outcome } from "./outcome.js";

/**
 * Per-item results of an aliased batch. An item is `undefined` when GWEN did
 * not run it only because other items made the whole operation invalid (a bad
 * `$e1_userId` fails variable coercion for all): send it again without them.
 */
export type BatchResult = { shared: Outcome } | { items: (Outcome | undefined)[] };

/**
 * Maps GWEN's answer to a batch of `count` aliased mutations back to each item.
 * Transport-level answers (non-2xx, not JSON, a rejected key) apply to every
 * item. Otherwise an error belongs to the item its `path[0]` alias or its
 * `$eN_` variable names.
 */
export function classifyBatchResponse(answer: HttpAnswer, count: number): BatchResult {
  const failure = classifyStatus(answer);
  if (failure) return { shared: failure };
  const parsed = parseAnswer(answer);
  if (!parsed.ok) return { shared: parsed.outcome };
  if (parsed.errors.some(isAuthError))
    return { shared: classifyGraphQLErrors(parsed.errors, answer) };
  const { byItem, unattributed } = attributeErrors(parsed.errors, count);
  const items = Array.from({ length: count }, (_, index): Outcome | undefined => {
    const own = byItem.get(index);
    if (own) return classifyGraphQLErrors(own, answer);
    if (isRecord(parsed.data)) return outcomeFromData(parsed.data, index, unattributed, answer);
    // The operation did not run. When other items are to blame, this one is resent without them.
    if (byItem.size > 0) return undefined;
    return unattributed.length > 0
      ? classifyGraphQLErrors(unattributed, answer)
      : missingResult(answer);
  });
  return { items };
}

function outcomeFromData(
  data: Record<string, unknown>,
  index: number,
  unattributed: readonly GraphQLErrorEntry[],
  answer: HttpAnswer,
): Outcome {
  if (batchAlias(index) in data) {
    return { kind: "ok", status: answer.status, durationMs: answer.durationMs };
  }
  return unattributed.length > 0
    ? classifyGraphQLErrors(unattributed, answer)
    : missingResult(answer);
}

function attributeErrors(
  errors: readonly GraphQLErrorEntry[],
  count: number,
): { byItem: Map<number, GraphQLErrorEntry[]>; unattributed: GraphQLErrorEntry[] } {
  const byItem = new Map<number, GraphQLErrorEntry[]>();
  const unattributed: GraphQLErrorEntry[] = [];
  for (const error of errors) {
    const index = batchIndexOfAlias(error.path?.[0]) ?? batchIndexOfVariableIn(error.message);
    if (index === undefined || index >= count) {
      unattributed.push(error);
    } else {
      byItem.set(index, [...(byItem.get(index) ?? []), error]);
    }
  }
  return { byItem, unattributed };
}

function missingResult(answer: HttpAnswer): Outcome {
  return {
    kind: "permanent",
    status: answer.status,
    message: "GWEN's answer has neither a result nor an error for this delivery",
    durationMs: answer.durationMs,
  };
}
