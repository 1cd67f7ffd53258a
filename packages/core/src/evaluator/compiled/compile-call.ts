import type { AstNode } from "./ast.js";
import { type CompileContext, compileNode, mustCheckDepth } from "./compile-node.js";
import { type Frame, unbound } from "./frame.js";
import { type BuiltinCall, directBuiltin, isJsonataBuiltin } from "./functions/builtins.js";
import { isJsonataError, jsonataError } from "./jsonata-error.js";
import {
  applyProcedure,
  type Callable,
  callableOf,
  createProcedure,
  type Evaluate,
  markCallSite,
  markSite,
  placeError,
} from "./procedure.js";
import { enter, run, weigh } from "./run-state.js";
import { collapse } from "./sequence.js";
import { isFunction } from "./values.js";

/** A call's evaluation, given the value `~>` passes in as its first argument (or `noLeadingArgument`). */
export type Invocation = (input: unknown, frame: Frame, leading: unknown) => unknown;

export const noLeadingArgument: unique symbol = Symbol("none");

/** `$f(a, b)`: evaluate the function and its arguments, then call it. */
export function compileFunctionCall(
  node: AstNode,
  level: number,
  context: CompileContext,
  finish: boolean,
): Evaluate {
  const guarded = mustCheckDepth(level, context);
  const invoke = compileInvocation(node, level, context);
  const keepArray = node.keepArray === true;
  return (input, frame) => {
    if (guarded) enter(level);
    const value = invoke(input, frame, noLeadingArgument);
    return finish ? collapse(value, keepArray) : value;
  };
}

/**
 * `value ~> $f(b)` calls `$f(value, b)`; `value ~> $f` calls `$f(value)`;
 * `$f ~> $g` composes the two functions.
 */
export function compileApply(node: AstNode, level: number, context: CompileContext): Evaluate {
  const guarded = mustCheckDepth(level, context);
  const left = compileNode(node.lhs as AstNode, level + 1, context);
  const rightNode = node.rhs!;
  if (rightNode.type === "function") {
    // jsonata evaluates the call's parts from the ~> node itself, one level down
    const invoke = compileInvocation(rightNode, level, context);
    return (input, frame) => {
      if (guarded) enter(level);
      return invoke(input, frame, left(input, frame));
    };
  }
  const right = compileNode(rightNode, level + 1, context);
  const position = node.position;
  return (input, frame) => {
    if (guarded) enter(level);
    const value = left(input, frame);
    const procedure = right(input, frame);
    if (!isFunction(procedure)) throw jsonataError("T2006", { position, value: procedure });
    if (isFunction(value)) return compose(value, procedure);
    return applyProcedure(procedure, [value], null, run.depthBase + level);
  };
}

/**
 * `$f ~> $g` is jsonata's `function($f, $g) { function($x){ $g($f($x)) } }`:
 * errors escaping `$f` and `$g` are placed where that text calls them.
 */
const composition = { first: 39, second: 35 } as const;

function compose(first: unknown, second: unknown) {
  return createProcedure({
    arity: 1,
    invoke(args, depth) {
      markCallSite(first, composition.first, "f");
      const intermediate = applyProcedure(first, [args[0]], null, depth + 1);
      markCallSite(second, composition.second, "g", true);
      return applyProcedure(second, [intermediate], null, depth);
    },
  });
}

