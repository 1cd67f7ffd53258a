import type { AstNode } from "./ast.js";
import { type CompileContext, mustCheckDepth } from "./compile-node.js";
import type { Evaluate } from "./procedure.js";
import { enter } from "./run-state.js";
import { append, createSequence, pushItem, type Sequence } from "./sequence.js";
import { isFunction, keysOf, lookupField } from "./values.js";

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
    }
    return results;
  };
}

function pushLoose(results: unknown[], value: unknown): void {
  if ((results as Partial<Sequence>).sequence === true) pushItem(results as Sequence, value);
  else results.push(value);
}

function flatten(value: unknown, into: unknown[]): unknown[] {
  if (Array.isArray(value)) for (const item of value) flatten(item, into);
  else into.push(value);
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
    return results.length === 1 ? results[0] : results;
  };
}

function collectDescendants(value: unknown, results: Sequence): void {
  if (Array.isArray(value)) {
    for (const item of value) collectDescendants(item, results);
    return;
  }
  pushItem(results, value);
  if (value !== null && typeof value === "object" && !isFunction(value))
    for (const key of keysOf(value))
      collectDescendants((value as Record<string, unknown>)[key], results);
}
