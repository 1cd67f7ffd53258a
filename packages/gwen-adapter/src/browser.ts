/**
 * @gwenmap/gwen-adapter/browser: the adapter's pure part (GWEN's action
 * contracts and the GraphQL requests that deliver them), with no network and
 * no Node built-in, so it runs in a browser: the playground bundles it to
 * show the exact request GWEN would receive. `@gwenmap/gwen-adapter` adds
 * the client and outcome classification.
 */
export { type ActionDefinition, type ActionName, actions, isActionName } from "./action/actions.js";
export {
  EmulatorError,
  GwenAdapterError,
  type GwenAdapterErrorCode,
  InvalidEndpointError,
  InvalidOptionError,
  MissingApiKeyError,
  UnknownActionError,
} from "./errors.js";
export {
  type BatchItem,
  buildBatchRequest,
  MAX_BATCH_ITEMS,
} from "./request/build-batch-request.js";
export { buildRequest, type GraphQLRequestBody } from "./request/build-request.js";
export {
  BATCH_OPERATION_NAME,
  type GraphQLOperation,
  sendEventOperation,
  userSessionOperation,
  validateApiKeyOperation,
} from "./request/operations.js";
export {
  type DeliveryItem,
  type Preparation,
  prepareItem,
  type UnpreparableCode,
} from "./request/prepare-item.js";
export {
  type PreparedItem,
  type PreparedVariables,
  prepareVariables,
} from "./request/prepared-variables.js";
