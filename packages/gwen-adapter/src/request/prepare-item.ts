import { isActionName } from "../action/actions.js";
import { unknownAction } from "./build-request.js";
import {
  type PreparedItem,
  type PreparedVariables,
  prepareVariables,
} from "./prepared-variables.js";

/**
 * One delivery as a caller hands it over: a payload, or its variables already
 * prepared (`prepareVariables`). The action is any name: whether GWEN has it
 * is checked here, in `prepareItem`, and nowhere else.
 */
export type DeliveryItem =
  | { readonly action: string; readonly payload: Readonly<Record<string, unknown>> }
  | { readonly action: string; readonly variables: PreparedVariables };

/** Why an item cannot become a request. */
export type UnpreparableCode =
  /** The action is not one GWEN has (`sendEvent`, `identifyUser`). */
  | "E_UNKNOWN_ACTION"
  /** The payload holds a value JSON cannot (a cycle, a BigInt). */
  | "E_PAYLOAD_NOT_JSON";

/** An item ready to send, or why it can never be sent. */
export type Preparation =
  | { readonly ok: true; readonly item: PreparedItem }
  | { readonly ok: false; readonly code: UnpreparableCode; readonly message: string };

/**
 * The item with its variables as JSON text, or why it cannot become a request
 * (an unknown action, a value JSON cannot hold): such an item is never sent,
 * and the items beside it are sent without it.
 */
export function prepareItem(item: DeliveryItem): Preparation {
  const { action } = item;
  if (!isActionName(action)) {
    return { ok: false, code: "E_UNKNOWN_ACTION", message: unknownAction(action) };
  }
  if ("variables" in item) return { ok: true, item: { action, variables: item.variables } };
  try {
    return { ok: true, item: { action, variables: prepareVariables(action, item.payload) } };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, code: "E_PAYLOAD_NOT_JSON", message: `the payload is not JSON: ${reason}` };
  }
}
