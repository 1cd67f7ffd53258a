import {
  type FixtureSuite,
  type LoadEngineResult,
  loadEngine,
  loadFixtureSuite,
} from "@gwenmap/core";
import { actions } from "@gwenmap/gwen-adapter";

/** How every command loads mappings: compiled against GWEN's action contracts. */
const withGwenActions = { contracts: actions } as const;

/** The mappings in `dir` as an engine, or every problem that keeps them from loading. */
export function loadGwenEngine(dir: string): Promise<LoadEngineResult> {
  return loadEngine(dir, withGwenActions);
}

/** The mappings in `dir` and their fixtures, keeping whatever loads (`validate`, `test`). */
export function loadGwenSuite(dir: string): Promise<FixtureSuite> {
  return loadFixtureSuite(dir, withGwenActions);
}
