import { Tokenizer, TokenParser, TokenParserError, TokenType } from "@streamparser/json";

/** A value the stream completed: a top-level document, or one element of a top-level array. */
export interface StreamedValue {
  readonly value: unknown;
  readonly line: number;
}

/** Bad JSON, where it is: 1-based line and column (in characters). */
export class StreamError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

const NEWLINE = Buffer.from("\n");

/**
 * JSON documents spread over lines, several on a line, or of any size,
 * parsed as they stream in (@streamparser/json), with the line each starts
 * on. A top-level array gives its elements one by one and drops each once
 * given, so an array of a million events takes the memory of one; any other
 * document is given whole when it closes.
 */
export class DocumentStream {
  readonly #tokenizer = new Tokenizer({ separator: "" });
  readonly #parser = new TokenParser({ paths: ["$.*"], keepStack: false, separator: "" });
  readonly #out: StreamedValue[] = [];
  #depth = 0;
  #container: "object" | "array" | undefined;
  #object: Record<string, unknown> = {};
  #documentLine = 0;
  #elementLine = 0;
  #line = 0;
  #lineStart = 0;
  #fed = 0;
  #lastOffset = 0;

  constructor() {
    this.#tokenizer.onToken = (info) => {
      this.#lastOffset = info.offset;
      this.#before(info.token, info.value);
      this.#parser.write(info);
      this.#after(info.token);
    };
    // only the top level's members are emitted (`$.*`)
    this.#parser.onValue = ({ value, key }) => {
      if (this.#container === "array") this.#out.push({ value, line: this.#elementLine });
      else if (typeof key === "string") {
        // as JSON.parse does: every key, `__proto__` included, is the object's own data
        Object.defineProperty(this.#object, key, {
          value,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      }
    };
  }

  /** Between documents: nothing is open. */
  get idle(): boolean {
    return this.#depth === 0;
  }

  /** The line the open document started on (0 when none is open). */
  get documentLine(): number {
    return this.#depth === 0 ? 0 : this.#documentLine;
  }

  /** Feed one line (or piece of a long one); throws a `StreamError` where the JSON breaks. */
  write(bytes: Buffer, line: number, lineEnd: boolean): void {
    if (line !== this.#line) {
      this.#line = line;
      this.#lineStart = this.#fed;
    }
    const writeStart = this.#fed;
    try {
      this.#tokenizer.write(bytes);
      // the line break ends a number at the end of the line, as it would in the file
      if (lineEnd) this.#tokenizer.write(NEWLINE);
    } catch (error) {
      throw this.#positioned(error, bytes, writeStart);
    }
    this.#fed += bytes.length + (lineEnd ? 1 : 0);
  }

  /** The values completed so far, each given once. */
  take(): StreamedValue[] {
    return this.#out.splice(0);
  }

  #before(token: TokenType, value: unknown): void {
    const opens = token === TokenType.LEFT_BRACE || token === TokenType.LEFT_BRACKET;
    if (this.#depth === 0) {
      this.#documentLine = this.#line;
      if (opens) {
        this.#container = token === TokenType.LEFT_BRACE ? "object" : "array";
        this.#object = {};
      } else if (token !== TokenType.SEPARATOR) {
        // a document that is a string, a number, true, false or null
        this.#out.push({ value, line: this.#line });
      }
    } else if (
      this.#depth === 1 &&
      this.#container === "array" &&
      token !== TokenType.COMMA &&
      token !== TokenType.RIGHT_BRACKET
    ) {
      this.#elementLine = this.#line;
    }
    if (opens) this.#depth++;
  }

  #after(token: TokenType): void {
    if (token !== TokenType.RIGHT_BRACE && token !== TokenType.RIGHT_BRACKET) return;
    this.#depth--;
    if (this.#depth === 0 && this.#container === "object") {
      this.#out.push({ value: this.#object, line: this.#documentLine });
    }
  }

  #positioned(error: unknown, bytes: Buffer, writeStart: number): StreamError {
    const message = (error as Error).message;
    const inChunk = /chunk position "(\d+)"/.exec(message);
    const byteInLine = inChunk
      ? writeStart - this.#lineStart + Number(inChunk[1])
      : this.#lastOffset - this.#lineStart;
    const byteInPiece = Math.max(
      0,
      Math.min(bytes.length, byteInLine - (writeStart - this.#lineStart)),
    );
    const column =
      writeStart - this.#lineStart + bytes.subarray(0, byteInPiece).toString("utf8").length + 1;
    return new StreamError(describeProblem(error, message), this.#line, column);
  }
}

function describeProblem(error: unknown, message: string): string {
  const character = /Unexpected "(.+?)" at chunk/.exec(message);
  if (character) return `unexpected character ${JSON.stringify(character[1])}`;
  const token = /Unexpected (\w+) \((.*)\) in state/.exec(message);
  if (error instanceof TokenParserError && token) return `unexpected ${token[2] ?? token[1]}`;
  return message;
}
