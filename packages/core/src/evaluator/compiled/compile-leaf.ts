import type { AstNode } from "./ast.js";
import { type CompileContext, mustCheckDepth } from "./compile-node.js";
import { unbound } from "./frame.js";
import { builtinProcedure, usesClock } from "./functions/builtins.js";
import type { Evaluate } from "./procedure.js";
import { enter } from "./run-state.js";
import { collapse, type Sequence } from "./sequence.js";

export function compileLiteral(node: AstNode, level: number, context: CompileContext): Evaluate {
  const guarded = mustCheckDepth(level, context);
  const value = node.value;
  return () => {
    if (guarded) enter(level);
    return value;
  };
}

/**
 * `$` is the context (unwrapping an input array from its singleton
 * wrapper); `$$` is the root; other names are looked up in scope, then
 * among the built-in functions, which bindings and `:=` may shadow.
 * `finish`: collapse the value here (no predicate follows).
 */
export function compileVariable(
  node: AstNode,
  level: number,
  context: CompileContext,
  finish: boolean,
): Evaluate {
  const guarded = mustCheckDepth(level, context);
  const name = String(node.value);
  const keepArray = finish && node.keepArray === true;
  if (name === "")
    return (input) => {
      if (guarded) enter(level);
      const value =
        Array.isArray(input) && (input as Partial<Sequence>).outerWrapper ? input[0] : input;
      return finish ? collapse(value, keepArray) : value;
    };
  const builtin = builtinProcedure(name, node);
  if (usesClock(name)) context.clock.needed = true;
  return (_input, frame) => {
    if (guarded) enter(level);
    const value = frame.lookup(name);
    if (value === unbound) return builtin;
    return finish ? collapse(value, keepArray) : value;
  };
}
