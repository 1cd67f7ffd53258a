import type { AstNode } from "./ast.js";
import { compileGroup } from "./compile-group.js";
import { type CompileContext, compileNode, mustCheckDepth } from "./compile-node.js";
import { failedEntry } from "./concurrent-entries.js";
import { jsonataError } from "./jsonata-error.js";
import type { Evaluate } from "./procedure.js";
import { enter, run, spend } from "./run-state.js";
import { markCons } from "./sequence.js";
import { isNumeric } from "./values.js";

/** Negation, and the array and object constructors. */
export function compileUnary(node: AstNode, level: number, context: CompileContext): Evaluate {
  const guarded = mustCheckDepth(level, context);
  if (node.value === "[") return compileArray(node, level, context);
  if (node.value === "{") {
    const group = compileGroup(
      { lhs: node.lhs as [AstNode, AstNode][], position: node.position },
      level + 1,
      context,
    );
    return (input, frame) => {
      if (guarded) enter(level);
      return group(input, frame);
    };
  }
  const operand = compileNode(node.expression!, level + 1, context);
  const position = node.position;
  return (input, frame) => {
    if (guarded) enter(level);
    const value = operand(input, frame);
    if (value === undefined) return undefined;
    if (isNumeric(value)) return -value;
    throw jsonataError("D1002", { position, token: "-", value });
  };
}

/**
 * `[a, b, ...]`: values are appended (an array value contributes its
 * items) except those of nested array constructors, which stay arrays.
 */
function compileArray(node: AstNode, level: number, context: CompileContext): Evaluate {
  const guarded = mustCheckDepth(level, context);
  const items = (node.expressions ?? []).map((item) => ({
    evaluate: compileNode(item, level + 1, context),
    nested: item.value === "[",
  }));
  const cons = node.consarray === true;
  const count = items.length;
  return (input, frame) => {
    if (guarded) enter(level);
    // every entry is evaluated before any is appended, as jsonata does
    const values: unknown[] = new Array(count);
    for (let index = 0; index < count; index++) {
      try {
        values[index] = items[index]!.evaluate(input, frame);
      } catch (error) {
        failedEntry(
          error,
          () => {
            for (let rest = index + 1; rest < count; rest++) items[rest]!.evaluate(input, frame);
          },
          count > 1,
        );
      }
    }
    const result: unknown[] = [];
    for (let index = 0; index < count; index++) {
      const value = values[index];
      if (value === undefined) continue;
      if (items[index]!.nested) result.push(value);
      else appendInto(result, value);
    }
    if (cons) markCons(result);
    return result;
  };
}

/** jsonata's `$append` onto a fresh array, done in place: the same items and the same limit. */
export function appendInto(result: unknown[], value: unknown): void {
  const added = Array.isArray(value) ? value.length : 1;
  const size = result.length + added;
  if (size > run.maxSequence) throw jsonataError("D2015", { value: size });
  spend(added);
  if (Array.isArray(value)) for (const item of value) result.push(item);
  else result.push(value);
}
