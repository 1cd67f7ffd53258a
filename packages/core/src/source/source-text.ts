import { codeFrameColumns } from "@babel/code-frame";

/** A 1-based line and column. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/**
 * A file's text with a line index, so that offsets found anywhere in it
 * (a jsonata error position, a JSON parse error) become line:col and a code frame.
 */
export class SourceText {
  readonly text: string;
  readonly #lineStarts: number[];

  constructor(text: string) {
    this.text = text;
    this.#lineStarts = [0];
    for (let index = 0; index < text.length; index++) {
      if (text.charCodeAt(index) === 10) this.#lineStarts.push(index + 1);
    }
  }

  /** The line and column (both 1-based) of a 0-based offset, clamped to the text. */
  positionOf(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.#lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.#lineStarts[middle]! <= clamped) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: clamped - this.#lineStarts[low]! + 1 };
  }

  /** The 0-based offset of a 1-based line's first character. */
  offsetOfLine(line: number): number {
    return this.#lineStarts[line - 1] ?? this.text.length;
  }

  /** The lines around `position` with a caret under its column (no colours: callers colour). */
  frame(position: Position): string {
    return codeFrameColumns(
      this.text,
      { start: position },
      { highlightCode: false, linesAbove: 1, linesBelow: 1 },
    );
  }
}
