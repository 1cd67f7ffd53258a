import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { parseJson } from "@gwenmap/core";

/** One JSON document of the input, or a piece of text that is not JSON. */
export type InputDocument =
  | { readonly ok: true; readonly line: number; readonly value: unknown }
  | {
      readonly ok: false;
      readonly line: number;
      readonly column: number;
      /** The text as read, so it can be kept (in a failures file) and fixed by hand. */
      readonly text: string;
      readonly message: string;
    };

/** A document spread over lines is given up after this much text: the input is then read line by line. */
const MAX_DOCUMENT_LINES = 1_000;
const MAX_DOCUMENT_CHARS = 1024 * 1024;

/**
 * The JSON documents of a stream, read line by line so that a file of any
 * size takes little memory: NDJSON (one document per line), one pretty-printed
 * document, or several. A line that is not JSON comes back as an error with
 * its line number and the reading goes on. Blank lines are skipped.
 */
export async function* readDocuments(input: Readable): AsyncGenerator<InputDocument> {
  const reader = new DocumentReader();
  let number = 0;
  for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    number++;
    yield* reader.push(number === 1 ? line.replace(/^\uFEFF/, "") : line, number);
  }
  yield* reader.end();
}

interface PendingDocument {
  readonly start: number;
  readonly lines: string[];
  chars: number;
}

/**
 * Line by line: a line that is JSON is a document; a line that is JSON cut
 * short (`{`) starts a document spread over lines, which ends when the lines
 * gathered parse. When they cannot (broken, or too long), each gathered line
 * is taken on its own again, so one bad line costs one error, not the rest.
 */
class DocumentReader {
  #pending: PendingDocument | undefined;

  *push(line: string, number: number): Generator<InputDocument> {
    const pending = this.#pending;
    if (pending) {
      pending.lines.push(line);
      pending.chars += line.length + 1;
      const text = pending.lines.join("\n");
      const parsed = parseJson(text);
      if (parsed.ok) {
        this.#pending = undefined;
        yield { ok: true, line: pending.start, value: parsed.value };
      } else if (!cutShort(text, parsed.offset) || this.#tooLong(pending)) {
        yield* this.#retryLineByLine(pending);
      }
      return;
    }
    if (line.trim() === "") return;
    const parsed = parseJson(line);
    if (parsed.ok) {
      yield { ok: true, line: number, value: parsed.value };
    } else if (cutShort(line, parsed.offset)) {
      this.#pending = { start: number, lines: [line], chars: line.length };
    } else {
      yield notJson(line, number, parsed);
    }
  }

  *end(): Generator<InputDocument> {
    while (this.#pending) yield* this.#retryLineByLine(this.#pending);
  }

  *#retryLineByLine(pending: PendingDocument): Generator<InputDocument> {
    this.#pending = undefined;
    const [first = "", ...rest] = pending.lines;
    const parsed = parseJson(first);
    if (!parsed.ok) yield notJson(first, pending.start, parsed);
    for (const [index, line] of rest.entries()) yield* this.push(line, pending.start + index + 1);
  }

  #tooLong(pending: PendingDocument): boolean {
    return pending.lines.length >= MAX_DOCUMENT_LINES || pending.chars >= MAX_DOCUMENT_CHARS;
  }
}

/** The text broke where it ended: more lines may complete it. */
function cutShort(text: string, offset: number): boolean {
  return offset >= text.trimEnd().length;
}

function notJson(
  text: string,
  line: number,
  parsed: { message: string; column: number },
): InputDocument {
  return {
    ok: false,
    line,
    column: parsed.column,
    text,
    message: `line ${line} is not JSON: ${parsed.message} at column ${parsed.column}`,
  };
}
