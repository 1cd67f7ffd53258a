import type { Readable } from "node:stream";
import { DocumentStream, StreamError } from "./document-stream.js";
import { type LinePiece, linePieces } from "./line-pieces.js";

/** One JSON value of the input (a document, or an element of a top-level array), or bad JSON. */
export type InputDocument =
  | {
      readonly ok: true;
      /** The line it starts on. */
      readonly line: number;
      readonly value: unknown;
      /** The bytes of its JSON text, when it was one line of NDJSON. */
      readonly bytes?: number;
    }
  | {
      readonly ok: false;
      readonly line: number;
      readonly column: number;
      /** The text as read (up to 1 MB), so it can be kept (in a failures file) and fixed by hand. */
      readonly text: string;
      readonly message: string;
    };

/** Text kept of a document, to give back when it turns out broken. */
const MAX_KEPT_TEXT = 1024 * 1024;

const FIX =
  "fix the JSON there: each line of NDJSON, and each pretty-printed document, must be complete JSON";

/**
 * The JSON values of a stream, with the line each starts on: NDJSON, one or
 * many pretty-printed documents of any size, several on a line, or a JSON
 * array whose elements come one by one. A line that is a whole document is
 * parsed with `JSON.parse` (the fast path for NDJSON); anything else goes
 * through a streaming parser, so memory stays flat whatever the input's
 * size. Bad JSON comes back as an error that says where (line and column),
 * and reading goes on with the next line that starts a document (`{` or `[`
 * in the first column).
 */
export async function* readDocuments(input: Readable): AsyncGenerator<InputDocument> {
  const reader = new DocumentReader();
  for await (const piece of linePieces(input)) yield* reader.push(piece);
  yield* reader.end();
}

interface Broken {
  readonly error: StreamError;
  readonly start: number;
  readonly kept: string[];
  keptChars: number;
  last: number;
}

class DocumentReader {
  #stream: DocumentStream | undefined;
  #kept: string[] = [];
  #keptChars = 0;
  #broken: Broken | undefined;

  *push(piece: LinePiece): Generator<InputDocument> {
    const broken = this.#broken;
    if (broken) {
      if (!startsDocument(piece)) {
        keep(broken, piece);
        broken.last = piece.line;
        return;
      }
      yield this.#report(broken);
    }
    const stream = this.#stream;
    if (!stream) {
      if (piece.end && isBlank(piece.bytes)) return;
      const whole = piece.end ? parseLine(piece) : undefined;
      if (whole) {
        yield* whole;
        return;
      }
      this.#stream = new DocumentStream();
      this.#kept = [];
      this.#keptChars = 0;
    }
    yield* this.#streamPiece(piece);
  }

  *end(): Generator<InputDocument> {
    if (this.#broken) yield this.#report(this.#broken);
    const stream = this.#stream;
    if (stream && !stream.idle) {
      const line = stream.documentLine;
      yield {
        ok: false,
        line,
        column: 1,
        text: this.#kept.join("\n"),
        message: `line ${line}: the input ends inside the document that starts there: it is not complete JSON; complete it or remove it`,
      };
    }
  }

  *#streamPiece(piece: LinePiece): Generator<InputDocument> {
    const stream = this.#stream as DocumentStream;
    const text = piece.bytes.toString("utf8");
    try {
      stream.write(piece.bytes, piece.line, piece.end);
    } catch (error) {
      if (!(error instanceof StreamError)) throw error;
      const kept = this.#kept;
      const keptChars = this.#keptChars;
      yield* this.#completed(stream);
      this.#stream = undefined;
      const start = stream.documentLine || piece.line;
      // a `{` that opens the next line's document breaks an unclosed one: that line starts afresh
      if (error.line > start && error.column === firstColumn(text) && startsDocument(piece)) {
        yield this.#report({ error, start, kept, keptChars, last: error.line - 1 });
        yield* this.push(piece);
        return;
      }
      this.#broken = {
        error,
        start,
        kept: this.#kept,
        keptChars: this.#keptChars,
        last: piece.line,
      };
      keep(this.#broken, piece);
      return;
    }
    if (this.#keptChars < MAX_KEPT_TEXT) {
      this.#kept.push(text);
      this.#keptChars += text.length + 1;
    }
    yield* this.#completed(stream);
    if (piece.end && stream.idle) this.#stream = undefined;
  }

  *#completed(stream: DocumentStream): Generator<InputDocument> {
    const values = stream.take();
    if (values.length === 0) return;
    // the text kept is that of the value being read: what came before is done
    this.#kept = [];
    this.#keptChars = 0;
    for (const { value, line } of values) yield { ok: true, line, value };
  }

  #report(broken: Broken): InputDocument {
    this.#broken = undefined;
    const { error, start, last } = broken;
    const where =
      last > start ? ` (in the document of lines ${start} to ${last}, which was skipped)` : "";
    return {
      ok: false,
      line: start,
      column: error.column,
      text: broken.kept.join("\n"),
      message: `line ${error.line}, column ${error.column} is not JSON: ${error.message}${where}; ${FIX}`,
    };
  }
}

/** A line that is one whole JSON document, parsed at once; undefined when it is not. */
function parseLine(piece: LinePiece): InputDocument[] | undefined {
  const first = piece.bytes[firstByte(piece.bytes)];
  if (first !== 0x7b && first !== 0x5b) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(piece.bytes.toString("utf8"));
  } catch {
    return undefined;
  }
  if (!Array.isArray(value))
    return [{ ok: true, line: piece.line, value, bytes: piece.bytes.length }];
  return value.map((element) => ({ ok: true, line: piece.line, value: element }));
}

function keep(broken: Broken, piece: LinePiece): void {
  if (broken.keptChars >= MAX_KEPT_TEXT) return;
  const text = piece.bytes.toString("utf8");
  broken.kept.push(text);
  broken.keptChars += text.length + 1;
}

/** A line whose first character, in the first column, opens an object or an array. */
function startsDocument(piece: LinePiece): boolean {
  return piece.bytes[0] === 0x7b || piece.bytes[0] === 0x5b;
}

function isBlank(bytes: Buffer): boolean {
  return firstByte(bytes) === bytes.length;
}

function firstByte(bytes: Buffer): number {
  let at = 0;
  while (at < bytes.length && (bytes[at] === 0x20 || bytes[at] === 0x09 || bytes[at] === 0x0d))
    at++;
  return at;
}

function firstColumn(text: string): number {
  return text.length - text.trimStart().length + 1;
}
