/**
 * @gwenmap/gwen-adapter: everything gwenmap knows about GWEN (action
 * contracts, GraphQL requests, a resilient client, outcome classification)
 * and nothing about Segment. The emulator is the `./emulator` subpath.
 */
export { type ActionDefinition, type ActionName, actions, isActionName } from "./action/actions.js";
export {
  CLIENT_DEFAULTS,
  type GwenClientOptions,
  type RetryPolicy,
} from "./client/client-options.js";
export { DEFAULT_ENDPOINT, resolveEndpoint } from "./client/endpoint.js";
export { type ApiKeyValidation, GwenClient, type SendOptions } from "./client/gwen-client.js";
export { MIN_SECRET_LENGTH, redactSecrets } from "./client/redact-secrets.js";
export {
  type DeliveryFailure,
  type DeliveryFailureCode,
  type DeliveryPolicy,
  type DeliveryProgress,
  type DeliveryStep,
  decideDelivery,
  retryWindowEnd,
} from "./delivery/decide-delivery.js";
export {
  EmulatorError,
  GwenAdapterError,
  type GwenAdapterErrorCode,
  InvalidEndpointError,
  InvalidOptionError,
  MissingApiKeyError,
  UnknownActionError,
} from "./errors.js";
export { classifyResponse } from "./outcome/classify-response.js";
export type { HttpAnswer } from "./outcome/http-answer.js";
export type { Outcome, OutcomeKind } from "./outcome/outcome.js";
export { parseRetryAfter } from "./outcome/retry-after.js";
export { type BackoffPolicy, DEFAULT_BACKOFF, retryDelay } from "./outcome/retry-delay.js";
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
