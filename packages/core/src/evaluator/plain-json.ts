import type { EventPath, PayloadShape } from "../payload/payload-shape.js";
/**
 * jsonata hands back values that are JSON-like but not plain: arrays flagged
 * as sequences (`sequence`, `keepSingleton`, `outerWrapper`, see jsonata
 * issue #296), objects without a prototype, functions and `undefined` inside
 * containers. Payloads must be ordinary JSON data, so every result passes
 * through here once.
 *
 * - `undefined` object fields are dropped, `undefined` array items removed;
 * - functions (lambdas), symbols and bigints become `undefined`, as in JSON.stringify;
 * - non-finite numbers cannot come out of jsonata (it raises D1001), so they are kept as they are.
 *
 * Parts that are plain already (ordinary objects and unflagged arrays with
 * nothing to drop, typically whole subtrees of the event such as
 * `properties`) are returned as they are rather than copied: the result may
 * share them with the input, which is never modified.
 *
 * The walk recurses once per level of nesting: a value nested deeper than
 * the stack allows throws a RangeError, as JSON.stringify does. The engine
 * bounds it with `toPlainJsonWithin`.
 */
export function toPlainJson(value: unknown): unknown {
  charsLeft = Number.POSITIVE_INFINITY;
  depthLeft = Number.POSITIVE_INFINITY;
  prototypeKeys = hasEnumerableKeys(Object.prototype);
  return plainItem(value);
}

/** What `toPlainJsonWithin` found: the plain value and its size, or which bound it passed. */
export type BoundedPlainJson =
  | { readonly ok: true; readonly value: unknown; readonly chars: number }
  | { readonly ok: false; readonly over: "chars"; readonly chars: number }
  | { readonly ok: false; readonly over: "depth"; readonly depth: number };

/**
 * `toPlainJson`, counting on the way the characters the value takes as JSON
 * (strings their length and quotes, escapes not counted; integers their
 * digits, other numbers the longest they can be written; containers their
 * brackets and separators) and the levels of arrays and objects. The walk
 * stops as soon as it passes `maxChars` or `maxDepth`, so a huge or deep
 * value costs no more to refuse than one at the bounds, and never
 * overflows the stack for a `maxDepth` of a few thousand.
 */
export function toPlainJsonWithin(
  value: unknown,
  maxChars: number,
  maxDepth: number,
): BoundedPlainJson {
  charsLeft = maxChars;
  depthLeft = maxDepth;
  prototypeKeys = hasEnumerableKeys(Object.prototype);
  try {
    const plain = plainItem(value);
    return { ok: true, value: plain, chars: maxChars - charsLeft };
  } catch (thrown) {
    if (thrown === tooManyChars) return { ok: false, over: "chars", chars: maxChars - charsLeft };
    if (thrown === tooDeep) return { ok: false, over: "depth", depth: maxDepth + 1 };
    throw thrown;
  }
}

/** An event known to be plain JSON (as JSON.parse gives it), and its size. */
export interface PlainEvent {
  readonly event: unknown;
  /** The most UTF-8 bytes the event takes as JSON. */
  readonly bytes: number;
}

/** The bounds of a payload, and where it may hold parts of the event (`PayloadShape`). */
export interface TrustingRules {
  readonly bounds: { readonly maxChars: number; readonly maxDepth: number };
  /** As this module reads it: a field is either a nested shape or the path of names of the event part it may be (none: nowhere). */
  readonly shape?: PayloadShape | undefined;
}

/**
 * `toPlainJsonWithin` for a payload that may hold parts of a plain JSON
 * `event`: a field `rules.shape` marks, whose value is the very object or
 * array found at that path in the event, is kept as it is without being
 * walked (it is plain JSON already), and counted at bounds its event's
 * size gives: no more than 8 characters as counted here per byte (`1.5`
 * counts as the longest number, 24) and one level per two bytes. Every
 * other value, and whatever evaluation made, is walked as
 * `toPlainJsonWithin` walks it. When the bounds cannot prove the payload
 * within `maxChars` and `maxDepth`, the answer is undefined and the
 * payload must be walked whole (`toPlainJsonWithin`), whose answer is then
 * exact; a value answered is the value `toPlainJsonWithin` would give.
 */
