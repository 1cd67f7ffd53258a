import { type ActionName, isActionName } from "../action/actions.js";
import { UnknownActionError } from "../errors.js";
import { type GraphQLOperation, sendEventOperation, userSessionOperation } from "./operations.js";

/** The JSON body of a GraphQL-over-HTTP request. */
export interface GraphQLRequestBody {
  operationName: string;
  query: string;
  variables?: Record<string, unknown>;
}

const operations: Readonly<Record<ActionName, GraphQLOperation>> = {
  sendEvent: sendEventOperation,
  identifyUser: userSessionOperation,
};

/** The GraphQL operation that delivers `action`; throws `UnknownActionError` for any other name. */
export function operationFor(action: string): GraphQLOperation {
  if (!isActionName(action))
    throw new UnknownActionError("E_UNKNOWN_ACTION", unknownAction(action));
  return operations[action];
}

/** What is wrong with an action name GWEN does not have, and the names it has. */
export function unknownAction(action: string): string {
  return `GWEN has no action "${action}": use one of ${Object.keys(operations).join(", ")}.`;
}

/**
 * The operation's variables for a payload, exactly as Segment's destination
 * sends them: `data` falls back to `{}` when falsy, and the session object
 * always exists while carrying only the ip and userAgent that are present.
 * Keys whose value is `undefined` are left out (JSON would drop them anyway).
 * Throws `UnknownActionError` for an action GWEN does not have.
 */
export function buildVariables(
  action: ActionName | (string & {}),
  payload: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  operationFor(action);
  if (action === "sendEvent") {
    return withoutUndefined({
      userId: payload.userId,
      type: payload.type,
      data: payload.data || {},
    });
  }
  return withoutUndefined({
    userId: payload.userId,
    session: withoutUndefined({ ip: payload.ip, userAgent: payload.userAgent }),
  });
}

/**
 * The request body that delivers one action payload to GWEN. The payload is
 * expected to be valid for the action's schema (core validates it); this
 * function only shapes it. Throws `UnknownActionError` for an action GWEN
 * does not have.
 */
export function buildRequest(
  action: ActionName | (string & {}),
  payload: Readonly<Record<string, unknown>>,
): GraphQLRequestBody {
  const operation = operationFor(action);
  return {
    operationName: operation.operationName,
    query: operation.query,
    variables: buildVariables(action, payload),
  };
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (value !== undefined) result[key] = value;
  }
  return result;
}
