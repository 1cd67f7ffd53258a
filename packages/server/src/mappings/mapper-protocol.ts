import type { MappingEvaluators } from "@gwenmap/core";
import type { MappedEvent, Replacement, ReplayRecord, StoredRequest } from "../queue/job-store.js";

/** What the mapping thread starts with. */
export interface MapperSettings {
  /** The mappings directory, loaded by the thread itself (compiled mappings cannot cross threads). */
  readonly dir: string;
}

/** One mapping of the set in use, as the main thread logs and counts it. */
export interface MappingSummary {
  readonly name: string;
  readonly action: string;
  readonly evaluator: MappingEvaluators;
  readonly disabled?: true;
}

/** What a load of the directory gave: the set now in use, or why it was refused (the old one stays). */
export type LoadOutcome =
  | { readonly ok: true; readonly mappings: readonly MappingSummary[] }
  | { readonly ok: false; readonly errors: readonly string[] };

/** The thread's work, and what each kind of task answers. */
export interface MapperTasks {
  load: { input: undefined; output: LoadOutcome };
  map: { input: readonly StoredRequest[]; output: MappedEvent[] };
  replay: { input: readonly ReplayRecord[]; output: Replacement[] };
}

export type MapperTask = {
  [K in keyof MapperTasks]: { readonly type: K; readonly input: MapperTasks[K]["input"] };
}[keyof MapperTasks];

export interface MapperRequest {
  readonly seq: number;
  readonly task: MapperTask;
}

/** A task's answer; `failed` only for what the engine does not turn into rejections (a bug). */
export type MapperResponse =
  | { readonly seq: number; readonly ok: true; readonly value: unknown }
  | { readonly seq: number; readonly ok: false; readonly message: string };
