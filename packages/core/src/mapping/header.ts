import type { SourceText } from "../source/source-text.js";

/** The tags a mapping header may carry. */
export const knownTags = ["action", "trigger", "description", "disabled"] as const;
export type TagName = (typeof knownTags)[number];

/** One `@tag value` of the header, with where each piece of its value sits in the file. */
export interface HeaderTag {
  readonly name: string;
  /** The value, continuation lines joined with "\n". */
  readonly value: string;
  /** File offset of the `@` of the tag. */
  readonly offset: number;
  /** File offset of every character of `value` ("\n" joins map to the end of their line). */
  readonly valueOffsets: readonly number[];
}

export interface Header {
  readonly tags: readonly HeaderTag[];
  /** File offset where the expression starts (just after the header's closing `*\/`). */
  readonly bodyOffset: number;
  /** Set when the file does not open with a closed `/** ... *\/` block. */
  readonly problem?: { readonly message: string; readonly offset: number };
}

const headerStart = /^\s*\/\*\*/;
const tagLine = /^@([A-Za-z][\w-]*)(?:\s+|$)/;

/**
 * Read the leading `/** ... *\/` block of a mapping file. Each line may start
 * with `*`; a line that starts with `@name` opens a tag, other non-empty lines
 * continue the open tag's value (so long triggers may span lines).
 */
export function parseHeader(source: SourceText): Header {
  const text = source.text;
  const start = headerStart.exec(text);
  if (!start) {
    return {
      tags: [],
      bodyOffset: 0,
      problem: { message: "a mapping file must begin with a /** ... */ header", offset: 0 },
    };
  }
  const contentStart = start[0].length;
  const end = text.indexOf("*/", contentStart);
  if (end < 0) {
    return {
      tags: [],
      bodyOffset: text.length,
      problem: { message: "the /** header is never closed with */", offset: start.index },
    };
  }
  return { tags: readTags(text, contentStart, end), bodyOffset: end + 2 };
}

interface OpenTag {
  name: string;
  offset: number;
  value: string;
  valueOffsets: number[];
}

function readTags(text: string, from: number, to: number): HeaderTag[] {
  const tags: OpenTag[] = [];
  let lineStart = from;
  while (lineStart < to) {
    const newline = text.indexOf("\n", lineStart);
    const lineEnd = newline < 0 || newline > to ? to : newline;
    readLine(text, { start: lineStart, end: lineEnd }, tags);
    lineStart = lineEnd + 1;
  }
  return tags.map(({ name, offset, value, valueOffsets }) => {
    const trimmed = value.trimEnd();
    return { name, offset, value: trimmed, valueOffsets: valueOffsets.slice(0, trimmed.length) };
  });
}

function readLine(text: string, line: { start: number; end: number }, tags: OpenTag[]): void {
  const lineEnd = line.end;
  let cursor = line.start;
  while (cursor < lineEnd && /\s/.test(text[cursor]!)) cursor++;
  if (text[cursor] === "*") {
    cursor++;
    if (text[cursor] === " ") cursor++;
  }
  const content = text.slice(cursor, lineEnd).replace(/\s+$/, "");
  if (content === "") return;
  const tag = tagLine.exec(content);
  if (tag) {
    const valueStart = cursor + tag[0].length;
    const value = text.slice(valueStart, cursor + content.length);
    tags.push({
      name: tag[1]!,
      offset: cursor,
      value,
      valueOffsets: offsetsFrom(valueStart, value.length),
    });
    return;
  }
  const open = tags.at(-1);
  if (!open) return; // prose before the first tag is documentation, not data
  if (open.value !== "") {
    open.valueOffsets.push(line.start - 1);
    open.value += "\n";
  }
  open.value += content;
  open.valueOffsets.push(...offsetsFrom(cursor, content.length));
}

function offsetsFrom(start: number, length: number): number[] {
  return Array.from({ length }, (_, index) => start + index);
}
