import { jsonataError } from "../jsonata-error.js";
import { applyProcedure } from "../procedure.js";
import { spend } from "../run-state.js";
import { createSequence, pushItem } from "../sequence.js";
import { isFunction, toJsonataString } from "../values.js";
import type { Implementation } from "./implementation.js";

/** String functions, as jsonata 2.2.2 defines them (lengths and offsets in code points). */

const characters = (text: string): string[] => Array.from(text);

/** Whether a UTF-16 code unit is the first half of a surrogate pair. */
const isHighSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLowSurrogate = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

/** How many code points `text` has (Array.from's count: a lone surrogate is one), without making them. */
export function codePointCount(text: string): number {
  let count = 0;
  const length = text.length;
  for (let index = 0; index < length; index++) {
    if (
      isHighSurrogate(text.charCodeAt(index)) &&
      index + 1 < length &&
      isLowSurrogate(text.charCodeAt(index + 1))
    )
      index++;
    count++;
  }
  return count;
}

/** Whether `text` has any surrogate: without one, code points are code units and strings slice as they are. */
function hasSurrogates(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit >= 0xd800 && unit <= 0xdfff) return true;
  }
  return false;
}

export const string: Implementation = ([value, prettify]) =>
  toJsonataString(value, prettify === true);

export const substring: Implementation = ([value, start, length]) => {
  if (value === undefined) return undefined;
  const text = value as string;
  const chars: ArrayLike<string> & { slice(from: number, to?: number): string | string[] } =
    hasSurrogates(text) ? characters(text) : text;
  let from = start as number;
  if (chars.length + from < 0) from = 0;
  if (length !== undefined) {
    if ((length as number) <= 0) return "";
    const end = from >= 0 ? from + (length as number) : chars.length + from + (length as number);
    return joined(chars.slice(from, end));
  }
  return joined(chars.slice(from));
};

function joined(part: string | string[]): string {
  return typeof part === "string" ? part : part.join("");
}

export const substringBefore: Implementation = ([value, chars]) => {
  if (value === undefined) return undefined;
  const text = value as string;
  const position = text.indexOf(chars as string);
  return position > -1 ? text.slice(0, position) : text;
};

export const substringAfter: Implementation = ([value, chars]) => {
  if (value === undefined) return undefined;
  const text = value as string;
  const position = text.indexOf(chars as string);
  return position > -1 ? text.slice(position + (chars as string).length) : text;
};

export const lowercase: Implementation = ([value]) =>
  value === undefined ? undefined : (value as string).toLowerCase();

export const uppercase: Implementation = ([value]) =>
  value === undefined ? undefined : (value as string).toUpperCase();

export const length: Implementation = ([value]) =>
  value === undefined ? undefined : codePointCount(value as string);

export const trim: Implementation = ([value]) =>
  value === undefined ? undefined : trimText(value as string);

/** Runs of whitespace as one space, none at either end. */
export function trimText(text: string): string {
  let result = text.replace(/[ \t\n\r]+/gm, " ");
  if (result.charAt(0) === " ") result = result.substring(1);
  if (result.charAt(result.length - 1) === " ") result = result.substring(0, result.length - 1);
  return result;
}

export const pad: Implementation = ([value, width, padding]) => {
  if (value === undefined) return undefined;
  const text = value as string;
  const fill =
    padding === undefined || (padding as string).length === 0 ? " " : (padding as string);
  const target = Math.trunc(width as number);
  const missing = Math.abs(target) - codePointCount(text);
  if (missing <= 0) return text;
  spend(missing);
  let filler = new Array(missing + 1).join(fill);
  if (fill.length > 1) filler = characters(filler).slice(0, missing).join("");
  return target > 0 ? text + filler : filler + text;
};

export const join: Implementation = ([values, separator]) => {
  if (values === undefined) return undefined;
  const joined = (values as string[]).join(separator === undefined ? "" : (separator as string));
  spend(joined.length);
  return joined;
};

/** What a matcher function (jsonata's regex protocol) returns for one match. */
interface Match {
  match: string;
  start: number;
  end: number;
  groups: string[];
  next: unknown;
}

function callMatcher(matcher: unknown, args: unknown[], depth: number): Match | undefined {
  const result = applyProcedure(matcher, args, undefined, depth) as Match | undefined;
  if (
    result &&
    !(
      typeof result.start === "number" ||
      (result as { end?: unknown }).end === "number" ||
      Array.isArray(result.groups) ||
      isFunction(result.next)
    )
  )
    throw jsonataError("T1010");
  return result;
}

export const contains: Implementation = ([value, token], depth) => {
  if (value === undefined || token === undefined) return undefined;
  if (typeof token === "string") return (value as string).indexOf(token) !== -1;
  return callMatcher(token, [value], depth) !== undefined;
};