export function toPlainJsonTrusting(
  value: unknown,
  rules: TrustingRules,
  event: PlainEvent,
): BoundedPlainJson | undefined {
  const { bounds, shape } = rules;
  if (shape === undefined) return undefined;
  charsLeft = bounds.maxChars;
  depthLeft = bounds.maxDepth;
  prototypeKeys = hasEnumerableKeys(Object.prototype);
  trusted = event;
  try {
    const plain = shapedItem(value, shape);
    return { ok: true, value: plain, chars: bounds.maxChars - charsLeft };
  } catch (thrown) {
    if (thrown === tooManyChars || thrown === tooDeep) return undefined;
    throw thrown;
  } finally {
    trusted = undefined;
  }
}

let trusted: PlainEvent | undefined;

/**
 * A payload walker generated for one mapping's expression (see
 * `payload/payload-walker.ts`): it reads the fields its object
 * constructors can build by name, adds up the characters of their scalars
 * as the walk counts them, and hands every other value to `calls`, which
 * walks it. It returns the characters it added up, and fails (throws)
 * wherever the walk would not keep the payload as it is.
 */
export interface PayloadWalker {
  readonly walk: (payload: unknown, calls: WalkerCalls, paths: readonly EventPath[]) => number;
  /** The event paths the walker reads as `paths[i]`. */
  readonly paths: readonly EventPath[];
  /** The levels of objects it reads itself, the payload being the first. */
  readonly levels: number;
}

/** What a generated walker calls. */
export interface WalkerCalls {
  /** Walk `value`, met at `level` (the payload's fields are at level 2), as the walk does; fail unless it stays as it is. */
  item(value: unknown, level: number): void;
  /** `item` for a value that may be the event's part at `path`, trusted as `toPlainJsonTrusting` trusts it. */
  part(value: unknown, path: EventPath, level: number): void;
  /** The characters of a number, as the walk counts them. */
  number(value: number): number;
  /** The characters of an array met at `level`, as the walk counts them; fail unless it stays as it is. */
  array(value: unknown[], level: number): number;
  /** Leave the answer to the walk. */
  fail(): never;
}

const notAsIs = Symbol("not plain as it is");
/** `maxDepth` of the walk under way, from which a level's depth left is worked out. */
let maxDepthOfWalk = Number.POSITIVE_INFINITY;

const walkerCalls: WalkerCalls = {
  item(value, level) {
    depthLeft = maxDepthOfWalk - (level - 1);
    if (plainItem(value) !== value) throw notAsIs;
  },
  part(value, path, level) {
    depthLeft = maxDepthOfWalk - (level - 1);
    const plain = trusted === undefined ? plainItem(value) : eventPart(value, path);
    if (plain !== value) throw notAsIs;
  },
  number: numberChars,
  array: arrayChars,
  fail() {
    throw notAsIs;
  },
};

/** `plainArray`'s count for an array it keeps as it is (its scalars counted here, without a call each). */
function arrayChars(value: unknown[], level: number): number {
  if (level > maxDepthOfWalk || isFlagged(value)) throw notAsIs;
  const length = value.length;
  let chars = 2 + (length > 1 ? length - 1 : 0);
  for (let index = 0; index < length; index++) {
    const item = value[index];
    if (typeof item === "string") chars += item.length + 2;
    else if (typeof item === "number") chars += numberChars(item);
    else if (typeof item === "boolean") chars += item ? 4 : 5;
    else {
      depthLeft = maxDepthOfWalk - level;
      // an undefined item (or a hole) is removed by the walk: a copy
      if (item === undefined || plainItem(item) !== item) throw notAsIs;
    }
  }
  return chars;
}

