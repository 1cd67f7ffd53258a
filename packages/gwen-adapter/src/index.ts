/**
 * @gwenmap/gwen-adapter: everything gwenmap knows about GWEN (action
 * contracts, GraphQL requests, a resilient client, outcome classification,
 * the delivery policy) and nothing about Segment. `./browser` is the pure
 * part alone (contracts and requests); the emulator is the `./emulator` subpath.
 */
export * from "./browser.js";
export {
  CLIENT_DEFAULTS,
  type GwenClientOptions,
  type RetryPolicy,
} from "./client/client-options.js";
export { DEFAULT_ENDPOINT, resolveEndpoint } from "./client/endpoint.js";
export { type ApiKeyValidation, GwenClient, type SendOptions } from "./client/gwen-client.js";
export { MIN_SECRET_LENGTH, redactSecrets } from "./client/redact-secrets.js";
export { AdaptiveConcurrency } from "./concurrency/adaptive-concurrency.js";
export {
  ADAPTIVE_DEFAULTS,
  type AdaptiveConcurrencyOptions,
} from "./concurrency/adaptive-options.js";
export type { ConcurrencyLimit } from "./concurrency/concurrency-limit.js";
export {
  type ConcurrencySetting,
  concurrencyCeiling,
  createConcurrencyLimit,
} from "./concurrency/create-concurrency-limit.js";
export { FixedConcurrency } from "./concurrency/fixed-concurrency.js";
export { type LoadSignal, readLoadSignal } from "./concurrency/load-signal.js";
export {
  type DeliveryFailure,
  type DeliveryFailureCode,
  type DeliveryPolicy,
  type DeliveryProgress,
  type DeliveryStep,
  decideDelivery,
  retryWindowEnd,
} from "./delivery/decide-delivery.js";
export { classifyResponse } from "./outcome/classify-response.js";
export type { HttpAnswer } from "./outcome/http-answer.js";
export type { Outcome, OutcomeKind } from "./outcome/outcome.js";
export { type RequestAnswers, readRequestAnswers } from "./outcome/request-answers.js";
export { parseRetryAfter } from "./outcome/retry-after.js";
export { type BackoffPolicy, DEFAULT_BACKOFF, retryDelay } from "./outcome/retry-delay.js";
