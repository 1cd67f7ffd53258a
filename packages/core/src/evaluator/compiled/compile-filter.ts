import type { AstNode } from "./ast.js";
import type { CompileContext } from "./compile-node.js";
import { compileNode } from "./compile-node.js";
import type { Frame } from "./frame.js";
import { tick } from "./run-state.js";
import { createSequence, pushItem, sequenceOf } from "./sequence.js";
import { isArrayOfNumbers, isNumeric, toBoolean } from "./values.js";

/** A predicate `[...]` applied to a value: returns the kept items (a sequence, or an array item picked by index). */
export type Filter = (value: unknown, frame: Frame) => unknown;

/**
 * jsonata's `evaluateFilter`: a literal number picks an item by index
 * (negative counts from the end); any other predicate is evaluated per item
 * and keeps it when true, or when its numbers include the item's index.
 */
export function compileFilter(predicate: AstNode, level: number, context: CompileContext): Filter {
  if (predicate.type === "number") {
    const literal = Math.floor(Number(predicate.value));
    return (value) => {
      const items = Array.isArray(value) ? value : sequenceOf(value);
      const index = literal < 0 ? items.length + literal : literal;
      const item = items[index];
      if (item === undefined) return createSequence();
      if (Array.isArray(item)) return item;
      return sequenceOf(item);
    };
  }
  const test = compileNode(predicate, level, context);
  return (value, frame) => {
    const items = Array.isArray(value) ? value : sequenceOf(value);
    const results = createSequence();
    for (let index = 0; index < items.length; index++) {
      tick();
      const item = items[index];
      let verdict = test(item, frame);
      if (isNumeric(verdict)) verdict = [verdict];
      if (isArrayOfNumbers(verdict)) {
        for (const position of verdict as number[]) {
          let wanted = Math.floor(position);
          if (wanted < 0) wanted = items.length + wanted;
          if (wanted === index) pushItem(results, item);
        }
      } else if (toBoolean(verdict)) {
        pushItem(results, item);
      }
    }
    return results;
  };
}