/** The evaluation of a call node's callee and arguments, and the call (jsonata's `evaluateFunction`). */
export function compileInvocation(
  node: AstNode,
  level: number,
  context: CompileContext,
): Invocation {
  const procedureNode = node.procedure!;
  const args = (node.arguments ?? []).map((arg) => compileNode(arg, level + 1, context));
  const builtin = directBuiltin(procedureNode, context);
  const procedure =
    builtin === undefined
      ? compileNode(procedureNode, level + 1, context)
      : shadowingLookup(builtin, level + 1, context);
  const rawName =
    procedureNode.type === "path" ? procedureNode.steps?.[0]?.value : procedureNode.value;
  const name = rawName === undefined ? undefined : String(rawName);
  const forgotDollar = procedureNode.type === "path" ? name : undefined;
  const position = node.position;
  const evaluateArgs = (input: unknown, frame: Frame, leading: unknown): unknown[] => {
    const values: unknown[] = leading === noLeadingArgument ? [] : [leading];
    for (const arg of args) values.push(arg(input, frame));
    return values;
  };
  const decorate = (error: unknown): unknown => locateCallError(error, position, name);
  const invokeGeneric: Invocation = (input, frame, leading) => {
    const callee = procedure(input, frame);
    if (callee === undefined && forgotDollar !== undefined && isBound(frame, forgotDollar))
      throw jsonataError("T1005", { position, token: forgotDollar });
    const values = evaluateArgs(input, frame, leading);
    markCallSite(callee, position, name);
    try {
      return applyProcedure(callee, values, input, run.depthBase + level);
    } catch (error) {
      throw decorate(error);
    }
  };
  if (builtin !== undefined) {
    const shadowable = context.boundNames.has(builtin.name);
    const direct = callBuiltinDirectly(builtin, level, evaluateArgs);
    return (input, frame, leading) => {
      if (!(shadowable ? frame.lookup(builtin.name) !== unbound : isBoundByCaller(builtin.name)))
        return direct(input, frame, leading);
      return invokeGeneric(input, frame, leading);
    };
  }
  return invokeGeneric;

  function callBuiltinDirectly(
    call: BuiltinCall,
    calleeLevel: number,
    values: typeof evaluateArgs,
  ): Invocation {
    const calleeGuarded = mustCheckDepth(calleeLevel + 1, context);
    const site = directCallSite(call, position, name);
    return (input, frame, leading) => {
      if (calleeGuarded) enter(calleeLevel + 1);
      return invokeBuiltin(site, values(input, frame, leading), input, run.depthBase + calleeLevel);
    };
  }
}

/** A call site `$name(...)` of a built-in, with what calling it directly needs. */
export interface DirectCallSite {
  readonly call: BuiltinCall;
  readonly callable: Callable;
  readonly position: number | undefined;
  readonly name: string | undefined;
}

export function directCallSite(
  call: BuiltinCall,
  position: number | undefined,
  name: string | undefined,
): DirectCallSite {
  return { call, callable: callableOf(call.procedure)!, position, name };
}

/**
 * Call a built-in by name with its arguments evaluated: the call site is
 * written onto it, its arguments are charged and checked, and an error
 * leaving it is placed as jsonata's applyInner, then its evaluateFunction, place it.
 */
export function invokeBuiltin(
  site: DirectCallSite,
  argValues: unknown[],
  input: unknown,
  depth: number,
): unknown {
  markSite(site.callable, site.position, site.name);
  for (let index = 0; index < argValues.length; index++) weigh(argValues[index]);
  try {
    return site.call.implementation(site.call.signature.validate(argValues, input), depth);
  } catch (error) {
    throw locateCallError(placeError(error, site.callable, true), site.position, site.name);
  }
}

/** jsonata's evaluateFunction: an error leaving a call gets the call's position and name if it has none. */
function locateCallError(
  error: unknown,
  position: number | undefined,
  name: string | undefined,
): unknown {
  if (isJsonataError(error)) {
    if (!error.position) error.position = position;
    if (!error.token && name !== undefined) error.token = name;
  }
  return error;
}

function isBoundByCaller(name: string): boolean {
  return run.bindings !== undefined && Object.hasOwn(run.bindings, name);
}

/** What jsonata checks before suggesting the `$` was forgotten: the name is a truthy variable. */
function isBound(frame: Frame, name: string): boolean {
  const value = frame.lookup(name);
  return value === unbound ? isJsonataBuiltin(name) : Boolean(value);
}

/** The callee of `$name(...)` when `name` is a built-in that something may shadow. */
function shadowingLookup(builtin: BuiltinCall, level: number, context: CompileContext): Evaluate {
  const guarded = mustCheckDepth(level, context);
  return (_input, frame) => {
    if (guarded) enter(level);
    const value = frame.lookup(builtin.name);
    return value === unbound ? builtin.procedure : collapse(value, false);
  };
}
