import { jsonataError } from "../jsonata-error.js";
import { applyProcedure, arityOf } from "../procedure.js";
import { spend } from "../run-state.js";
import { createSequence, pushItem } from "../sequence.js";
import { isArrayOfNumbers, isArrayOfStrings, keysOf, setField, toBoolean } from "../values.js";
import type { Implementation } from "./implementation.js";

/**
 * Functions that call function arguments. As in jsonata, the callback gets
 * the index and the whole array only when it declares parameters for them.
 */

function callbackArgs(callback: unknown, value: unknown, key: unknown, whole: unknown): unknown[] {
  const arity = arityOf(callback);
  if (arity >= 3) return [value, key, whole];
  if (arity >= 2) return [value, key];
  return [value];
}

export const map: Implementation = ([values, callback], depth) => {
  if (values === undefined) return undefined;
  const items = values as unknown[];
  const result = createSequence();
  for (let index = 0; index < items.length; index++) {
    const args = callbackArgs(callback, items[index], index, items);
    const value = applyProcedure(callback, args, null, depth);
    if (value !== undefined) pushItem(result, value);
  }
  return result;
};

export const filter: Implementation = ([values, callback], depth) => {
  if (values === undefined) return undefined;
  const items = values as unknown[];
  const result = createSequence();
  for (let index = 0; index < items.length; index++) {
    const args = callbackArgs(callback, items[index], index, items);
    if (toBoolean(applyProcedure(callback, args, null, depth))) pushItem(result, items[index]);
  }
  return result;
};

export const single: Implementation = ([values, callback], depth) => {
  if (values === undefined) return undefined;
  const items = values as unknown[];
  let found = false;
  let result: unknown;
  for (let index = 0; index < items.length; index++) {
    const matches =
      callback === undefined ||
      toBoolean(
        applyProcedure(callback, callbackArgs(callback, items[index], index, items), null, depth),
      );
    if (!matches) continue;
    if (found) throw jsonataError("D3138", { index });
    result = items[index];
    found = true;
  }
  if (!found) throw jsonataError("D3139");
  return result;
};

export const reduce: Implementation = ([values, callback, initial], depth) => {
  if (values === undefined) return undefined;
  const items = values as unknown[];
  const arity = arityOf(callback);
  if (arity < 2) throw jsonataError("D3050", { index: 1 });
  let index = 0;
  let result = initial;
  if (initial === undefined && items.length > 0) {
    result = items[0];
    index = 1;
  }
  for (; index < items.length; index++) {
    const args = [result, items[index]];
    if (arity >= 3) args.push(index);
    if (arity >= 4) args.push(items);
    result = applyProcedure(callback, args, null, depth);
  }
  return result;
};

export const each: Implementation = ([object, callback], depth) => {
  const result = createSequence();
  for (const key of keysOf(object)) {
    const value = (object as Record<string, unknown>)[key];
    const args = callbackArgs(callback, value, key, object);
    const mapped = applyProcedure(callback, args, null, depth);
    if (mapped !== undefined) pushItem(result, mapped);
  }
  return result;
};

export const sift: Implementation = ([object, callback], depth) => {
  const result: Record<string, unknown> = {};
  let kept = 0;
  for (const key of keysOf(object)) {
    const value = (object as Record<string, unknown>)[key];
    const args = callbackArgs(callback, value, key, object);
    if (toBoolean(applyProcedure(callback, args, null, depth))) {
      setField(result, key, value);
      kept++;
    }
  }
  return kept === 0 ? undefined : result;
};

/** jsonata's merge sort: stable, and calling the comparator in the same order. */
export const sort: Implementation = ([values, comparator], depth) => {
  if (values === undefined) return undefined;
  const items = values as unknown[];
  if (items.length <= 1) return items;
  let swap: (a: unknown, b: unknown) => boolean;
  if (comparator === undefined) {
    if (!isArrayOfNumbers(items) && !isArrayOfStrings(items))
      throw jsonataError("D3070", { index: 1 });
    swap = (a, b) => (a as number) > (b as number);
  } else {
    swap = (a, b) => Boolean(applyProcedure(comparator, [a, b], null, depth));
  }
  return mergeSort(items, swap);
};

export function mergeSort(items: unknown[], swap: (a: unknown, b: unknown) => boolean): unknown[] {
  if (items.length <= 1) return items;
  // each level of the merge handles every item once
  spend(items.length);
  const middle = Math.floor(items.length / 2);
  const left = mergeSort(items.slice(0, middle), swap);
  const right = mergeSort(items.slice(middle), swap);
  const merged: unknown[] = [];
  let l = 0;
  let r = 0;
  while (l < left.length && r < right.length) {
    if (swap(left[l], right[r])) merged.push(right[r++]);
    else merged.push(left[l++]);
  }
  while (l < left.length) merged.push(left[l++]);
  while (r < right.length) merged.push(right[r++]);
  return merged;
}
