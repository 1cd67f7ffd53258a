import type { Outcome } from "../outcome/outcome.js";
import type { BatchItem } from "../request/build-batch-request.js";
import { operationFor } from "../request/build-request.js";
import { type PreparedItem, prepareVariables } from "../request/prepared-variables.js";

/**
 * An item with its variables as JSON text, or the permanent outcome of one
 * that cannot become a request (an unknown action, a value JSON cannot hold):
 * it is never sent, and the items beside it are sent without it.
 */
export function prepareItem(item: BatchItem | PreparedItem): PreparedItem | Outcome {
  try {
    if (!("variables" in item)) {
      return { action: item.action, variables: prepareVariables(item.action, item.payload) };
    }
    operationFor(item.action);
    return item;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { kind: "permanent", message: `the request cannot be built: ${reason}`, durationMs: 0 };
  }
}
