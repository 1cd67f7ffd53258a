import { StreamLanguage, type StreamParser, type StringStream } from "@codemirror/language";

/**
 * JSONata highlighting for CodeMirror 6. No maintained JSONata mode exists
 * on npm, and highlighting needs only JSONata's lexer (comments, strings,
 * names, `$` variables, numbers, regular expressions, operators), so this is
 * a small stream parser. It is not a second JSONata parser: errors come from
 * jsonata's own parser through @gwenmap/core. Inside comments, a mapping
 * header's `@tags` stand out.
 */
interface JsonataState {
  inComment: boolean;
  /** Whether a `/` here would start a regular expression (nothing to divide yet). */
  regexAllowed: boolean;
}

const keywords = new Set(["and", "or", "in", "function"]);
const atoms = new Set(["true", "false", "null"]);
const operators = /^(?::=|~>|\.\.|!=|<=|>=|\?:|\?\?|[&+\-*%=<>!?:;|#@^.,])/;

const parser: StreamParser<JsonataState> = {
  name: "jsonata",
  startState: () => ({ inComment: false, regexAllowed: true }),
  token(stream, state) {
    if (state.inComment) return commentToken(stream, state);
    if (stream.eatSpace()) return null;
    if (stream.match("/*")) {
      state.inComment = true;
      return "comment";
    }
    const style = codeToken(stream, state);
    state.regexAllowed =
      style === "operator" || style === "keyword" || /[([{,;]$/.test(stream.current());
    return style;
  },
  languageData: {
    commentTokens: { block: { open: "/*", close: "*/" } },
    closeBrackets: { brackets: ["(", "[", "{", '"', "'", "`"] },
  },
};

function commentToken(stream: StringStream, state: JsonataState): string {
  if (stream.match(/^@[A-Za-z][\w-]*/)) return "meta";
  while (!stream.eol()) {
    if (stream.match("*/")) {
      state.inComment = false;
      return "comment";
    }
    if (stream.peek() === "@") return "comment";
    stream.next();
  }
  return "comment";
}

function codeToken(stream: StringStream, state: JsonataState): string | null {
  const next = stream.peek() ?? "";
  if (next === '"' || next === "'") return quoted(stream, "string");
  if (next === "`") return quoted(stream, "variableName.special");
  if (stream.match(/^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/)) return "number";
  if (stream.match(/^\$\$?[A-Za-z_\d]*/)) {
    return stream.match(/^\s*\(/, false) ? "variableName.function" : "variableName";
  }
  if (next === "/" && state.regexAllowed && regex(stream)) return "regexp";
  if (stream.match(/^λ/)) return "keyword";
  const word = stream.match(/^[^\s"'`()[\]{}.,;:&+\-*/%=<>!?|#@^$~]+/) as RegExpMatchArray | null;
  if (word) {
    if (keywords.has(word[0])) return "keyword";
    if (atoms.has(word[0])) return "atom";
    return "propertyName";
  }
  if (stream.match(operators)) return "operator";
  stream.next();
  return /[()[\]{}]/.test(next) ? "bracket" : null;
}

function quoted(stream: StringStream, style: string): string {
  const quote = stream.next();
  let escaped = false;
  while (!stream.eol()) {
    const char = stream.next();
    if (char === quote && !escaped) break;
    escaped = !escaped && char === "\\";
  }
  return style;
}

/** A `/pattern/flags` literal; false (nothing consumed) when the line has no closing slash. */
function regex(stream: StringStream): boolean {
  const match = stream.match(/^\/(?:[^/\\\n]|\\.)+\/[im]*/);
  return Boolean(match);
}

/** JSONata as a CodeMirror language (highlighting, comment toggling, bracket closing). */
export const jsonataLanguage = StreamLanguage.define(parser);
