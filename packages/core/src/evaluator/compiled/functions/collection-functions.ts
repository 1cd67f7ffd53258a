import { jsonataError } from "../jsonata-error.js";
import { forEachLeaf } from "../leaves.js";
import { run, spend } from "../run-state.js";
import { append as appendValues, createSequence, isSequence, pushItem } from "../sequence.js";
import {
  isDeepEqual,
  isFunction,
  isNumeric,
  keysOf,
  lookupField,
  setField,
  toBoolean,
} from "../values.js";
import type { Implementation } from "./implementation.js";

/** Aggregation, boolean, object and array functions, as jsonata 2.2.2 defines them. */

export const sum: Implementation = ([values]) => {
  if (values === undefined) return undefined;
  let total = 0;
  for (const value of values as number[]) total += value;
  return total;
};

export const count: Implementation = ([values]) =>
  values === undefined ? 0 : (values as unknown[]).length;

export const max: Implementation = ([values]) =>
  values === undefined || (values as number[]).length === 0
    ? undefined
    : Math.max.apply(Math, values as number[]);

export const min: Implementation = ([values]) =>
  values === undefined || (values as number[]).length === 0
    ? undefined
    : Math.min.apply(Math, values as number[]);

export const average: Implementation = ([values]) => {
  if (values === undefined || (values as number[]).length === 0) return undefined;
  let total = 0;
  for (const value of values as number[]) total += value;
  return total / (values as number[]).length;
};

export const boolean: Implementation = ([value]) => toBoolean(value);

export const not: Implementation = ([value]) =>
  value === undefined ? undefined : !toBoolean(value);

export const exists: Implementation = ([value]) => value !== undefined;

export const keys: Implementation = ([value]) => keysSequence(value);

/** The keys of an object; of an array, the keys of every object in it, each once. */
function keysSequence(value: unknown): unknown[] {
  if (!Array.isArray(value)) return objectKeys(value);
  // a dictionary, read back with Object.keys, orders the keys exactly as jsonata's merge does
  const merged: Record<string, true> = Object.create(null);
  spend(
    forEachLeaf(value, (item) => {
      if (item !== null && typeof item === "object")
        for (const key of Object.keys(item)) merged[key] = true;
    }),
  );
  return objectKeys(merged);
}

function objectKeys(value: unknown): unknown[] {
  const result = createSequence();
  if (value !== null && typeof value === "object")
    for (const key of Object.keys(value)) pushItem(result, key);
  return result;
}

export const lookup: Implementation = ([value, key]) => lookupField(value, key as string);

export const append: Implementation = ([first, second]) => appendValues(first, second);

export const spread: Implementation = ([value]) => spreadValue(value);

/**
 * An object as an array of one-field objects; an array's items spread and
 * flattened, however deeply arrays nest. As jsonata appends the items'
 * spreads with `concat`, an array with any defined item gives a plain
 * array, and one without an empty sequence.
 */
function spreadValue(value: unknown): unknown {
  if (!Array.isArray(value)) {
    if (value === null || typeof value !== "object") return value;
    const result = createSequence();
    spreadObject(value, result);
    return result;
  }
  const result: unknown[] = value.some((item) => item !== undefined) ? [] : createSequence();
  const visited = forEachLeaf(value, (item) => {
    if (item !== null && typeof item === "object") spreadObject(item, result);
    else if (item !== undefined) result.push(item);
    if (result.length > run.maxSequence) throw jsonataError("D2015", { value: result.length });
  });
  spend(visited + result.length);
  return result;
}

function spreadObject(value: object, into: unknown[]): void {
  for (const key of keysOf(value)) {
    const single: Record<string, unknown> = {};
    setField(single, key, (value as Record<string, unknown>)[key]);
    into.push(single);
  }
}

export const merge: Implementation = ([values]) => {
  if (values === undefined) return undefined;
  const result: Record<string, unknown> = {};
  for (const object of values as unknown[]) {
    const keys = keysOf(object);
    spend(keys.length);
    for (const key of keys) setField(result, key, (object as Record<string, unknown>)[key]);
  }
  return result;
};

export const reverse: Implementation = ([values]) => {
  if (values === undefined) return undefined;
  const items = values as unknown[];
  if (items.length <= 1) return items;
  const result = new Array<unknown>(items.length);
  for (let index = 0; index < items.length; index++)
    result[items.length - index - 1] = items[index];
  return result;
};

export const distinct: Implementation = ([values]) => {
  if (values === undefined) return undefined;
  if (!Array.isArray(values) || values.length <= 1) return values;
  const result: unknown[] = isSequence(values) ? createSequence() : [];
  for (const value of values) {
    // each value is compared with every one kept so far
    spend(result.length);
    if (result.some((kept) => isDeepEqual(value, kept))) continue;
    if (isSequence(result)) pushItem(result, value);
    else result.push(value);
  }
  return result;
};

export const type: Implementation = ([value]) => {
  if (value === undefined) return undefined;
  if (value === null) return "null";
  if (isNumeric(value)) return "number";
  if (typeof value === "string") return "string";
  if (typeof value === "boolean") return "boolean";
  if (Array.isArray(value)) return "array";
  if (isFunction(value)) return "function";
  return "object";
};

export const zip: Implementation = (args) => {
  const length = Math.min.apply(
    Math,
    args.map((arg) => (Array.isArray(arg) ? arg.length : 0)),
  );
  const result: unknown[][] = [];
  for (let index = 0; index < length; index++)
    result.push(args.map((arg) => (arg as unknown[])[index]));
  return result;
};

export const error: Implementation = ([message]) => {
  throw jsonataError("D3137", {
    message: (message as string | undefined) || "$error() function evaluated",
  });
};

export const assert: Implementation = ([condition, message]) => {
  if (!condition)
    throw jsonataError("D3141", {
      message: (message as string | undefined) || "$assert() statement failed",
    });
  return undefined;
};
