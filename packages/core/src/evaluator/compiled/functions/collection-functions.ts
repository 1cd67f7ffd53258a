import { jsonataError } from "../jsonata-error.js";
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

function keysSequence(value: unknown): unknown[] {
  const result = createSequence();
  if (Array.isArray(value)) {
    const merged: Record<string, true> = Object.create(null);
    for (const item of value) for (const key of keysSequence(item)) merged[key as string] = true;
    return keysSequence(merged);
  }
  if (value !== null && typeof value === "object")
    for (const key of Object.keys(value)) pushItem(result, key);
  return result;
}

export const lookup: Implementation = ([value, key]) => lookupField(value, key as string);

export const append: Implementation = ([first, second]) => appendValues(first, second);

export const spread: Implementation = ([value]) => spreadValue(value);

function spreadValue(value: unknown): unknown {
  let result: unknown = createSequence();
  if (Array.isArray(value)) {
    for (const item of value) result = appendValues(result, spreadValue(item));
  } else if (value !== null && typeof value === "object") {
    for (const key of keysOf(value)) {
      const single: Record<string, unknown> = {};
      setField(single, key, (value as Record<string, unknown>)[key]);
      pushItem(result as ReturnType<typeof createSequence>, single);
    }
  } else {
    result = value;
  }
  return result;
}

export const merge: Implementation = ([values]) => {
  if (values === undefined) return undefined;
  const result: Record<string, unknown> = {};
  for (const object of values as unknown[])
    for (const key of keysOf(object))
      setField(result, key, (object as Record<string, unknown>)[key]);
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
