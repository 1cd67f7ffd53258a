export type { ActionContract, ActionContracts } from "./action/action-contract.js";
export {
  type BatchElement,
  isSegmentBatch,
  type SegmentBatch,
  type SplitOptions,
  splitSegmentBatch,
} from "./batch/split-segment-batch.js";
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
export { type LoadEngineResult, loadEngine } from "./engine/load-engine.js";
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
export { eventSizeRejection, MAX_EVENT_BYTES } from "./event/event-size.js";
export { type StampOptions, stampEvent } from "./event/stamp-event.js";
export {
  type EventValidation,
  SEGMENT_CALL_TYPES,
  type SegmentCallType,
  type SegmentEvent,
  validateEvent,
} from "./event/validate-event.js";
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
export { expectationMet } from "./fixtures/expectation-met.js";
export type {
  ExpectedDelivery,
  ExpectedOutcome,
  ExpectedRejection,
  Fixture,
} from "./fixtures/fixture.js";
export { fixtureSchema } from "./fixtures/fixture-schema.js";
export {
  type FixtureSuite,
  loadFixtureSuite,
  runFixtureSuite,
} from "./fixtures/load-fixture-suite.js";
export { fixturesDirOf, type LoadFixturesResult, loadFixtures } from "./fixtures/load-fixtures.js";
export { type MappingRename, renamedMappingText } from "./fixtures/rename-mapping.js";
export {
  type FixtureDifference,
  type FixtureResult,
  type RunFixturesOptions,
  runFixtures,
  toExpectations,
} from "./fixtures/run-fixtures.js";
export {
  type FixtureTextUpdate,
  type UpdateFixtureOptions,
  updatedFixtureText,
} from "./fixtures/update-fixture.js";
export { codeFrame } from "./format/code-frame.js";
export { formatError } from "./format/format-error.js";
export {
  type LoadMappingsResult,
  listMappingFiles,
  loadMappings,
} from "./mapping/load-mappings.js";
export { locateInMapping } from "./mapping/locate-in-mapping.js";
export type { Mapping, MappingSource, SourceLocation } from "./mapping/mapping.js";
export { mappingNameOf } from "./mapping/parse-mapping-file.js";
export { type ParseJsonResult, parseJson } from "./source/parse-json.js";