/**
 * `toPlainJsonWithin` (or, given the plain `event`, `toPlainJsonTrusting`)
 * for a payload the mapping's own object constructors built, read by the
 * walker generated for them. It answers only when the payload is plain
 * JSON as it is and within the bounds: with the characters the walk would
 * count, the walk's value being the payload itself. Otherwise the answer
 * is undefined and the payload must be walked.
 */
export function plainJsonCharsWalked(
  value: unknown,
  rules: {
    readonly bounds: { readonly maxChars: number; readonly maxDepth: number };
    /** None: no answer. */
    readonly walker?: PayloadWalker | undefined;
  },
  event: PlainEvent | undefined,
): number | undefined {
  const { bounds, walker } = rules;
  if (walker === undefined || walker.levels > bounds.maxDepth) return undefined;
  charsLeft = bounds.maxChars;
  maxDepthOfWalk = bounds.maxDepth;
  prototypeKeys = hasEnumerableKeys(Object.prototype);
  trusted = event;
  try {
    spend(walker.walk(value, walkerCalls, walker.paths));
    return bounds.maxChars - charsLeft;
  } catch (thrown) {
    if (thrown === notAsIs || thrown === tooManyChars || thrown === tooDeep) return undefined;
    if (thrown instanceof RangeError) return undefined;
    throw thrown;
  } finally {
    trusted = undefined;
  }
}

/** An ordinary object whose fields `shape` describes: as `plainObject`, trusting the event's parts. */
function shapedItem(value: unknown, shape: PayloadShape): unknown {
  if (
    value === null ||
    typeof value !== "object" ||
    Array.isArray(value) ||
    Object.getPrototypeOf(value) !== Object.prototype
  )
    return plainItem(value);
  if (--depthLeft < 0) throw tooDeep;
  const plain = plainObject(value as Record<string, unknown>, shape);
  depthLeft++;
  return plain;
}

/** The plain form of a member whose place in the payload's shape is `part`. */
function shapedMember(item: unknown, part: PayloadShape | readonly string[] | undefined): unknown {
  if (part === undefined) return plainItem(item);
  return Array.isArray(part) ? eventPart(item, part) : shapedItem(item, part as PayloadShape);
}

/** `item`, kept unwalked when it is the event's own object or array at `path`, else walked. */
function eventPart(item: unknown, path: readonly string[]): unknown {
  if (item === null || typeof item !== "object" || item !== eventAt(path)) return plainItem(item);
  const bytes = trusted!.bytes;
  // within the event's bounds, or the caller walks the payload whole
  spend(8 * bytes);
  if (depthLeft < Math.floor(bytes / 2)) throw tooDeep;
  return item;
}

/** The event's value at `path`, read through own fields of objects only. */
function eventAt(path: readonly string[]): unknown {
  let at = trusted!.event;
  for (const name of path) {
    if (at === null || typeof at !== "object" || Array.isArray(at) || !Object.hasOwn(at, name))
      return undefined;
    at = (at as Record<string, unknown>)[name];
  }
  return at;
}

// The walk is synchronous and never re-entered, so its bounds live here rather than in every frame.
let charsLeft = Number.POSITIVE_INFINITY;
let depthLeft = Number.POSITIVE_INFINITY;
/**
 * Whether Object.prototype has enumerable keys (someone polluted it), which
 * for...in would list for every object: only then must each key be checked
 * to be the object's own, a check that costs as much as the rest of the walk.
 */
let prototypeKeys = false;

function hasEnumerableKeys(object: object): boolean {
  for (const _ in object) return true;
  return false;
}
const tooManyChars = Symbol("too many characters");
const tooDeep = Symbol("too deep");

function spend(chars: number): void {
  charsLeft -= chars;
  if (charsLeft < 0) throw tooManyChars;
}

/**
 * The plain form of one value: the value itself when it is plain already,
 * else a copy made from the first part that is not (copy on write), so a
 * plain value is walked once and allocates nothing.
 */
