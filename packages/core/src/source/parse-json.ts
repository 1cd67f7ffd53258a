import { type ParseError, parse, printParseErrorCode } from "jsonc-parser";
import { SourceText } from "./source-text.js";

export type ParseJsonResult =
  | { readonly ok: true; readonly value: unknown }
  | {
      readonly ok: false;
      /** What broke, e.g. "ValueExpected". */
      readonly message: string;
      /** 0-based offset where the text broke. */
      readonly offset: number;
      readonly line: number;
      readonly column: number;
    };

/**
 * JSON.parse that says where the text broke, as line and column. The fast
 * path is JSON.parse; only when it fails does a second, error-tolerant parser
 * (jsonc-parser, strict JSON settings) locate the problem, because V8's
 * messages carry a position only for some errors and differ across Node.js versions.
 */
export function parseJson(text: string): ParseJsonResult {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const problem = locateProblem(text);
    const message = problem
      ? describe(problem)
      : error instanceof Error
        ? error.message
        : String(error);
    const offset = problem?.offset ?? text.length;
    return { ok: false, message, offset, ...new SourceText(text).positionOf(offset) };
  }
}

function locateProblem(text: string): ParseError | undefined {
  const errors: ParseError[] = [];
  parse(text, errors, {
    disallowComments: true,
    allowTrailingComma: false,
    allowEmptyContent: false,
  });
  return errors[0];
}

const readable: Record<string, string> = {
  InvalidSymbol: "unexpected character",
  InvalidNumberFormat: "invalid number",
  PropertyNameExpected: "a property name (in double quotes) was expected",
  ValueExpected: "a value was expected",
  ColonExpected: "a colon was expected",
  CommaExpected: "a comma was expected",
  CloseBraceExpected: "a closing } was expected",
  CloseBracketExpected: "a closing ] was expected",
  EndOfFileExpected: "the text goes on after the JSON value ended",
  InvalidCommentToken: "comments are not allowed in JSON",
  UnexpectedEndOfComment: "comments are not allowed in JSON",
  UnexpectedEndOfString: "a string is not closed",
  UnexpectedEndOfNumber: "a number is cut off",
  InvalidUnicode: "invalid unicode escape",
  InvalidEscapeCharacter: "invalid escape character",
  InvalidCharacter: "invalid character in a string (control characters must be escaped)",
};

function describe(problem: ParseError): string {
  const code = printParseErrorCode(problem.error);
  return readable[code] ?? code;
}
