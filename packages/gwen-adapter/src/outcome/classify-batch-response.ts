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
  const batch = { data: parsed.data, ...attributeErrors(parsed.errors, count), answer };
  return { items: Array.from({ length: count }, (_, index) => itemOutcome(index, batch)) };
}

/** A batch's answer, its errors attributed to items where they name one. */
interface AttributedAnswer {
  readonly data: unknown;
  readonly byItem: ReadonlyMap<number, readonly GraphQLErrorEntry[]>;
  readonly unattributed: readonly GraphQLErrorEntry[];
  readonly answer: HttpAnswer;
}

/**
 * One item's outcome: its own errors; `ok` when its alias has a result;
 * `undefined` when the operation did not run and other items are to blame
 * (it is sent again without them); else the errors no item owns.
 */
function itemOutcome(index: number, batch: AttributedAnswer): Outcome | undefined {
  const { data, byItem, unattributed, answer } = batch;
  const own = byItem.get(index);
  if (own) return classifyGraphQLErrors(own, answer);
  if (isRecord(data) && batchAlias(index) in data) {
    return { kind: "ok", status: answer.status, durationMs: answer.durationMs };
  }
  if (!isRecord(data) && byItem.size > 0) return undefined;
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
