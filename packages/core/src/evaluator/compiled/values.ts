import { jsonataError } from "./jsonata-error.js";
import { forEachLeaf } from "./leaves.js";
import { spend } from "./run-state.js";
import { createSequence, pushItem, type Sequence } from "./sequence.js";

/**
 * jsonata's value semantics: what counts as a number, a function, true, or
 * equal, and how fields are looked up (own properties only, so nothing on
 * Object.prototype is reachable).
 */

export function isNumeric(value: unknown): value is number {
  if (typeof value !== "number" || Number.isNaN(value)) return false;
  if (!Number.isFinite(value)) throw jsonataError("D1001", { value });
  return true;
}

export function isArrayOfNumbers(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  for (const item of value) if (!isNumeric(item)) return false;
  return true;
}

export function isArrayOfStrings(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  for (const item of value) if (typeof item !== "string") return false;
  return true;
}

/** Functions are JavaScript functions: compiled lambdas, built-ins, and functions passed as bindings. */
export function isFunction(value: unknown): value is (...args: unknown[]) => unknown {
  return typeof value === "function";
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * jsonata's effective boolean value (`$boolean`); undefined stays undefined.
 * Arrays nest as deep as the data does, so they are walked with a list of
 * pending items rather than by recursion; every item is looked at, as
 * jsonata does (a non-finite number anywhere raises D1001).
 */
export function toBoolean(value: unknown): boolean | undefined {
  let subject = value;
  while (Array.isArray(subject) && subject.length === 1) subject = subject[0];
  if (!Array.isArray(subject)) return scalarBoolean(subject);
  if (subject.length === 0) return false;
  let truthy = false;
  const visited = forEachLeaf(subject, (item) => {
    if (scalarBoolean(item)) truthy = true;
  });
  spend(visited);
  return truthy;
}

function scalarBoolean(value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string") return value.length > 0;
  if (isNumeric(value)) return value !== 0;
  if (value !== null && typeof value === "object") return Object.keys(value).length > 0;
  return value === true;
}

/**
 * jsonata's deep equality, walked with a list of pending pairs (data may
 * nest thousands of levels), charging the time limit for every pair.
 */
export function isDeepEqual(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (typeof left === "string" && typeof right === "string") {
    // comparing two long strings is a scan, charged as one
    spend(left.length);
    return false;
  }
  const pending: unknown[] = [left, right];
  let pairs = 0;
  let equal = true;
  while (equal && pending.length > 0) {
    pairs++;
    const b = pending.pop();
    const a = pending.pop();
    equal = samePair(a, b, pending);
  }
  spend(pairs);
  return equal;
}

/** Whether `a` and `b` may be equal, pushing the pairs of their items or fields still to compare. */
function samePair(a: unknown, b: unknown, pending: unknown[]): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let index = a.length - 1; index >= 0; index--) pending.push(a[index], b[index]);
    return true;
  }
  const leftKeys = Object.getOwnPropertyNames(a).sort();
  const rightKeys = Object.getOwnPropertyNames(b).sort();
  if (leftKeys.length !== rightKeys.length) return false;
  for (let index = 0; index < leftKeys.length; index++)
    if (leftKeys[index] !== rightKeys[index]) return false;
  for (let index = leftKeys.length - 1; index >= 0; index--) {
    const key = leftKeys[index]!;
    pending.push((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]);
  }
  return true;
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * A field of an object, or of every object in an array (flattened one level
 * per array, as a sequence). Own properties only: `__proto__`, `constructor`
 * and `prototype` are found only when the data itself has them. Arrays of
 * arrays are walked in order with a list of pending items, not recursion:
 * the fields found in the innermost objects come out flattened once, as
 * jsonata's nested lookups flatten them.
 */
export function lookupField(input: unknown, key: string): unknown {
  if (!Array.isArray(input)) {
    if (input !== null && typeof input === "object" && hasOwn.call(input, key))
      return (input as Record<string, unknown>)[key];
    return undefined;
  }
  const result: Sequence = createSequence();
  const visited = forEachLeaf(input, (item) => {
    if (item === null || typeof item !== "object" || !hasOwn.call(item, key)) return;
    const value = (item as Record<string, unknown>)[key];
    if (value === undefined) return;
    if (Array.isArray(value)) for (const each of value) pushItem(result, each);
    else pushItem(result, value);
  });
  spend(visited + result.length);
  return result;
}

/** Set a field on an object gwenmap built, without ever touching a prototype. */
export function setField(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__")
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  else target[key] = value;
}

/** Keys of an object, [] for anything else (jsonata's `utils.keys`). */
export function keysOf(value: unknown): string[] {
  return value !== null && typeof value === "object" ? Object.keys(value) : [];
}

/** `$string` and the `&` operator: JSON with numbers at 15 significant digits; functions are "". */
export function toJsonataString(value: unknown, prettify = false): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string") return value;
  if (isFunction(value)) return "";
  if (typeof value === "number" && !Number.isFinite(value)) throw jsonataError("D3001", { value });
  const subject =
    Array.isArray(value) && (value as Partial<Sequence>).outerWrapper === true ? value[0] : value;
  const text = JSON.stringify(subject, stringifyReplacer, prettify ? 2 : 0);
  spend(text.length);
  return text;
}

function stringifyReplacer(_key: string, value: unknown): unknown {
  if (value !== undefined && value !== null && isNumeric(value))
    return Number.isInteger(value) ? value : Number(value.toPrecision(15));
  return isFunction(value) ? "" : value;
}