function plainItem(value: unknown): unknown {
  switch (typeof value) {
    case "string":
      spend(value.length + 2);
      return value;
    case "number":
      spend(numberChars(value));
      return value;
    case "boolean":
      spend(value ? 4 : 5);
      return value;
    case "object": {
      if (value === null) {
        spend(4);
        return value;
      }
      if (--depthLeft < 0) throw tooDeep;
      const plain = Array.isArray(value)
        ? plainArray(value)
        : plainObject(value as Record<string, unknown>);
      depthLeft++;
      return plain;
    }
    default:
      // undefined, functions, symbols and bigints are not JSON
      return undefined;
  }
}

function plainArray(value: unknown[]): unknown[] {
  // jsonata's flags (own properties on the array) must not survive: a flagged array is always copied
  let out: unknown[] | undefined = isFlagged(value) ? [] : undefined;
  const length = value.length;
  let kept = 0;
  spend(2);
  for (let index = 0; index < length; index++) {
    const item = value[index];
    const plain = plainItem(item);
    // a comma before every item kept but the first
    if (plain !== undefined && kept++ > 0) spend(1);
    if (plain === item && plain !== undefined) {
      out?.push(plain);
      continue;
    }
    out ??= value.slice(0, index);
    if (plain !== undefined) out.push(plain);
  }
  return out ?? value;
}

function isFlagged(value: unknown[]): boolean {
  const flags = value as {
    sequence?: unknown;
    keepSingleton?: unknown;
    outerWrapper?: unknown;
    tupleStream?: unknown;
  };
  return (
    flags.sequence !== undefined ||
    flags.keepSingleton !== undefined ||
    flags.outerWrapper !== undefined ||
    flags.tupleStream !== undefined ||
    Object.getPrototypeOf(value) !== Array.prototype
  );
}

/** `shape`, when given, marks the members that may be the event's own parts (`toPlainJsonTrusting`). */
function plainObject(
  value: Record<string, unknown>,
  shape?: PayloadShape,
): Record<string, unknown> {
  const ordinary = Object.getPrototypeOf(value) === Object.prototype;
  let out: Record<string, unknown> | undefined = ordinary ? undefined : {};
  const ownOnly = ordinary && !prototypeKeys;
  let members = 0;
  spend(2);
  // for...in walks the enum cache without allocating; inherited keys (a polluted prototype) are skipped
  for (const key in value) {
    if (!ownOnly && !Object.hasOwn(value, key)) continue;
    const item = value[key];
    const plain = shape === undefined ? plainItem(item) : shapedMember(item, shape.get(key));
    if (plain === item && plain !== undefined) {
      // the key in quotes, a colon, and a comma before every member but the first
      spend(key.length + (members++ > 0 ? 4 : 3));
      if (out) setField(out, key, plain);
      continue;
    }
    out ??= copyBefore(value, key);
    if (plain === undefined) continue;
    spend(key.length + (members++ > 0 ? 4 : 3));
    setField(out, key, plain);
  }
  return out ?? value;
}

/** A copy of the own fields of `value` that come before `stop`, in their order. */
function copyBefore(value: Record<string, unknown>, stop: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in value) {
    if (key === stop) break;
    if (Object.hasOwn(value, key)) setField(out, key, value[key]);
  }
  return out;
}

function setField(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(out, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    out[key] = value;
  }
}

/** The longest a JavaScript number is written in JSON (`-1.2345678901234567e-308`). */
const LONGEST_NUMBER = 24;

function numberChars(value: number): number {
  if (!Number.isSafeInteger(value)) return LONGEST_NUMBER;
  const sign = value < 0 ? 1 : 0;
  const size = value < 0 ? -value : value;
  if (size < 10) return sign + 1;
  if (size < 100) return sign + 2;
  if (size < 1_000) return sign + 3;
  if (size < 10_000) return sign + 4;
  if (size < 100_000) return sign + 5;
  let digits = 6;
  for (let rest = Math.floor(size / 1_000_000); rest > 0; rest = Math.floor(rest / 10)) digits++;
  return sign + digits;
}
