import type { ActionContracts } from "../action/action-contract.js";
import { defaultEvaluationLimits, type EvaluationLimits } from "../evaluator/evaluator.js";
import { SourceText } from "../source/source-text.js";
import { type CompileMappingResult, compileMapping } from "./compile-mapping.js";
import { parseMappingFile } from "./parse-mapping-file.js";

/** What compiling a mapping needs besides its text. */
export interface CompileMappingOptions {
  readonly contracts: ActionContracts;
  readonly limits?: Partial<EvaluationLimits>;
}

/**
 * Read and compile one mapping file's text: its header, trigger and
 * expression, every problem located at its `file:line:col`. What
 * `loadMappings` does with each file it reads, without reading anything, so
 * an editor (the playground) compiles the text being typed with the same code.
 * `file` names the mapping (its base name without `.jsonata`) and its errors.
 */
export function compileMappingText(
  file: string,
  text: string,
  options: CompileMappingOptions,
): CompileMappingResult {
  const limits = { ...defaultEvaluationLimits, ...options.limits };
  const parsed = parseMappingFile(file, new SourceText(text), options.contracts);
  if (!parsed.ok) return parsed;
  return compileMapping(parsed.file, limits);
}
