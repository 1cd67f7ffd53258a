import { type Position, SourceText } from "../source/source-text.js";

/**
 * The lines of a file around a 1-based line and column, with a caret under
 * the column (no colours: callers colour), as load errors carry in `frame`:
 * for a rejection's `location`, with the mapping file's text.
 */
export function codeFrame(fileText: string, position: Position): string {
  return new SourceText(fileText).frame(position);
}
