import type { Evaluator } from "../evaluator/evaluator.js";

/** Where something sits in a source file: 1-based line and column. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** A mapping file as written: its header tags and its JSONata expression. */
export interface MappingSource {
  /** File name without `.jsonata`; unique within a set. */
  readonly name: string;
  /** Path of the file as it was given (relative paths stay relative, for error messages). */
  readonly file: string;
  readonly action: string;
  /** The `@trigger` predicate, a JSONata expression over the event. */
  readonly trigger: string;
  readonly description?: string;
  readonly disabled: boolean;
  /** The expression that builds the payload (the file after its header). */
  readonly expression: string;
  /** Where `trigger` and `expression` start in the file, to translate jsonata positions. */
  readonly triggerLocation: SourceLocation;
  readonly expressionLocation: SourceLocation;
  /**
   * Where each continuation line of a trigger that spans header lines starts
   * in the file (the trigger joins them with "\n"): the first character after
   * the line's `*` prefix. Empty or absent for a one-line trigger.
   */
  readonly triggerContinuations?: readonly SourceLocation[];
}

/** A mapping compiled once, ready to evaluate against any number of events. */
export interface Mapping extends MappingSource {
  readonly trigger: string;
  readonly triggerEvaluator: Evaluator;
  readonly evaluator: Evaluator;
}
