import type { ActionContracts } from "../action/action-contract.js";
import type { CoreErrorCode } from "../errors.js";
import { MappingError } from "../errors.js";
import type { SourceText } from "../source/source-text.js";
import { type HeaderTag, knownTags, parseHeader } from "./header.js";
import type { MappingSource, SourceLocation } from "./mapping.js";

/** A mapping file read and checked, with what is needed to point back into it. */
export interface ParsedMappingFile {
  readonly source: MappingSource;
  readonly text: SourceText;
  /** File offset of every character of the trigger. */
  readonly triggerOffsets: readonly number[];
  /** File offset of the expression's first character. */
  readonly expressionOffset: number;
}

export type ParseMappingResult =
  | { readonly ok: true; readonly file: ParsedMappingFile }
  | { readonly ok: false; readonly errors: readonly MappingError[] };

/** Records a problem at a file offset. */
type Fail = (code: CoreErrorCode, message: string, offset: number) => void;

/**
 * Read a mapping file's header and body. Every problem is reported, each with
 * the line it is on: unknown or repeated tags, a missing `@action` or
 * `@trigger`, an action the contracts do not define, an empty body.
 */
export function parseMappingFile(
  file: string,
  text: SourceText,
  contracts: ActionContracts,
): ParseMappingResult {
  const header = parseHeader(text);
  const errors: MappingError[] = [];
  const fail: Fail = (code, message, offset) => {
    errors.push(errorAt({ file, text, offset }, { code, message }));
  };
  if (header.problem) {
    fail("E_MAPPING_MISSING_TAG", header.problem.message, header.problem.offset);
    return { ok: false, errors };
  }
  const tags = tagsByName(header.tags, fail);
  const action = requiredTag(tags, { name: "action", hint: ACTION_HINT }, fail);
  const trigger = requiredTag(tags, { name: "trigger", hint: TRIGGER_HINT }, fail);
  if (action && !Object.hasOwn(contracts, action.value)) {
    const known = Object.keys(contracts).join(", ");
    fail(
      "E_MAPPING_UNKNOWN_ACTION",
      `unknown action "${action.value}": use one of ${known}`,
      action.valueOffsets[0] ?? action.offset,
    );
  }
  if (text.text.slice(header.bodyOffset).trim() === "") {
    fail(
      "E_MAPPING_SYNTAX",
      "the mapping has no expression after its header: write the JSONata that builds the payload",
      header.bodyOffset,
    );
  }
  if (errors.length > 0 || !action || !trigger) return { ok: false, errors };
  return { ok: true, file: parsedFile({ file, text, tags, bodyOffset: header.bodyOffset }) };
}

const ACTION_HINT = "@action names the GWEN action, e.g. `@action sendEvent`";
const TRIGGER_HINT =
  '@trigger is the JSONata predicate that selects events, e.g. `@trigger type = "track"`';

/** The header's tags by name; an unknown or repeated tag is a problem. */
function tagsByName(header: readonly HeaderTag[], fail: Fail): Map<string, HeaderTag> {
  const tags = new Map<string, HeaderTag>();
  for (const tag of header) {
    if (!(knownTags as readonly string[]).includes(tag.name)) {
      fail(
        "E_MAPPING_UNKNOWN_TAG",
        `unknown tag @${tag.name}: a mapping header takes ${knownTags.map((t) => `@${t}`).join(", ")}`,
        tag.offset,
      );
    } else if (tags.has(tag.name)) {
      fail("E_MAPPING_DUPLICATE_TAG", `@${tag.name} is given twice; keep one`, tag.offset);
    } else {
      tags.set(tag.name, tag);
    }
  }
  return tags;
}

/** A checked file's mapping source, with the offsets that point back into it. */
function parsedFile(checked: {
  readonly file: string;
  readonly text: SourceText;
  readonly tags: ReadonlyMap<string, HeaderTag>;
  readonly bodyOffset: number;
}): ParsedMappingFile {
  const { file, text, tags, bodyOffset } = checked;
  const action = tags.get("action") as HeaderTag;
  const trigger = tags.get("trigger") as HeaderTag;
  const description = tags.get("description")?.value;
  const source: MappingSource = {
    name: mappingNameOf(file),
    file,
    action: action.value,
    trigger: trigger.value,
    ...(description ? { description } : {}),
    disabled: tags.has("disabled"),
    expression: text.text.slice(bodyOffset),
    triggerLocation: { file, ...text.positionOf(trigger.valueOffsets[0] ?? trigger.offset) },
    triggerContinuations: continuationsOf(trigger, file, text),
    expressionLocation: { file, ...text.positionOf(bodyOffset) },
  };
  return { source, text, triggerOffsets: trigger.valueOffsets, expressionOffset: bodyOffset };
}

/** Where the characters after each "\n" of a tag's value sit in the file. */
function continuationsOf(tag: HeaderTag, file: string, text: SourceText): SourceLocation[] {
  const starts: SourceLocation[] = [];
  for (let index = 0; index < tag.value.length; index++) {
    const offset = tag.valueOffsets[index + 1];
    if (tag.value[index] === "\n" && offset !== undefined)
      starts.push({ file, ...text.positionOf(offset) });
  }
  return starts;
}

/** A mapping's name: its file name without directories and `.jsonata`. */
export function mappingNameOf(file: string): string {
  const base = file.slice(Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\")) + 1);
  return base.endsWith(".jsonata") ? base.slice(0, -".jsonata".length) : base;
}

function requiredTag(
  tags: ReadonlyMap<string, HeaderTag>,
  required: { readonly name: string; readonly hint: string },
  fail: Fail,
): HeaderTag | undefined {
  const { name, hint } = required;
  const tag = tags.get(name);
  if (!tag) {
    fail("E_MAPPING_MISSING_TAG", `the header has no @${name}: ${hint}`, 0);
    return undefined;
  }
  if (tag.value === "") {
    fail("E_MAPPING_MISSING_TAG", `@${name} has no value: ${hint}`, tag.offset);
    return undefined;
  }
  return tag;
}

/** A MappingError located at a file offset, with its code frame. */
export function errorAt(
  where: { file: string; text: SourceText; offset: number },
  problem: { code: CoreErrorCode; message: string; jsonataCode?: string; cause?: unknown },
): MappingError {
  const { code, message, ...options } = problem;
  const position = where.text.positionOf(where.offset);
  return new MappingError(code, message, {
    ...options,
    location: { file: where.file, ...position },
    frame: where.text.frame(position),
  });
}
