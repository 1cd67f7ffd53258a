/**
 * @gwenmap/core: everything of `@gwenmap/core/browser` (the pure engine),
 * plus the loaders that read a mappings folder and its fixtures from disk.
 */

export {
  type BatchElement,
  isSegmentBatch,
  type SegmentBatch,
  type SplitOptions,
  splitSegmentBatch,
} from "./batch/split-segment-batch.js";
export * from "./browser.js";
export { type LoadEngineResult, loadEngine } from "./engine/load-engine.js";
export { type StampOptions, stampEvent } from "./event/stamp-event.js";
export {
  type FixtureSuite,
  loadFixtureSuite,
  runFixtureSuite,
} from "./fixtures/load-fixture-suite.js";
export {
  fixturesDirOf,
  type LoadFixturesResult,
  listFixtureFiles,
  loadFixtures,
} from "./fixtures/load-fixtures.js";
export {
  type LoadMappingsResult,
  listMappingFiles,
  loadMappings,
} from "./mapping/load-mappings.js";
