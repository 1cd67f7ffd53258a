import {
  type CompileMappingResult,
  compileMappingText,
  mappingNameOf,
} from "@gwenmap/core/browser";
import { actions } from "@gwenmap/gwen-adapter/browser";

/** One mapping file of the folder, compiled from the text the page holds for it. */
export interface MappingEntry {
  /** Path inside the mappings folder (`order-completed.jsonata`). */
  readonly path: string;
  /** The mapping's name: its file name without `.jsonata`. */
  readonly name: string;
  /** The text compiled. */
  readonly text: string;
  readonly compiled: CompileMappingResult;
}

/**
 * Compile one mapping file's text with @gwenmap/core and GWEN's action
 * contracts, exactly as `gwenmap validate` would: errors name the file as
 * `<folder>/<path>`, the way the CLI prints it.
 */
export function compileEntry(folder: string, path: string, text: string): MappingEntry {
  const file = folder === "" ? path : `${folder.replace(/\/$/, "")}/${path}`;
  return {
    path,
    name: mappingNameOf(path),
    text,
    compiled: compileMappingText(file, text, { contracts: actions }),
  };
}
