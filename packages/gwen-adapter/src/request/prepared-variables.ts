import type { ActionName } from "../action/actions.js";
import { buildVariables, operationFor } from "./build-request.js";

/**
 * An action payload as the JSON text of its operation's variables: one line
 * per variable, in the operation's declaration order, an empty line for a
 * variable left out. JSON text never holds a raw line break, so the lines
 * come apart again without parsing. Made once, where the payload is made,
 * and spliced into request bodies as is: a delivery read back from a queue
 * goes to GWEN without its payload being parsed and serialized again.
 */
export type PreparedVariables = string & { readonly __preparedVariables: never };

/** One delivery whose variables are already JSON text. */
export interface PreparedItem {
  readonly action: ActionName;
  readonly variables: PreparedVariables;
}

/**
 * The variables `buildVariables` gives for a payload, as `PreparedVariables`.
 * Throws `UnknownActionError` for an action the adapter does not define, and
 * what `JSON.stringify` throws for a value JSON cannot hold (a cycle, a BigInt).
 */
export function prepareVariables(
  action: ActionName,
  payload: Readonly<Record<string, unknown>>,
): PreparedVariables {
  const variables = buildVariables(action, payload);
  const lines: string[] = [];
  for (const name of Object.keys(operationFor(action).variableTypes)) {
    const value = variables[name];
    lines.push(value === undefined ? "" : (JSON.stringify(value) ?? ""));
  }
  return lines.join("\n") as PreparedVariables;
}

/** The JSON text of each variable, in declaration order ("" for one left out). */
export function variableTexts(variables: PreparedVariables): string[] {
  return variables.split("\n");
}
