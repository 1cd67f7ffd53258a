import type { AstNode } from "./ast.js";
import { type CompileContext, mustCheckDepth } from "./compile-node.js";
import { forEachLeaf } from "./leaves.js";
import type { Evaluate } from "./procedure.js";
import { enter, spend } from "./run-state.js";
import { append, createSequence, pushItem, type Sequence } from "./sequence.js";
import { keysOf, lookupField } from "./values.js";

/** A field name in a path: own properties only, mapped over arrays. */
export function compileName(node: AstNode, level: number, context: CompileContext): Evaluate {
  const guarded = mustCheckDepth(level, context);
  const key = String(node.value);
  return (input) => {
    if (guarded) enter(level);
    return lookupField(input, key);
  };
}

/** `*`: the values of every field, arrays flattened. */
export function compileWildcard(level: number, context: CompileContext): Evaluate {
  const guarded = mustCheckDepth(level, context);
  return (input) => {
    if (guarded) enter(level);
    let results: unknown = createSequence();
    let subject = input;
    if (Array.isArray(subject) && (subject as Partial<Sequence>).outerWrapper && subject.length > 0)
      subject = subject[0];
    if (subject !== null && typeof subject === "object") {
      for (const key of keysOf(subject)) {
        const value = (subject as Record<string, unknown>)[key];
        // jsonata appends arrays with concat, after which the results are a plain array
        if (Array.isArray(value)) results = append(results, flatten(value, []));
        else pushLoose(results as unknown[], value);
      }
      spend((results as unknown[]).length);
    }
    return results;
  };
}

function pushLoose(results: unknown[], value: unknown): void {
  if ((results as Partial<Sequence>).sequence === true) pushItem(results as Sequence, value);
  else results.push(value);
}

/** Every non-array value inside `value`, in order, however deeply arrays nest. */
function flatten(value: unknown, into: unknown[]): unknown[] {
  forEachLeaf(value, (leaf) => into.push(leaf));
  return into;
}

/** `**`: every value below the context, depth first. */
export function compileDescendants(level: number, context: CompileContext): Evaluate {
  const guarded = mustCheckDepth(level, context);
  return (input) => {
    if (guarded) enter(level);
    if (input === undefined) return undefined;
    const results = createSequence();
    collectDescendants(input, results);
    spend(results.length);
    return results.length === 1 ? results[0] : results;
  };
}

/**
 * A value and then, depth first, every value in it; arrays contribute their
 * items, not themselves. Walked with a list of pending values: event data
 * may nest thousands of levels.
 */
function collectDescendants(value: unknown, results: Sequence): void {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (Array.isArray(item)) {
      for (let index = item.length - 1; index >= 0; index--) pending.push(item[index]);
      continue;
    }
    pushItem(results, item);
    if (item !== null && typeof item === "object") {
      const keys = keysOf(item);
      for (let index = keys.length - 1; index >= 0; index--)
        pending.push((item as Record<string, unknown>)[keys[index]!]);
    }
  }
}
