import type { AstNode } from "./ast.js";
import { type CompileContext, compileNode } from "./compile-node.js";
import { type Frame, unbound } from "./frame.js";
import { directCallProcedure, isJsonataBuiltin } from "./functions/builtins.js";
import { isJsonataError, jsonataError } from "./jsonata-error.js";
import { applyProcedure, createProcedure, type Evaluate } from "./procedure.js";
import { enter, run } from "./run-state.js";
import { isFunction } from "./values.js";

type Invocation = (input: unknown, frame: Frame, leading: unknown) => unknown;

const noLeadingArgument: unique symbol = Symbol("none");

/** `$f(a, b)`: evaluate the function and its arguments, then call it. */
export function compileFunctionCall(
  node: AstNode,
  level: number,
  context: CompileContext,
): Evaluate {
  const invoke = compileInvocation(node, level, context, 0);
  return (input, frame) => {
    enter(level);
    return invoke(input, frame, noLeadingArgument);
  };
}

/**
 * `value ~> $f(b)` calls `$f(value, b)`; `value ~> $f` calls `$f(value)`;
 * `$f ~> $g` composes the two functions.
 */
export function compileApply(node: AstNode, level: number, context: CompileContext): Evaluate {
  const left = compileNode(node.lhs as AstNode, level + 1, context);
  const rightNode = node.rhs!;
  if (rightNode.type === "function") {
    // jsonata evaluates the call's parts from the ~> node itself, one level down
    const invoke = compileInvocation(rightNode, level, context, 1);
    return (input, frame) => {
      enter(level);
      return invoke(input, frame, left(input, frame));
    };
  }
  const right = compileNode(rightNode, level + 1, context);
  const position = node.position;
  return (input, frame) => {
    enter(level);
    const value = left(input, frame);
    const procedure = right(input, frame);
    if (!isFunction(procedure)) throw jsonataError("T2006", { position, value: procedure });
    if (isFunction(value)) return compose(value, procedure);
    return applyProcedure(procedure, [value], null, run.depthBase + level);
  };
}

function compose(first: unknown, second: unknown) {
  return createProcedure({
    arity: 1,
    invoke(args, depth) {
      const intermediate = applyProcedure(first, [args[0]], null, depth + 1);
      return applyProcedure(second, [intermediate], null, depth);
    },
  });
}

function compileInvocation(
  node: AstNode,
  level: number,
  context: CompileContext,
  leadingArguments: number,
): Invocation {
  const procedureNode = node.procedure!;
  const args = (node.arguments ?? []).map((arg) => compileNode(arg, level + 1, context));
  const procedure =
    directCallProcedure(procedureNode, args.length + leadingArguments, level + 1, context) ??
    compileNode(procedureNode, level + 1, context);
  const name = String(
    procedureNode.type === "path" ? procedureNode.steps?.[0]?.value : procedureNode.value,
  );
  const forgotDollar = procedureNode.type === "path" ? name : undefined;
  const position = node.position;
  return (input, frame, leading) => {
    const callee = procedure(input, frame);
    if (callee === undefined && forgotDollar !== undefined && isBound(frame, forgotDollar))
      throw jsonataError("T1005", { position, token: forgotDollar });
    const values: unknown[] = leading === noLeadingArgument ? [] : [leading];
    for (const arg of args) values.push(arg(input, frame));
    try {
      return applyProcedure(callee, values, input, run.depthBase + level);
    } catch (error) {
      if (isJsonataError(error)) {
        if (isFunction(callee) || error.position === undefined) error.position = position;
        if (error.token === undefined) error.token = name;
      }
      throw error;
    }
  };
}

/** What jsonata checks before suggesting the `$` was forgotten: the name is a truthy variable. */
function isBound(frame: Frame, name: string): boolean {
  const value = frame.lookup(name);
  return value === unbound ? isJsonataBuiltin(name) : Boolean(value);
}