/** `$match(text, matcher, limit?)`: each match's text, index and groups, as jsonata gives them. */
export const match: Implementation = ([value, matcher, limit], depth) => {
  if (value === undefined) return undefined;
  if ((limit as number) < 0) throw jsonataError("D3040", { value: limit, index: 3 });
  const result = createSequence();
  if (limit !== undefined && !((limit as number) > 0)) return result;
  let count = 0;
  let found = callMatcher(matcher, [value], depth);
  while (found !== undefined && (limit === undefined || count < (limit as number))) {
    pushItem(result, { match: found.match, index: found.start, groups: found.groups });
    found = callMatcher(found.next, [undefined], depth);
    count++;
  }
  return result;
};

export const split: Implementation = ([value, separator, limit], depth) => {
  if (value === undefined) return undefined;
  if ((limit as number) < 0) throw jsonataError("D3020", { value: limit, index: 3 });
  const text = value as string;
  if (limit !== undefined && !((limit as number) > 0)) return [];
  if (typeof separator === "string") return text.split(separator, limit as number | undefined);
  const result: string[] = [];
  let count = 0;
  let match = callMatcher(separator, [text], depth);
  if (match === undefined) return [text];
  let start = 0;
  while (match !== undefined && (limit === undefined || count < (limit as number))) {
    result.push(text.substring(start, match.start));
    start = match.end;
    match = callMatcher(match.next, [undefined], depth);
    count++;
  }
  if (limit === undefined || count < (limit as number)) result.push(text.substring(start));
  return result;
};

export const replace: Implementation = ([value, pattern, replacement, limit], depth) => {
  if (value === undefined) return undefined;
  if (pattern === "") throw jsonataError("D3010", { value: pattern, index: 2 });
  if ((limit as number) < 0) throw jsonataError("D3011", { value: limit, index: 4 });
  const text = value as string;
  if (limit !== undefined && !((limit as number) > 0)) return text;
  if (typeof pattern === "string")
    return replaceText(text, pattern, String(replacement), limit as number | undefined);
  return replaceMatches(text, pattern, replacement, limit as number | undefined, depth);
};

/** `$replace` with a string pattern: the first `limit` occurrences (all without one), charged as made. */
export function replaceText(
  text: string,
  pattern: string,
  replacement: string,
  limit?: number,
): string {
  let result = "";
  let position = 0;
  let count = 0;
  let index = text.indexOf(pattern, position);
  while (index !== -1 && (limit === undefined || count < limit)) {
    result += text.substring(position, index) + replacement;
    position = index + pattern.length;
    count++;
    index = text.indexOf(pattern, position);
  }
  spend(result.length);
  return result + text.substring(position);
}

function replaceMatches(
  text: string,
  pattern: unknown,
  replacement: unknown,
  limit: number | undefined,
  depth: number,
): string {
  let match = callMatcher(pattern, [text], depth);
  if (match === undefined) return text;
  let result = "";
  let position = 0;
  let count = 0;
  while (match !== undefined && (limit === undefined || count < limit)) {
    result += text.substring(position, match.start);
    const substitute =
      typeof replacement === "string"
        ? substituteGroups(replacement, match)
        : applyProcedure(replacement, [match], undefined, depth);
    if (typeof substitute !== "string") throw jsonataError("D3012", { value: substitute });
    result += substitute;
    position = match.start + match.match.length;
    count++;
    match = callMatcher(match.next, [undefined], depth);
  }
  spend(result.length);
  return result + text.substring(position);
}

/** `$0`, `$1`... in a replacement string, as jsonata reads them. */
function substituteGroups(replacement: string, match: Match): string {
  let result = "";
  let position = 0;
  let index = replacement.indexOf("$", position);
  while (index !== -1 && position < replacement.length) {
    result += replacement.substring(position, index);
    position = index + 1;
    const next = replacement.charAt(position);
    if (next === "$") {
      result += "$";
      position++;
    } else if (next === "0") {
      result += match.match;
      position++;
    } else {
      const digits =
        match.groups.length === 0 ? 1 : Math.floor(Math.log(match.groups.length) * Math.LOG10E) + 1;
      let group = Number.parseInt(replacement.substring(position, position + digits), 10);
      if (digits > 1 && group > match.groups.length)
        group = Number.parseInt(replacement.substring(position, position + digits - 1), 10);
      if (Number.isNaN(group)) result += "$";
      else {
        if (match.groups.length > 0) result += match.groups[group - 1] ?? "";
        position += group.toString().length;
      }
    }
    index = replacement.indexOf("$", position);
  }
  return result + replacement.substring(position);
}

export const base64encode: Implementation = ([value]) =>
  value === undefined ? undefined : Buffer.from(value as string, "binary").toString("base64");

export const base64decode: Implementation = ([value]) =>
  value === undefined ? undefined : Buffer.from(value as string, "base64").toString("binary");

function urlFunction(name: string, transform: (text: string) => string): Implementation {
  return ([value]) => {
    if (value === undefined) return undefined;
    try {
      return transform(value as string);
    } catch {
      throw jsonataError("D3140", { value, functionName: name });
    }
  };
}

export const encodeUrlComponent = urlFunction("encodeUrlComponent", encodeURIComponent);
export const encodeUrl = urlFunction("encodeUrl", encodeURI);
export const decodeUrlComponent = urlFunction("decodeUrlComponent", decodeURIComponent);
export const decodeUrl = urlFunction("decodeUrl", decodeURI);
