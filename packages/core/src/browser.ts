/**
 * @gwenmap/core/browser: the engine without its loaders. Everything here is
 * pure (no file, network or Node built-in), so it runs in a browser: the
 * playground bundles this entry and compiles, maps and checks fixtures with
 * the very code the CLI and the server run. `@gwenmap/core` adds the loaders
 * that read a mappings folder and its fixtures.
 */
export type { ActionContract, ActionContracts } from "./action/action-contract.js";
export type { BranchCoverage } from "./coverage/count-branches.js";
export {
  type ClauseCoverage,
  type MappingCoverage,
  measureCoverage,
} from "./coverage/measure-coverage.js";
export { createEngine, messageIdOf } from "./engine/create-engine.js";
export type { Engine, EngineOptions, MapOptions } from "./engine/engine.js";
export {
  evaluatorsOf,
  type MappingEvaluators,
  type PartEvaluator,
} from "./engine/evaluators-of.js";
export type {
  Delivery,
  EvaluationLocation,
  MappingExplanation,
  MapResult,
  Rejection,
  RejectionCode,
  Violation,
} from "./engine/map-result.js";
export { type CoreErrorCode, FixtureError, GwenmapError, MappingError } from "./errors.js";
export { createEvaluator } from "./evaluator/create-evaluator.js";
export {
  defaultEvaluationLimits,
  type EvaluationLimits,
  type Evaluator,
  type EvaluatorKind,
} from "./evaluator/evaluator.js";
export { toPlainJson } from "./evaluator/plain-json.js";
export {
  type CallSize,
  callSizeRejection,
  eventSizeRejection,
  MAX_EVENT_BYTES,
} from "./event/event-size.js";
export {
  type EventValidation,
  SEGMENT_CALL_TYPES,
  type SegmentCallType,
  type SegmentEvent,
  validateEvent,
} from "./event/validate-event.js";
export {
  clausesWorthShowing,
  describeClause,
  describeDroppedField,
  describeValue,
  explanationSentence,
} from "./explain/describe-explanation.js";
export { type DroppedField, explainDroppedFields } from "./explain/explain-dropped-fields.js";
export {
  type DetailedExplanation,
  detailExplanation,
  type EventExplanation,
  explainEvent,
} from "./explain/explain-event.js";
export {
  type ClauseExplanation,
  type EvaluatedPart,
  explainTrigger,
} from "./explain/explain-trigger.js";
export { describeDifference } from "./fixtures/describe-difference.js";
export { expectationMet } from "./fixtures/expectation-met.js";
export type {
  ExpectedDelivery,
  ExpectedOutcome,
  ExpectedRejection,
  Fixture,
} from "./fixtures/fixture.js";
export { fixtureSchema } from "./fixtures/fixture-schema.js";
export {
  fixtureNameOf,
  type ParseFixtureOptions,
  type ParseFixtureResult,
  parseFixture,
} from "./fixtures/parse-fixture.js";
export { type FixtureRecording, recordedFixtureText } from "./fixtures/record-fixture.js";
export { type MappingRename, renamedMappingText } from "./fixtures/rename-mapping.js";
export {
  type FixtureDifference,
  type FixtureResult,
  type RunFixturesOptions,
  runFixtures,
  toExpectations,
} from "./fixtures/run-fixtures.js";
export {
  type DiffColors,
  type DiffLabels,
  fixtureDiffLabels,
  structuralDiff,
} from "./fixtures/structural-diff.js";
export {
  type FixtureTextUpdate,
  type UpdateFixtureOptions,
  updatedFixtureText,
} from "./fixtures/update-fixture.js";
export { codeFrame } from "./format/code-frame.js";
export { formatError } from "./format/format-error.js";
export type { CompileMappingResult } from "./mapping/compile-mapping.js";
export {
  type CompileMappingOptions,
  compileMappingText,
} from "./mapping/compile-mapping-text.js";
export { locateInMapping } from "./mapping/locate-in-mapping.js";
export type { Mapping, MappingSource, SourceLocation } from "./mapping/mapping.js";
export { mappingNameOf } from "./mapping/parse-mapping-file.js";
export { type ParseJsonResult, parseJson } from "./source/parse-json.js";
