import { batchAlias, batchQuery } from "./build-batch-request.js";
import { operationFor } from "./build-request.js";
import { BATCH_OPERATION_NAME } from "./operations.js";
import { type PreparedItem, variableTexts } from "./prepared-variables.js";

/**
 * The JSON text of the request that delivers `items`: the action's own
 * operation for one item, aliased mutations for several. Byte for byte what
 * `JSON.stringify` gives for `buildRequest` or `buildBatchRequest` of the same
 * payloads, but spliced from text: building and serializing the request was
 * a fifth of the server's main thread while it delivered a backlog.
 */
export function requestText(items: readonly [PreparedItem, ...PreparedItem[]]): string {
  if (items.length === 1) {
    const [{ action, variables }] = items;
    const operation = operationFor(action);
    const members = variableMembers(action, "", variables);
    return `{"operationName":${JSON.stringify(operation.operationName)},"query":${JSON.stringify(operation.query)},"variables":{${members}}}`;
  }
  const query = cachedBatchQuery(items.map((item) => item.action));
  const members = items
    .map((item, index) => variableMembers(item.action, `${batchAlias(index)}_`, item.variables))
    .filter((text) => text !== "")
    .join(",");
  return `{"operationName":"${BATCH_OPERATION_NAME}","query":${query},"variables":{${members}}}`;
}

/** `"<prefix><name>":<value>` for each of the action's variables present, comma-separated. */
function variableMembers(
  action: PreparedItem["action"],
  prefix: string,
  variables: PreparedItem["variables"],
): string {
  const texts = variableTexts(variables);
  let members = "";
  Object.keys(operationFor(action).variableTypes).forEach((name, position) => {
    const text = texts[position];
    if (!text) return;
    members += `${members === "" ? "" : ","}"${prefix}${name}":${text}`;
  });
  return members;
}

/**
 * Batches of the same actions in the same order share their query, and a
 * server sends few shapes; a bound keeps mixed batches from growing it.
 */
const MAX_CACHED_QUERIES = 256;
/** Batch queries as JSON text, by their actions. */
const queries = new Map<string, string>();

function cachedBatchQuery(actions: readonly PreparedItem["action"][]): string {
  const key = actions.join(",");
  let cached = queries.get(key);
  if (cached === undefined) {
    cached = JSON.stringify(batchQuery(actions));
    if (queries.size >= MAX_CACHED_QUERIES) queries.clear();
    queries.set(key, cached);
  }
  return cached;
}
