import { jsonataError } from "./jsonata-error.js";
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

/** jsonata's effective boolean value (`$boolean`); undefined stays undefined. */
export function toBoolean(value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) {
    if (value.length === 1) return toBoolean(value[0]);
    if (value.length > 1) {
      let truthy = 0;
      for (const item of value) if (toBoolean(item)) truthy++;
      return truthy > 0;
    }
    return false;
  }
  if (typeof value === "string") return value.length > 0;
  if (isNumeric(value)) return value !== 0;
  if (value !== null && typeof value === "object") return Object.keys(value).length > 0;
  return value === true;
}

export function isDeepEqual(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (typeof left !== "object" || typeof right !== "object" || left === null || right === null)
    return false;
  if (Array.isArray(left) && Array.isArray(right)) {
    if (left.length !== right.length) return false;
    for (let index = 0; index < left.length; index++)
      if (!isDeepEqual(left[index], right[index])) return false;
    return true;
  }
  const leftKeys = Object.getOwnPropertyNames(left).sort();
  const rightKeys = Object.getOwnPropertyNames(right).sort();
  if (leftKeys.length !== rightKeys.length) return false;
  for (let index = 0; index < leftKeys.length; index++)
    if (leftKeys[index] !== rightKeys[index]) return false;
  for (const key of leftKeys)
    if (
      !isDeepEqual((left as Record<string, unknown>)[key], (right as Record<string, unknown>)[key])
    )
      return false;
  return true;
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * A field of an object, or of every object in an array (flattened one level
 * per array, as a sequence). Own properties only: `__proto__`, `constructor`
 * and `prototype` are found only when the data itself has them.
 */
export function lookupField(input: unknown, key: string): unknown {
  if (Array.isArray(input)) {
    const result: Sequence = createSequence();
    for (const item of input) {
      const value = lookupField(item, key);
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const each of value) pushItem(result, each);
      else pushItem(result, value);
    }
    return result;
  }
  if (input !== null && typeof input === "object" && hasOwn.call(input, key))
    return (input as Record<string, unknown>)[key];
  return undefined;
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
  return JSON.stringify(subject, stringifyReplacer, prettify ? 2 : 0);
}

function stringifyReplacer(_key: string, value: unknown): unknown {
  if (value !== undefined && value !== null && isNumeric(value))
    return Number.isInteger(value) ? value : Number(value.toPrecision(15));
  return isFunction(value) ? "" : value;
}
