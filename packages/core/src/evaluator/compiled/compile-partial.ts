import type { AstNode } from "./ast.js";
import { type CompileContext, compileNode, mustCheckDepth } from "./compile-node.js";
import { unbound } from "./frame.js";
import { isJsonataBuiltin } from "./functions/builtins.js";
import { jsonataError } from "./jsonata-error.js";
import { type Callable, callableOf, createProcedure, type Evaluate } from "./procedure.js";
import { enter, weigh } from "./run-state.js";

const placeholder: unique symbol = Symbol("?");

/**
 * `$f(a, ?, c)`: a function of the `?` arguments, the others bound now.
 * As in jsonata, the result checks no signature, and a built-in gets its
 * JavaScript parameters (missing ones undefined, no context value).
 */
export function compilePartial(node: AstNode, level: number, context: CompileContext): Evaluate {
  const guarded = mustCheckDepth(level, context);
  const args = (node.arguments ?? []).map((arg) =>
    arg.type === "operator" && arg.value === "?" ? undefined : compileNode(arg, level + 1, context),
  );
  const procedureNode = node.procedure!;
  const procedure = compileNode(procedureNode, level + 1, context);
  const name = String(
    procedureNode.type === "path" ? procedureNode.steps?.[0]?.value : procedureNode.value,
  );
  const position = node.position;
  return (input, frame) => {
    if (guarded) enter(level);
    const values = args.map((arg) => (arg === undefined ? placeholder : arg(input, frame)));
    const callee = procedure(input, frame);
    if (callee === undefined && procedureNode.type === "path") {
      const bound = frame.lookup(name);
      if (bound === unbound ? isJsonataBuiltin(name) : Boolean(bound))
        throw jsonataError("T1007", { position, token: name });
    }
    const callable = callableOf(callee);
    if (callable?.slots === undefined || callable.invokeSlots === undefined)
      throw jsonataError("T1008", { position, token: name });
    return partiallyApply(callable as Required<Callable>, values);
  };
}

function partiallyApply(callable: Required<Callable>, values: readonly unknown[]): unknown {
  const slots = Array.from({ length: callable.slots }, (_, index) => values[index]);
  const open = slots.filter((slot) => slot === placeholder).length;
  const fill = (args: readonly unknown[]): unknown[] => {
    let next = 0;
    return slots.map((slot) => (slot === placeholder ? args[next++] : slot));
  };
  const invoke = (args: unknown[], depth: number) => {
    const values = fill(args);
    for (const value of values) weigh(value);
    return callable.invokeSlots(values, depth);
  };
  return createProcedure({
    arity: open,
    invoke,
    slots: open,
    invokeSlots: invoke,
  });
}
