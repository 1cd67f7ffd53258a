import type { ActionName } from "../action/actions.js";
import { GwenAdapterError } from "../errors.js";
import { buildVariables, type GraphQLRequestBody, operationFor } from "./build-request.js";
import { BATCH_OPERATION_NAME } from "./operations.js";

/** One delivery inside a batch. */
export interface BatchItem {
  readonly action: ActionName;
  readonly payload: Readonly<Record<string, unknown>>;
}

/**
 * The most deliveries one request of aliased mutations should carry: the
 * largest batch the bench measures (`sendBatch` at 50 per request). Callers
 * that let users choose a batch size (the server's `GWENMAP_BATCH_SIZE`,
 * `gwenmap send --batch-size`) keep to it.
 */
export const MAX_BATCH_ITEMS = 50;

/** The alias of the item at `index` in a batch: `e0`, `e1`, ... */
export function batchAlias(index: number): string {
  return `e${index}`;
}

const ALIAS = /^e(\d+)$/;
const ALIASED_VARIABLE = /\$e(\d+)_/;

/** The index an alias (`e3`) stands for, or undefined for anything else. */
export function batchIndexOfAlias(alias: unknown): number | undefined {
  if (typeof alias !== "string") return undefined;
  const match = ALIAS.exec(alias);
  return match ? Number(match[1]) : undefined;
}

/** The index of the first aliased variable (`$e3_userId`) a message names, if any. */
export function batchIndexOfVariableIn(message: string): number | undefined {
  const match = ALIASED_VARIABLE.exec(message);
  return match ? Number(match[1]) : undefined;
}

/**
 * Several deliveries as one GraphQL operation of aliased mutations
 * (`e0: event(...) e1: userSession(...) {...}`). Each item's variables are
 * prefixed with its alias (`$e0_userId`) so GWEN's errors can be traced back
 * to the item through `errors[].path[0]` or the variable they name.
 */
export function buildBatchRequest(items: readonly BatchItem[]): GraphQLRequestBody {
  const query = batchQuery(items.map((item) => item.action));
  const variables: Record<string, unknown> = {};
  items.forEach((item, index) => {
    const itemVariables = buildVariables(item.action, item.payload);
    for (const name of Object.keys(operationFor(item.action).variableTypes)) {
      if (name in itemVariables) variables[`${batchAlias(index)}_${name}`] = itemVariables[name];
    }
  });
  return { operationName: BATCH_OPERATION_NAME, query, variables };
}

/** The aliased operation's query for `actions`, in order; throws for an empty list or an unknown action. */
export function batchQuery(actions: readonly ActionName[]): string {
  if (actions.length === 0) {
    throw new GwenAdapterError("E_EMPTY_BATCH", "A batch needs at least one delivery.");
  }
  const declarations: string[] = [];
  const fields: string[] = [];
  actions.forEach((action, index) => {
    const operation = operationFor(action);
    const alias = batchAlias(index);
    for (const [name, type] of Object.entries(operation.variableTypes)) {
      declarations.push(`$${alias}_${name}: ${type}`);
    }
    const args = Object.entries(operation.arguments)
      .map(([argument, variable]) => `${argument}: $${alias}_${variable}`)
      .join(", ");
    fields.push(`${alias}: ${operation.field}(${args})${operation.selection}`);
  });
  return `mutation ${BATCH_OPERATION_NAME}(${declarations.join(", ")}) {\n  ${fields.join("\n  ")}\n}`;
}
