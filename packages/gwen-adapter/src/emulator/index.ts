/**
 * @gwenmap/gwen-adapter/emulator: a local GWEN for tests, benchmarks and
 * `gwenmap emulator`.
 */
export { DEFAULT_EMULATOR_API_KEY } from "./emulator-state.js";
export { STAT_NAMES, type StatName } from "./emulator-stats.js";
export { type EmulatorFaults, FAULT_FIELDS, validateFaults } from "./faults.js";
export type { RecordedRequest } from "./recorder.js";
export { type Emulator, type EmulatorOptions, startEmulator } from "./start-emulator.js";
