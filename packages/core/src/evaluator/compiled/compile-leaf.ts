import type { AstNode } from "./ast.js";
import type { CompileContext } from "./compile-node.js";
import { unbound } from "./frame.js";
import { builtinProcedure, usesClock } from "./functions/builtins.js";
import type { Evaluate } from "./procedure.js";
import { enter } from "./run-state.js";
import type { Sequence } from "./sequence.js";

export function compileLiteral(node: AstNode, level: number): Evaluate {
  const value = node.value;
  return () => {
    enter(level);
    return value;
  };
}

/**
 * `$` is the context (unwrapping an input array from its singleton
 * wrapper); `$$` is the root; other names are looked up in scope, then
 * among the built-in functions, which bindings and `:=` may shadow.
 */
export function compileVariable(node: AstNode, level: number, context: CompileContext): Evaluate {
  const name = String(node.value);
  if (name === "")
    return (input) => {
      enter(level);
      return Array.isArray(input) && (input as Partial<Sequence>).outerWrapper ? input[0] : input;
    };
  const builtin = builtinProcedure(name, node);
  if (builtin === undefined)
    return (_input, frame) => {
      enter(level);
      const value = frame.lookup(name);
      return value === unbound ? undefined : value;
    };
  if (usesClock(name)) context.needsTimestamp = true;
  return (_input, frame) => {
    enter(level);
    const value = frame.lookup(name);
    return value === unbound ? builtin : value;
  };
}
